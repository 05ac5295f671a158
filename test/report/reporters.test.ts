import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { applyBaseline, type CellOutcome } from '../../src/judge/baseline.js';
import type { Verdict } from '../../src/judge/judge.js';
import { dotReporter } from '../../src/report/reporters/dot.js';
import { escapeData, escapeProperty, githubReporter } from '../../src/report/reporters/github.js';
import { jsonReporter } from '../../src/report/reporters/json.js';
import type { RunMeta } from '../../src/report/run-meta.js';

const impl = (name: string) => ({ label: name, name, sdk: name, version: '1.0.0', pinned: true });

function outcome(scenario: string, failures: string[]): CellOutcome {
  const id = `${scenario} · ts→py · stdio`;
  const v: Verdict = {
    cell: { id, slug: id, scenario, client: 'ts', server: 'py', transport: 'stdio', clientImpl: impl('ts'), serverImpl: impl('py') },
    status: failures.length ? 'fail' : 'pass',
    durationMs: 5,
    failures: failures.map((f, i) => ({ id: f, level: 'MUST', blame: 'server', message: `bad #${i}\nmore`, evidence: {} })),
    warnings: [],
    info: [],
    expectations: [],
    checks: [],
    files: { dir: '', trace: 'cells/x/trace.jsonl', observations: '', clientStderr: '', serverStderr: '' },
    rerun: `npm start -- --scenario ${scenario} --client ts --server py --transport stdio`,
  };
  return applyBaseline(v, []);
}

const meta: RunMeta = { runId: 'r', command: 'c', startedAt: '', durationMs: 1, releases: [], sdks: [], stale: [] };
const start = (outcomes: CellOutcome[]) => ({
  cells: [],
  concurrency: 1,
  sdks: [],
  scenarioFiles: new Map(outcomes.map((o) => [o.verdict.cell.scenario, `/p/scenarios/${o.verdict.cell.scenario}.yaml`])),
});

describe('reporters', () => {
  const outcomes = [
    outcome('a', []),
    outcome('b', ['check:task-begins-working', 'check:task-begins-working', 'check:task-begins-working']),
  ];

  it('github: one ::error annotation per failing cell on its scenario file, identical findings grouped', () => {
    const lines: string[] = [];
    const r = githubReporter((t) => lines.push(t), '/p');
    r.start(start(outcomes));
    for (const [i, o] of outcomes.entries()) r.cell(o, i, 2);
    r.end(outcomes, meta, '/tmp/r');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      '::error file=scenarios/b.yaml,title=FAIL b · ts→py · stdio::check:task-begins-working ×3 [server] bad #0%0Arerun: npm start -- --scenario b --client ts --server py --transport stdio',
    );
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
    expect(escapeData('x\ny')).toBe('x%0Ay');
  });

  it('json: one JSON object per cell as it finishes, then an end record with the counts', () => {
    const lines: string[] = [];
    const r = jsonReporter((t) => lines.push(t));
    r.start(start(outcomes));
    for (const [i, o] of outcomes.entries()) r.cell(o, i, 2);
    r.end(outcomes, meta, '/tmp/r');
    const records = lines.map((l) => JSON.parse(l));
    expect(records.map((x) => x.type)).toEqual(['start', 'cell', 'cell', 'end']);
    expect(records[2]).toMatchObject({
      id: 'b · ts→py · stdio',
      outcome: 'fail',
      client: { name: 'ts' },
      failures: [{ id: 'check:task-begins-working' }, {}, {}],
    });
    expect(records[3].counts).toMatchObject({ pass: 1, fail: 1 });
  });

  it('dot: a mark per cell with a running count, the failing cells in full at the end', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    const r = dotReporter(out);
    r.start({ ...start(outcomes), cells: [] });
    for (const [i, o] of outcomes.entries()) r.cell(o, i, 2);
    r.end(outcomes, meta, '/tmp/r');
    expect(text).toContain('✓✗ 2/2\n');
    expect(text).toMatch(/FAIL\s+b · ts→py · stdio/);
    expect(text).toContain('check:task-begins-working ×3 [server] bad #0');
  });
});
