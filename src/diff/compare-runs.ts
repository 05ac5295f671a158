/**
 * Run comparison: the cells present in both runs whose outcome or failure ids changed, the cells
 * only in one, and for each changed cell the first wire divergence. Cells are matched by their
 * scenario, client, server and transport (from run.json, never parsed out of a slug); with
 * `matchReleases`, cells left over are matched again with the implementations' releases
 * ignored (`ts@1.31.0→py` against `ts@1.32.0→py`), when that match is unambiguous.
 */
import { existsSync } from 'node:fs';
import { readTrace } from '../judge/read-records.js';
import { type DiffResult, diffConversations } from './diff.js';
import { withoutRelease } from './impl-name.js';
import { normalise } from './normalise.js';
import type { Run, RunCell } from './run-file.js';

export type Outcome = RunCell['outcome'];

/**
 * How bad an outcome is, for "got worse": unsupported is worse than pass (a cell that stopped
 * running lost coverage), known worse than both, stale and fail worst.
 */
const RANK: Record<Outcome, number> = { pass: 0, unsupported: 1, known: 2, stale: 3, fail: 4 };

export interface CellChange {
  a: RunCell;
  b: RunCell;
  /** Failure ids on B and not on A, and the reverse. */
  added: string[];
  removed: string[];
  worse: boolean;
  /** Matched only because releases were ignored. */
  byRelease: boolean;
  /** The wire diff, or why there is none (a cell without a trace). */
  wire: DiffResult | { missing: string };
}

export interface RunComparison {
  a: Run;
  b: Run;
  changed: CellChange[];
  onlyA: RunCell[];
  onlyB: RunCell[];
  unchanged: number;
  worse: boolean;
}

const key = (c: RunCell, impl: (s: string) => string = (s) => s) =>
  [c.cell.scenario, impl(c.cell.client), impl(c.cell.server), c.cell.transport].join('\u0000');

export function compareRuns(a: Run, b: Run, opts: { matchReleases?: boolean } = {}): RunComparison {
  const pairs: { a: RunCell; b: RunCell; byRelease: boolean }[] = [];
  const byKeyB = new Map(b.cells.map((c) => [key(c), c]));
  const leftA: RunCell[] = [];
  const usedB = new Set<RunCell>();
  for (const ca of a.cells) {
    const cb = byKeyB.get(key(ca));
    if (cb) {
      pairs.push({ a: ca, b: cb, byRelease: false });
      usedB.add(cb);
    } else leftA.push(ca);
  }
  let leftB = b.cells.filter((c) => !usedB.has(c));
  let onlyA = leftA;
  if (opts.matchReleases) {
    const group = (cells: RunCell[]) => {
      const m = new Map<string, RunCell[]>();
      for (const c of cells) m.set(key(c, withoutRelease), [...(m.get(key(c, withoutRelease)) ?? []), c]);
      return m;
    };
    const ga = group(leftA);
    const gb = group(leftB);
    const matched = new Set<RunCell>();
    for (const [k, as] of ga) {
      const bs = gb.get(k);
      // Two releases of one implementation in the same run: which pairs with which is a guess.
      if (as.length !== 1 || bs?.length !== 1) continue;
      pairs.push({ a: as[0]!, b: bs[0]!, byRelease: true });
      matched.add(as[0]!).add(bs[0]!);
    }
    onlyA = leftA.filter((c) => !matched.has(c));
    leftB = leftB.filter((c) => !matched.has(c));
  }

  const changed: CellChange[] = [];
  for (const p of pairs) {
    const fa = new Set(p.a.failures);
    const fb = new Set(p.b.failures);
    const added = [...fb].filter((f) => !fa.has(f));
    const removed = [...fa].filter((f) => !fb.has(f));
    if (p.a.outcome === p.b.outcome && !added.length && !removed.length) continue;
    // A known cell stays explained whatever subset of its defect shows; a failing one with a new
    // failure id has a new problem.
    const worse = RANK[p.b.outcome] > RANK[p.a.outcome] || (p.a.outcome === p.b.outcome && p.b.outcome === 'fail' && added.length > 0);
    changed.push({ a: p.a, b: p.b, added, removed, worse, byRelease: p.byRelease, wire: wireDiff(p.a, p.b) });
  }
  return {
    a,
    b,
    changed,
    onlyA,
    onlyB: leftB,
    unchanged: pairs.length - changed.length,
    worse: changed.some((c) => c.worse),
  };
}

function wireDiff(a: RunCell, b: RunCell): CellChange['wire'] {
  const missing = [a, b].filter((c) => !c.trace || !existsSync(c.trace));
  if (missing.length) return { missing: missing.map((c) => `${c === a ? 'A' : 'B'} has no trace (${c.outcome})`).join('; ') };
  const conv = (c: RunCell) => normalise(readTrace(c.trace).records, c.cell.transport === 'http' ? 'http' : 'stdio');
  return diffConversations(conv(a), conv(b));
}
