/** Run comparison on recorded runs: changed cells, cells only in one, release matching, compare.md. */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareMarkdown } from '../../src/diff/compare-md.js';
import { compareRuns } from '../../src/diff/compare-runs.js';
import { sameImplementation, withoutRelease } from '../../src/diff/impl-name.js';
import { readRun } from '../../src/diff/run-file.js';
import { tempDir } from '../helpers.js';
import { runDir } from './helpers.js';

interface OutcomeJson {
  outcome: string;
  verdict: { cell: Record<string, string>; failures: { id: string }[]; files: { trace: string } };
}

/** A copy of a fixture run whose run.json `edit` may change. */
function editedRun(run: string, edit: (outcomes: OutcomeJson[]) => OutcomeJson[]): string {
  const dir = join(tempDir('mcp-interop-compare-'), run);
  cpSync(runDir(run), dir, { recursive: true });
  const file = join(dir, 'run.json');
  const json = JSON.parse(readFileSync(file, 'utf8'));
  json.outcomes = edit(json.outcomes);
  writeFileSync(file, JSON.stringify(json, null, 2));
  return dir;
}

describe('compare', () => {
  it('a run against itself: nothing changed', () => {
    const cmp = compareRuns(readRun(runDir('run1')), readRun(runDir('run1')));
    expect(cmp).toMatchObject({ changed: [], onlyA: [], onlyB: [], worse: false });
    expect(cmp.unchanged).toBe(21);
  });

  it('lists exactly the cells of a scenario whose expectation changed, worse, with the first wire divergence', () => {
    // As if unlimited-ttl expected something else: its cells fail with a new failure id; one of
    // them also changed on the wire.
    const dir = editedRun('run1', (outcomes) =>
      outcomes.map((o) =>
        o.verdict.cell.scenario === 'unlimited-ttl'
          ? { ...o, outcome: 'fail', verdict: { ...o.verdict, failures: [...o.verdict.failures, { id: 'expect:s1-callTask.task' }] } }
          : o,
      ),
    );
    const trace = join(dir, 'cells/unlimited-ttl--ts-ts--stdio/trace.jsonl');
    writeFileSync(trace, readFileSync(trace, 'utf8').replace('"ttl":null', '"ttl":1000'));
    const cmp = compareRuns(readRun(runDir('run1')), readRun(dir));
    expect(cmp.changed.map((c) => [c.b.cell.id, c.a.outcome, c.b.outcome, c.worse])).toEqual([
      ['unlimited-ttl · ts→py · http', 'known', 'fail', true],
      ['unlimited-ttl · ts→py · stdio', 'known', 'fail', true],
      ['unlimited-ttl · ts→ts · http', 'pass', 'fail', true],
      ['unlimited-ttl · ts→ts · stdio', 'pass', 'fail', true],
    ]);
    expect(cmp.worse).toBe(true);
    const md = compareMarkdown(cmp);
    expect(md).toContain('**4 cell(s) changed, 4 worse**; 0 only in A, 0 only in B, 17 unchanged.');
    expect(md).toContain(
      '| unlimited-ttl · ts→ts · stdio | pass | **fail** | +expect:s1-callTask.task | tools/call #1 → result.task.ttl: null on A, 1000 on B [A seq 5 · B seq 5] |',
    );
    expect(md).toContain('| unlimited-ttl · ts→ts · http | pass | **fail** | +expect:s1-callTask.task | no wire difference |');
    expect(md.split('\n').length).toBeLessThan(30);
  });

  it('a cell that got better is listed, not worse; a known cell showing another subset of its failures is not worse', () => {
    const dir = editedRun('run1', (outcomes) =>
      outcomes.map((o) => {
        if (o.verdict.cell.slug === 'unlimited-ttl--ts-py--stdio')
          return { ...o, outcome: 'pass', verdict: { ...o.verdict, failures: [] } };
        if (o.verdict.cell.slug === 'cancel-working-task--py-py--stdio')
          return { ...o, verdict: { ...o.verdict, failures: o.verdict.failures.slice(1) } };
        return o;
      }),
    );
    const cmp = compareRuns(readRun(runDir('run1')), readRun(dir));
    expect(cmp.changed.map((c) => [c.b.cell.slug, `${c.a.outcome}→${c.b.outcome}`, c.worse, c.removed.length > 0])).toEqual([
      ['cancel-working-task--py-py--stdio', 'known→known', false, true],
      ['unlimited-ttl--ts-py--stdio', 'known→pass', false, true],
    ]);
    expect(cmp.worse).toBe(false);
  });

  it('cells only in one run are listed', () => {
    const dir = editedRun('run1', (outcomes) => outcomes.filter((o) => o.verdict.cell.scenario !== 'list-tasks'));
    const cmp = compareRuns(readRun(runDir('run1')), readRun(dir));
    expect(cmp.onlyA.map((c) => c.cell.slug)).toEqual(['list-tasks--ts-ts--stdio']);
    expect(cmp.onlyB).toEqual([]);
    expect(cmp.worse).toBe(false);
    expect(compareMarkdown(cmp)).toContain('<details><summary>Only in A (1)</summary>');
  });

  it('--match-releases matches cells that differ only in release, from run.json fields, never splitting on "-"', () => {
    const release =
      (v: string) =>
      (outcomes: OutcomeJson[]): OutcomeJson[] =>
        outcomes.map((o) => {
          const c = o.verdict.cell;
          if (c.client !== 'ts') return o;
          // A release on the client, and a flavor (which has a "-") on one server.
          const client = `ts@${v}`;
          const server = c.scenario === 'list-tasks' ? 'ts-mcp' : String(c.server);
          const id = `${c.scenario} · ${client}→${server} · ${c.transport}`;
          return {
            ...o,
            verdict: { ...o.verdict, cell: { ...c, client, server, id, slug: `${c.scenario}--${client}-${server}--${c.transport}` } },
          };
        });
    const a = readRun(editedRun('run1', release('1.31.0')));
    const b = readRun(editedRun('run1', release('1.32.0')));
    const plain = compareRuns(a, b);
    const tsCells = a.cells.filter((c) => c.cell.client.startsWith('ts@')).length;
    expect(tsCells).toBe(14);
    expect(plain.onlyA.length).toBe(tsCells);
    const matched = compareRuns(a, b, { matchReleases: true });
    expect(matched.onlyA).toEqual([]);
    expect(matched.onlyB).toEqual([]);
    expect(matched.unchanged).toBe(21);
    // The pinned release (no "@") matches a named one too.
    const pinned = compareRuns(readRun(runDir('run1')), b, { matchReleases: true });
    expect(pinned.onlyA.map((c) => c.cell.slug)).toEqual(['list-tasks--ts-ts--stdio']);
    expect(pinned.onlyB.map((c) => c.cell.slug)).toEqual(['list-tasks--ts@1.32.0-ts-mcp--stdio']);
  });

  it('implementation names: the release is what follows "@"', () => {
    expect(withoutRelease('ts@1.31.0')).toBe('ts');
    expect(withoutRelease('ts-mcp')).toBe('ts-mcp');
    expect(withoutRelease('ts-mcp@2.0.0')).toBe('ts-mcp');
    expect(sameImplementation('ts@1.31.0', 'ts@1.32.0')).toBe(true);
    expect(sameImplementation('ts', 'ts@1.32.0')).toBe(true);
    expect(sameImplementation('ts', 'ts-mcp')).toBe(false);
  });
});
