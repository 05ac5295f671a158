/** What running a cell produced: facts only; the judge decides what they mean. */
import type { CellFiles } from './cell-files.js';
import type { Exit } from './processes.js';

export interface SideRun {
  /** How the process ended; absent when it had to be killed or never started. */
  exit?: Exit;
  /** When it exited, on the monotonic clock (to tell a crash mid-cell from a normal shutdown). */
  exitedAt?: number;
  /** The `unsupported: ...` line the driver printed before exiting 127. */
  unsupported?: string;
  /** Why a server never became ready (HTTP), or a client could not be started. */
  startError?: string;
}

export interface CellRun {
  files: CellFiles;
  startedAt: string;
  durationMs: number;
  timedOut: boolean;
  timeoutMs: number;
  client: SideRun;
  server: SideRun;
  /** PIDs still alive after cleanup (should always be empty). */
  leftovers: number[];
}
