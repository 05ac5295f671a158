import { describe, expect, it } from 'vitest';
import { applyBaseline, type BaselineEntry, type CellOutcome, settleBaseline } from '../../src/judge/baseline.js';
import type { Verdict } from '../../src/judge/judge.js';
import { cellLines, summaryLines } from '../../src/report/console.js';
import { junitXml } from '../../src/report/junit.js';
import { buildMatrix } from '../../src/report/matrix-model.js';
import { summaryMarkdown } from '../../src/report/summary-md.js';
import { versionTables } from '../../src/report/version-matrix.js';

const implOf = (label: string) => {
  const [name, version] = label.split('@');
  return { label, name: name!, sdk: name!, version: version ?? '1.0.0', pinned: version === undefined };
};

function verdict(
  scenario: string,
  client: string,
  server: string,
  transport: string,
  failures: string[],
  status?: Verdict['status'],
): Verdict {
  const id = `${scenario} · ${client}→${server} · ${transport}`;
  return {
    cell: { id, slug: id, scenario, client, server, transport, clientImpl: implOf(client), serverImpl: implOf(server) },
    status: status ?? (failures.length ? 'fail' : 'pass'),
    durationMs: 1234,
    failures: failures.map((f) => ({ id: f, level: 'MUST', blame: 'server', message: `${f} went wrong <&>`, evidence: {} })),
    warnings: [{ id: 'check:tasks-get-no-sse', level: 'SHOULD', blame: 'server', message: 'SSE on tasks/get', evidence: {} }],
    info: [],
    expectations: [],
    checks: [],
    ...(status === 'unsupported'
      ? { unsupported: [{ side: 'server', impl: server, feature: 'action:sample', reason: 'no sampling' }] }
      : {}),
    files: { dir: `cells/${scenario}`, trace: `cells/${scenario}/trace.jsonl`, observations: '', clientStderr: '', serverStderr: '' },
    rerun: `npm start -- --scenario ${scenario} --client ${client} --server ${server} --transport ${transport}`,
  };
}

const entry: BaselineEntry = {
  scenario: 'b',
  server: 'py',
  failure: 'check:x',
  reason: 'the SDK drops it',
  upstream: 'https://github.com/o/r/issues/1',
};
const outcomes: CellOutcome[] = [
  applyBaseline(verdict('a', 'ts', 'ts', 'stdio', []), [entry]),
  applyBaseline(verdict('a', 'ts', 'ts', 'http', ['expect:s1-callTask.ok']), [entry]),
  applyBaseline(verdict('b', 'ts', 'py', 'stdio', ['check:x']), [entry]),
  applyBaseline(verdict('b', 'ts', 'py', 'http', []), [entry]),
  applyBaseline(verdict('c', 'ts', 'py', 'stdio', [], 'unsupported'), [entry]),
];
const stale = settleBaseline(outcomes, [
  entry,
  { ...entry, scenario: 'a', server: 'ts', failure: 'check:gone', reason: 'fixed upstream long ago' },
]);
const meta = { runId: 'run-1', sdks: ['ts = sdk 1'], command: 'mcp-interop run', stale };

describe('reports', () => {
  it('classifies the outcomes as expected by the fixtures', () => {
    // The check:gone entry covers the two `a` cells; one of them fails on its own, so it stays `fail`.
    expect(outcomes.map((o) => o.outcome)).toEqual(['stale', 'fail', 'known', 'pass', 'unsupported']);
    expect(stale.map((s) => s.entry.failure)).toEqual(['check:gone']);
  });

  it('junit.xml: one test case per cell, failures for fail and stale, skipped for unsupported, rerun in the output', () => {
    const xml = junitXml(outcomes, 'reports/run-1');
    expect(xml.match(/<testcase /g)).toHaveLength(5);
    expect(xml.match(/<testsuite /g)).toHaveLength(4);
    expect(xml.match(/<failure /g)).toHaveLength(2);
    expect(xml.match(/<skipped\/>/g)).toHaveLength(1);
    expect(xml).toContain('type="stale-baseline"');
    expect(xml).toContain('expect:s1-callTask.ok [server] expect:s1-callTask.ok went wrong &lt;&amp;>');
    expect(xml).toContain('rerun: npm start -- --scenario a --client ts --server ts --transport http');
    expect(xml).toContain('trace: reports/run-1/cells/a/trace.jsonl');
    expect(xml).toContain('known: check:x [server]');
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\s*<testsuites/);
  });

  it('summary.md: a matrix, counts per pairing, failures with rerun commands, known reasons with links', () => {
    const md = summaryMarkdown(outcomes, meta);
    expect(md).toMatch(/^# MCP Tasks interop: 2 failing cells/);
    expect(md).toContain('| scenario (stdio, http) | ts→ts | ts→py |');
    expect(md).toContain('| a | `s✗` | `  ` |');
    expect(md).toContain('| b | `  ` | `k✓` |');
    expect(md).toContain('| c | `  ` | `– ` |');
    expect(md).toContain('rerun: `npm start -- --scenario a --client ts --server ts --transport http`');
    expect(md).toContain('the SDK drops it (https://github.com/o/r/issues/1)');
    expect(md).toContain('## Stale baseline entries');
    expect(md).toContain('check:gone — fixed upstream long ago (2 cells, none failed)');
    expect(md).toContain('- server py cannot action:sample: no sampling: 1 cell');
    expect(md.split('\n').length).toBeLessThan(60);
  });

  it('console: a line per cell with its failures, and at the end the matrix, one-transport-only cells and rerun commands', () => {
    const lines = cellLines(outcomes[1]!, 1, 5);
    expect(lines[0]).toMatch(/^\[2\/5\] FAIL\s+a · ts→ts · http\s+1\.23s$/);
    expect(lines.slice(1)).toEqual([
      '      ✗ expect:s1-callTask.ok [server] expect:s1-callTask.ok went wrong <&>',
      '      ✗ check:gone listed in the baseline, but none of them failed in any cell the entry covers (stale entry: fixed upstream long ago)',
      '      warn: check:tasks-get-no-sse [server]',
      '      rerun: npm start -- --scenario a --client ts --server ts --transport http',
    ]);
    expect(cellLines(outcomes[2]!, 2, 5)[1]).toBe('      known: check:x [server] — the SDK drops it');
    const text = summaryLines(outcomes, '/tmp/run-1', meta).join('\n');
    expect(text).toContain('b · ts→py: fails over stdio, passes over http');
    expect(text).toContain('2 cells failed; rerun one with:');
    expect(text).toContain('Stale baseline entries');
    expect(buildMatrix(outcomes).byTransport.get('stdio')).toEqual({ pass: 0, known: 1, fail: 0, stale: 1, unsupported: 1 });
    expect(versionTables(outcomes)).toEqual([]);
  });
});

describe('the version × version view', () => {
  const o = (client: string, server: string, failures: string[]) => applyBaseline(verdict('a', client, server, 'stdio', failures), []);
  const multi = [
    o('ts@1.24.0', 'py@1.23.1', ['check:x']),
    o('ts@1.24.0', 'py@1.30.0', []),
    o('ts@1.32.2', 'py@1.30.0', []),
    o('ts@1.32.2', 'ts@1.24.0', []),
  ];

  it('is one table per SDK pair, client releases as rows and server releases as columns, with counts', () => {
    const tables = versionTables(multi);
    expect(tables.map((t) => t.pair)).toEqual(['ts→py', 'ts→ts']);
    const tp = tables[0]!;
    expect(tp.rows).toEqual(['1.24.0', '1.32.2']);
    expect(tp.columns).toEqual(['1.23.1', '1.30.0']);
    expect(tp.counts['1.24.0']!['1.23.1']).toMatchObject({ pass: 0, fail: 1 });
    expect(tp.counts['1.32.2']!['1.23.1']).toBeUndefined();
    const text = summaryLines(multi, '/tmp/r', { stale: [] }).join('\n');
    expect(text).toContain('ts→py: client releases × server releases');
    expect(text).toMatch(/1\.24\.0\s+0\/0\/1\/0\s+1\/0\/0\/0/);
    expect(summaryMarkdown(multi, { ...meta, stale: [] })).toContain('| 1.24.0 | 0/0/1/0 | 1/0/0/0 |');
  });
});
