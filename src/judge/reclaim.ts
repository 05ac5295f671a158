/**
 * Around judging a very long trace, its garbage is collected at once. Judging a cell that polled
 * fast for long (100,000 messages) makes about 100 MB of short-lived objects (parsed lines, their
 * validated copies, the index's working data) that V8, with a heap limit of gigabytes, would let
 * pile up under the next stage's allocations: the parsing garbage under the trace index, the
 * judging garbage under the next cell or the reports. That doubled the harness's peak memory. A
 * full collection costs tens of milliseconds, and only cells with such traces pay it.
 */
import { statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Traces from this size up are large enough to be worth a collection. */
export const RECLAIM_FROM_BYTES = 8 * 1024 * 1024;

let gc: (() => void) | undefined;

function collector(): () => void {
  if (!gc) {
    // The documented way to reach V8's collector without starting node with --expose-gc.
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  return gc;
}

/** Whether a trace file is large enough that its judging stages collect garbage between them. */
export function isLargeTrace(traceFile: string): boolean {
  try {
    return statSync(traceFile).size >= RECLAIM_FROM_BYTES;
  } catch {
    return false;
  }
}

/** A full garbage collection now. */
export function collectGarbage(): void {
  collector()();
}

/** Collects garbage when the trace just judged was large; says whether it did. */
export function reclaimAfter(traceFile: string): boolean {
  if (!isLargeTrace(traceFile)) return false;
  collectGarbage();
  return true;
}
