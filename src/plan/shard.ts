/**
 * `run --shard k/n`: a stable, balanced share of the cells. Every shard computes the same
 * assignment from the full cell list (longest expected cell first onto the least loaded shard,
 * ties broken by cell id), so the shards are disjoint and together exactly the full matrix,
 * whatever order each one plans in.
 */
import { minimumDurationMs } from '../vocabulary/scenario.js';
import type { Cell } from './plan.js';

export interface Shard {
  index: number;
  count: number;
}

export class ShardError extends Error {}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new ShardError(`--shard ${text}: expected k/n with 1 <= k <= n, e.g. 2/3`);
  return { index, count };
}

/** A cell's expected cost in ms: what its script must wait, plus process start-up (Python starts slower). */
export function cellWeight(cell: Cell): number {
  if (cell.unsupported) return 1;
  const python = [cell.client, cell.server].filter((i) => i.release?.sdk.registry === 'pypi').length;
  return minimumDurationMs(cell.scenario).total + 400 + 400 * python;
}

/** Shard number (1-based) of every cell, by cell id. */
export function assignShards(cells: Cell[], count: number): Map<string, number> {
  const order = [...cells].sort((a, b) => cellWeight(b) - cellWeight(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const load = new Array<number>(count).fill(0);
  const out = new Map<string, number>();
  for (const cell of order) {
    let best = 0;
    for (let i = 1; i < count; i++) if (load[i]! < load[best]!) best = i;
    load[best]! += cellWeight(cell);
    out.set(cell.id, best + 1);
  }
  return out;
}

export function shardCells(cells: Cell[], shard: Shard): Cell[] {
  const assigned = assignShards(cells, shard.count);
  return cells.filter((c) => assigned.get(c.id) === shard.index);
}
