/** The sequence alignment against a brute-force longest common subsequence. */
import { describe, expect, it } from 'vitest';
import { align } from '../../src/diff/align.js';
import { longestIncreasing } from '../../src/diff/order.js';

function lcsLength(a: string[], b: string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      dp[i]![j] = a[i - 1] === b[j - 1] ? dp[i - 1]![j - 1]! + 1 : Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!);
  return dp[a.length]![b.length]!;
}

/** A small deterministic generator, so a failure reproduces. */
function random(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

describe('align', () => {
  it('pairs a longest common subsequence, every item once and in order', () => {
    const rnd = random(7);
    for (let round = 0; round < 300; round++) {
      const gen = () => Array.from({ length: Math.floor(rnd() * 12) }, () => 'abcd'[Math.floor(rnd() * 4)]!);
      const a = gen();
      const b = gen();
      const ops = align(a, b);
      expect(ops.filter((o) => o.a !== undefined).map((o) => o.a)).toEqual(a.map((_, i) => i));
      expect(ops.filter((o) => o.b !== undefined).map((o) => o.b)).toEqual(b.map((_, i) => i));
      const pairs = ops.filter((o) => o.a !== undefined && o.b !== undefined);
      for (const p of pairs) expect(a[p.a!]).toBe(b[p.b!]);
      expect(pairs.length, `${a.join('')} / ${b.join('')}`).toBe(lcsLength(a, b));
    }
  });

  it('leaves the middle unpaired past its edit budget', () => {
    const ops = align(['x', 'a', 'b', 'y'], ['x', 'c', 'd', 'y'], 1);
    expect(ops).toEqual([{ a: 0, b: 0 }, { a: 1 }, { a: 2 }, { b: 1 }, { b: 2 }, { a: 3, b: 3 }]);
  });
});

describe('longestIncreasing', () => {
  it('keeps one longest increasing run', () => {
    expect([...longestIncreasing([0, 1, 5, 2, 3, 4])].sort()).toEqual([0, 1, 3, 4, 5]);
    expect(longestIncreasing([]).size).toBe(0);
  });
});
