/**
 * Small helpers shared by the drivers written in TypeScript (the SDK flavours in ts/ and the raw
 * client): the monotonic clock, JSON-line logging on stderr, exit codes for bad usage and
 * unsupported features, and reading the driver input file.
 */
import { readFileSync } from 'node:fs';
import { monoMs } from '../src/record/clock.js';
import { DriverInput, EXIT, UNSUPPORTED_PREFIX } from '../src/vocabulary/index.js';

// The clock the recorders stamp the trace with (contract), and sleep: one definition for all.
export { monoMs, sleep } from '../src/record/clock.js';

/** One JSON object per line on stderr (stdout is the MCP channel on stdio). */
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

/** Reads --scenario and validates it against the vocabulary's DriverInput; exit 2 when it does not match. */
export function readDriverInput(path: string, usage: string): DriverInput {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    usageError(`cannot read scenario file ${path}: ${errorMessage(err)}`, usage);
  }
  const parsed = DriverInput.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    usageError(`scenario file ${path} does not match DriverInput: ${issues}`, usage);
  }
  return parsed.data;
}

/** Exit 127 (contract): the SDK cannot express something the scenario needs, found out at run time. */
export function unsupported(feature: string, reason: string): never {
  process.stderr.write(`${UNSUPPORTED_PREFIX} ${feature}: ${reason}\n`);
  process.exit(EXIT.unsupported);
}
