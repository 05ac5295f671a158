import { closeSync, ftruncateSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectGarbage, isLargeTrace, RECLAIM_FROM_BYTES, reclaimAfter } from '../../src/judge/reclaim.js';
import { tempDir } from '../helpers.js';

describe('collecting garbage around a very long trace', () => {
  it('only a trace from RECLAIM_FROM_BYTES up counts as large; a missing one does not', () => {
    const dir = tempDir();
    const small = join(dir, 'small.jsonl');
    writeFileSync(small, '{}\n');
    const big = join(dir, 'big.jsonl');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, RECLAIM_FROM_BYTES); // sparse: the size is what counts
    closeSync(fd);
    expect(isLargeTrace(small)).toBe(false);
    expect(isLargeTrace(big)).toBe(true);
    expect(isLargeTrace(join(dir, 'missing.jsonl'))).toBe(false);
    expect(reclaimAfter(small)).toBe(false);
    expect(reclaimAfter(big)).toBe(true);
  });

  it('collects an object nothing refers to any more', async () => {
    let collected = false;
    const registry = new FinalizationRegistry(() => {
      collected = true;
    });
    (() => registry.register({ payload: new Array(1000).fill(1) }, 'x'))();
    collectGarbage();
    // Finalizers run in a later task once the collection has found the object unreachable.
    for (let i = 0; i < 20 && !collected; i++) await new Promise((r) => setTimeout(r, 10));
    expect(collected).toBe(true);
  });
});
