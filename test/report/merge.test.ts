/** Merging shard runs: the union of their cells, judged against the baseline over the whole. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyBaseline, type BaselineEntry } from '../../src/judge/baseline.js';
import type { Verdict } from '../../src/judge/judge.js';
import { MergeError, mergeRuns } from '../../src/report/merge-runs.js';
import { RUN_FORMAT } from '../../src/report/write-reports.js';
import { tempDir } from '../helpers.js';

const impl = (name: string) => ({ label: name, name, sdk: name, version: '1.0.0', pinned: true });

function verdict(scenario: string, transport: string, failures: string[]): Verdict {
  const id = `${scenario} · ts→py · ${transport}`;
  return {
    cell: {
      id,
      slug: `${scenario}--ts-py--${transport}`,
      scenario,
      client: 'ts',
      server: 'py',
      transport,
      clientImpl: impl('ts'),
      serverImpl: impl('py'),
    },
    status: failures.length ? 'fail' : 'pass',
    durationMs: 10,
    failures: failures.map((f) => ({ id: f, level: 'MUST', blame: 'server', message: f, evidence: {} })),
    warnings: [],
    info: [],
    expectations: [],
    checks: [],
    files: { dir: `cells/${scenario}--ts-py--${transport}`, trace: '', observations: '', clientStderr: '', serverStderr: '' },
    rerun: 'npm start -- …',
  };
}

const entry: BaselineEntry = { scenario: 'a', failure: 'check:x', reason: 'the SDK drops it' };

function shardRun(root: string, name: string, verdicts: Verdict[], shard: number): string {
  const dir = join(root, name);
  for (const v of verdicts) {
    mkdirSync(join(dir, v.files.dir), { recursive: true });
    writeFileSync(join(dir, v.files.dir, 'trace.jsonl'), '');
  }
  const outcomes = verdicts.map((v) => applyBaseline(v, [entry]));
  const meta = {
    runId: name,
    command: 'x',
    startedAt: `2026-01-0${shard}T00:00:00Z`,
    durationMs: 100 * shard,
    releases: [],
    sdks: ['ts = x'],
    stale: [],
    shard: { index: shard, count: 2 },
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ format: RUN_FORMAT, ...meta, outcomes }));
  return dir;
}

describe('merging shard runs', () => {
  it('unites the cells and copies their folders', () => {
    const root = tempDir();
    const a = shardRun(root, 'a', [verdict('a', 'stdio', ['check:x'])], 1);
    const b = shardRun(root, 'b', [verdict('a', 'http', []), verdict('b', 'http', [])], 2);
    const out = join(root, 'merged');
    const merged = mergeRuns([a, b], out, [entry]);
    expect(merged.outcomes.map((o) => [o.verdict.cell.id, o.outcome])).toEqual([
      ['a · ts→py · stdio', 'known'],
      ['a · ts→py · http', 'pass'],
      ['b · ts→py · http', 'pass'],
    ]);
    // Not stale: the entry's failure happened in shard 1, though not in shard 2's cell it covers.
    expect(merged.meta.stale).toEqual([]);
    expect(existsSync(join(out, 'cells/a--ts-py--http/trace.jsonl'))).toBe(true);
    expect(merged.meta.mergedFrom).toEqual([a, b]);
  });

  it('finds an entry stale only over the whole merged run', () => {
    const root = tempDir();
    const a = shardRun(root, 'a', [verdict('a', 'stdio', [])], 1);
    const b = shardRun(root, 'b', [verdict('a', 'http', [])], 2);
    const merged = mergeRuns([a, b], join(root, 'm'), [entry]);
    expect(merged.meta.stale.map((s) => s.cells)).toEqual([['a · ts→py · stdio', 'a · ts→py · http']]);
    expect(merged.outcomes.map((o) => o.outcome)).toEqual(['stale', 'stale']);
  });

  it('refuses a merge that lacks a shard of the split', () => {
    const root = tempDir();
    const a = shardRun(root, 'a', [verdict('a', 'stdio', [])], 1);
    expect(() => mergeRuns([a], join(root, 'm'), [])).toThrow('shard 2/2 missing: merge every shard of the run');
  });

  it('refuses overlapping shards and folders that are not runs', () => {
    const root = tempDir();
    const a = shardRun(root, 'a', [verdict('a', 'stdio', [])], 1);
    const b = shardRun(root, 'b', [verdict('a', 'stdio', [])], 2);
    expect(() => mergeRuns([a, b], join(root, 'm'), [])).toThrow(/is in both .* shards of one run never overlap/);
    mkdirSync(join(root, 'empty'));
    expect(() => mergeRuns([join(root, 'empty')], join(root, 'm2'), [])).toThrow(MergeError);
    expect(readFileSync(join(a, 'run.json'), 'utf8')).toContain('"format":2');
  });
});
