import { describe, expect, it } from 'vitest';
import { SCENARIOS_DIR } from '../../src/paths.js';
import { planCells } from '../../src/plan/plan.js';
import { assignShards, cellWeight, parseShard, ShardError, shardCells } from '../../src/plan/shard.js';
import { loadScenarios } from '../../src/scenario/load.js';
import { fakeImpl } from '../helpers.js';

// Scenarios that restrict their implementations (raw-only ones) name implementations these fakes are not.
const cells = planCells(
  loadScenarios(SCENARIOS_DIR).filter((s) => !s.clients && !s.servers),
  [fakeImpl('a'), fakeImpl('b'), fakeImpl('c', { sdk: 'c' })],
);

describe('sharding', () => {
  it('parses k/n and rejects what is not a share', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', 'x', '1-3']) expect(() => parseShard(bad), bad).toThrow(ShardError);
  });

  it.each([1, 2, 3, 5])('splits the matrix into %i disjoint shares whose union is exactly the matrix', (n) => {
    const shares = Array.from({ length: n }, (_, i) => shardCells(cells, { index: i + 1, count: n }));
    const ids = shares.flat().map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(cells.map((c) => c.id).sort());
  });

  it('is stable: the same assignment whatever order the cells were planned in', () => {
    const shuffled = [...cells].reverse();
    expect(assignShards(shuffled, 3)).toEqual(assignShards(cells, 3));
  });

  it('is balanced: no share is expected to take much longer than another', () => {
    const load = (k: number) => shardCells(cells, { index: k, count: 3 }).reduce((n, c) => n + cellWeight(c), 0);
    const loads = [1, 2, 3].map(load);
    const heaviest = Math.max(...cells.map(cellWeight));
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(heaviest);
  });
});
