/**
 * The pipeline for a set of planned cells: run each (a few at a time), judge it, write its
 * verdict next to its files, and apply the known-failures baseline. A cell that fails, hangs or
 * throws never stops the others.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { applyBaseline, type BaselineEntry, type CellOutcome, type StaleEntry, settleBaseline } from './judge/baseline.js';
import { harnessErrorVerdict, judgeCell, unsupportedVerdict, type Verdict } from './judge/judge.js';
import { reclaimAfter } from './judge/reclaim.js';
import type { Cell } from './plan/plan.js';
import { type RunCellOptions, runCell } from './run/run-cell.js';

/**
 * Cells at a time unless told: 4 on 2 cores and more. A cell is mostly process start-up (CPU) and
 * waiting on the scenario's sleeps; `npm run soak -- --runs 20 --concurrency 4` is how this
 * figure was shown not to change any cell's outcome on a 2-core machine.
 */
export const DEFAULT_CONCURRENCY = Math.min(4, Math.max(2, availableParallelism() * 2));

export interface MatrixOptions {
  runDir: string;
  baseline: BaselineEntry[];
  concurrency?: number;
  cellOptions?: (cell: Cell) => RunCellOptions;
  onCellStart?: (cell: Cell, index: number) => void;
  onCellDone?: (outcome: CellOutcome, index: number) => void;
  /**
   * Settle the baseline over the run (stale entries); off for one shard of a sharded run, whose
   * cells are not all an entry covers: `mcp-interop merge` settles the merged run instead.
   */
  settle?: boolean;
}

export function cellDir(runDir: string, cell: Cell): string {
  return join(runDir, 'cells', cell.slug);
}

/** Runs and judges one cell; any harness exception becomes a failed verdict, never a crash. */
export async function runAndJudge(cell: Cell, runDir: string, options: RunCellOptions = {}): Promise<Verdict> {
  if (cell.unsupported) return unsupportedVerdict(cell, cell.unsupported);
  const dir = cellDir(runDir, cell);
  let verdict: Verdict;
  try {
    const run = await runCell(cell, dir, options);
    verdict = judgeCell(cell, run, runDir);
    reclaimAfter(run.files.trace);
  } catch (err) {
    verdict = harnessErrorVerdict(cell, err);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'verdict.json'), JSON.stringify(verdict, null, 2));
  return verdict;
}

/** Runs every cell, then settles the baseline over the whole run (stale entries). */
export async function runMatrix(cells: Cell[], opts: MatrixOptions): Promise<{ outcomes: CellOutcome[]; stale: StaleEntry[] }> {
  const outcomes: CellOutcome[] = new Array(cells.length);
  let next = 0;
  const worker = async () => {
    while (next < cells.length) {
      const index = next++;
      const cell = cells[index]!;
      opts.onCellStart?.(cell, index);
      const verdict = await runAndJudge(cell, opts.runDir, opts.cellOptions?.(cell));
      outcomes[index] = applyBaseline(verdict, opts.baseline);
      opts.onCellDone?.(outcomes[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 1, cells.length)) }, worker));
  return { outcomes, stale: opts.settle === false ? [] : settleBaseline(outcomes, opts.baseline) };
}
