import { describe, expect, it } from 'vitest';
import { applyBaseline, type BaselineEntry, type CellOutcome } from '../../src/judge/baseline.js';
import type { Verdict } from '../../src/judge/judge.js';
import { cellLines, summaryLines } from '../../src/report/console.js';
import { junitXml } from '../../src/report/junit.js';
import { buildMatrix } from '../../src/report/matrix-model.js';
import { summaryMarkdown } from '../../src/report/summary-md.js';

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
    cell: { id, slug: id, scenario, client, server, transport },
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

describe('reports', () => {
  it('classifies the outcomes as expected by the fixtures', () => {
    expect(outcomes.map((o) => o.outcome)).toEqual(['pass', 'fail', 'known', 'stale', 'unsupported']);
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
    const md = summaryMarkdown(outcomes, { runId: 'run-1', sdks: ['ts: sdk 1'] });
    expect(md).toMatch(/^# MCP Tasks interop: 2 failing cells/);
    expect(md).toContain('| scenario | ts→ts stdio | ts→ts http | ts→py stdio | ts→py http |');
    expect(md).toContain('| a | ✓ | ✗ |   |   |');
    expect(md).toContain('| b |   |   | k | s |');
    expect(md).toContain('rerun: `npm start -- --scenario a --client ts --server ts --transport http`');
    expect(md).toContain('the SDK drops it (https://github.com/o/r/issues/1)');
    expect(md).toContain('check:x listed in known-failures.yaml but did not fail');
    expect(md.split('\n').length).toBeLessThan(60);
  });

  it('console: a line per cell with its failures, and at the end the matrix, one-transport-only cells and rerun commands', () => {
    const lines = cellLines(outcomes[1]!, 1, 5);
    expect(lines[0]).toMatch(/^\[2\/5\] FAIL\s+a · ts→ts · http\s+1\.23s$/);
    expect(lines.slice(1)).toEqual([
      '      ✗ expect:s1-callTask.ok [server] expect:s1-callTask.ok went wrong <&>',
      '      warn: check:tasks-get-no-sse [server]',
      '      rerun: npm start -- --scenario a --client ts --server ts --transport http',
    ]);
    expect(cellLines(outcomes[2]!, 2, 5)[1]).toBe('      known: check:x [server] — the SDK drops it');
    const text = summaryLines(outcomes, '/tmp/run-1').join('\n');
    expect(text).toContain('a · ts→ts: fails over http, passes over stdio');
    expect(text).toContain('2 cells failed; rerun one with:');
    expect(buildMatrix(outcomes).byTransport.get('stdio')).toEqual({ pass: 1, known: 1, fail: 0, stale: 0, unsupported: 1 });
  });
});
