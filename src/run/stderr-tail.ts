import { existsSync, readFileSync } from 'node:fs';
import { EXIT, UNSUPPORTED_PREFIX } from '../vocabulary/driver.js';
import type { Exit } from './processes.js';
import type { SideRun } from './types.js';

/** The last `lines` non-empty lines of a log file ('' when there is none). */
export function tail(file: string, lines = 8): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .slice(-lines)
    .join('\n');
}

/** The reason from a driver's `unsupported: <feature>: <reason>` line, if it printed one. */
function unsupportedReason(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(UNSUPPORTED_PREFIX));
  return line?.slice(UNSUPPORTED_PREFIX.length).trim();
}

/** How a driver process ended; an exit 127 carries the `unsupported:` reason from its stderr. */
export function sideRun(exit: Exit | undefined, exitedAt: number | undefined, stderrFile: string): SideRun {
  if (!exit) return {};
  return { exit, exitedAt, ...(exit.code === EXIT.unsupported ? { unsupported: unsupportedReason(stderrFile) } : {}) };
}
