/** Logging on stderr (one JSON object per line; stdout is not used), and exits for bad usage. */
import { monoMs } from '../../src/record/clock.js';
import { EXIT } from '../../src/vocabulary/index.js';

export function log(ev: string, fields: Record<string, unknown> = {}): void {
  try {
    process.stderr.write(`${JSON.stringify({ at: monoMs(), ev, ...fields })}\n`);
  } catch {
    // stderr gone: nothing useful left to do with a log line.
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Exit 2 (bad usage / unreadable input), with the reason on stderr. */
export function usageError(reason: string, usage: string): never {
  process.stderr.write(`error: ${reason}\nusage: ${usage}\n`);
  process.exit(EXIT.usage);
}
