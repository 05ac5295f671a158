/** Time for every process of a cell. */

/** Milliseconds on CLOCK_MONOTONIC, shared by every process of a cell (see vocabulary/trace.ts). */
export function monoMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
