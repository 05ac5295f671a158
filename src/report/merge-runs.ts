/**
 * Merging shard runs (`run --shard k/n`) into one run folder: the cells of every shard, judged
 * again against the baseline over the whole merged run (only there can an entry be found stale),
 * and one run.json, junit.xml, summary.md (and index.html) for all of them.
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyBaseline, type BaselineEntry, type CellOutcome, settleBaseline } from '../judge/baseline.js';
import type { RunMeta } from './run-meta.js';
import { RUN_FORMAT } from './write-reports.js';

export class MergeError extends Error {}

export interface RunFile extends RunMeta {
  format: number;
  outcomes: CellOutcome[];
}

export function readRun(dir: string): RunFile {
  const file = join(dir, 'run.json');
  if (!existsSync(file)) throw new MergeError(`${dir}: no run.json (expected a run folder written by mcp-interop run)`);
  const run = JSON.parse(readFileSync(file, 'utf8')) as RunFile;
  if (run.format !== RUN_FORMAT)
    throw new MergeError(
      `${file}: run.json format ${run.format ?? '(none)'}, expected ${RUN_FORMAT} (written by another version of mcp-interop)`,
    );
  return run;
}

export interface Merged {
  outcomes: CellOutcome[];
  meta: Omit<RunMeta, 'runId' | 'command'>;
}

/** Copies every shard's cell folders into `outDir` and returns the outcomes judged over the whole. */
export function mergeRuns(dirs: string[], outDir: string, baseline: BaselineEntry[]): Merged {
  const runs = dirs.map(readRun);
  const seen = new Map<string, string>();
  const outcomes: CellOutcome[] = [];
  runs.forEach((run, i) => {
    for (const o of run.outcomes) {
      const other = seen.get(o.verdict.cell.id);
      if (other) throw new MergeError(`cell "${o.verdict.cell.id}" is in both ${other} and ${dirs[i]}: shards of one run never overlap`);
      seen.set(o.verdict.cell.id, dirs[i]!);
      outcomes.push(applyBaseline(o.verdict, baseline));
    }
    if (existsSync(join(dirs[i]!, 'cells'))) cpSync(join(dirs[i]!, 'cells'), join(outDir, 'cells'), { recursive: true });
  });
  const stale = settleBaseline(outcomes, baseline);
  const releases = [...new Map(runs.flatMap((r) => r.releases).map((r) => [`${r.sdk}@${r.version}`, r])).values()];
  const sdks = [...new Set(runs.flatMap((r) => r.sdks))];
  const counts = new Set(runs.map((r) => r.shard?.count).filter((n) => n !== undefined));
  if (counts.size > 1) throw new MergeError(`the runs are shards of different splits (${[...counts].map((n) => `/${n}`).join(', ')})`);
  // A shard that never ran would silently shrink the matrix (and hide what it would have shown).
  const [count] = [...counts];
  if (count !== undefined) {
    const have = new Set(runs.map((r) => r.shard?.index));
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((k) => !have.has(k));
    if (missing.length)
      throw new MergeError(
        `shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${count}`).join(', ')} missing: merge every shard of the run`,
      );
  }
  return {
    outcomes,
    meta: {
      startedAt: runs.map((r) => r.startedAt).sort()[0] ?? new Date().toISOString(),
      durationMs: Math.max(0, ...runs.map((r) => r.durationMs)),
      releases,
      sdks,
      stale,
      mergedFrom: dirs,
    },
  };
}
