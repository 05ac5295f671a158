/**
 * Driver processes: started in their own process group so that a whole tree (driver, the SDK's
 * child processes, the stdio tap) can be stopped at once, and always stopped with a deadline.
 */
import { readFileSync } from 'node:fs';
import { execa, type ResultPromise } from 'execa';
import { sleep } from '../record/clock.js';

export type Proc = ResultPromise<{ detached: true; reject: false; buffer: false }>;

export interface Exit {
  code: number | null;
  signal: string | null;
}

/**
 * Process groups started and not yet exited, and where other pids of a cell can be read (the
 * stdio tap's pid file): drivers run in process groups of their own, so an interrupted harness
 * (Ctrl-C, a cancelled CI job) must stop them itself, or they outlive it.
 */
const live = new Set<number>();
const pidSources = new Set<() => number[]>();
let interruptHandled = false;

/** Kills every live process group the harness started (and the pids the sources name). */
export function killLive(): void {
  for (const pid of live) signalTree(pid, 'SIGKILL');
  for (const source of pidSources) for (const pid of source()) signalTree(pid, 'SIGKILL');
}

/** Also kill these pids if the harness is interrupted; returns the function that forgets them. */
export function killOnInterrupt(pids: () => number[]): () => void {
  pidSources.add(pids);
  return () => pidSources.delete(pids);
}

function handleInterrupts(): void {
  if (interruptHandled) return;
  interruptHandled = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping every cell's processes\n`);
      killLive();
      process.exit(code);
    });
  }
}

export interface StartOptions {
  stdoutFile?: string;
  stderrFile: string;
  pipeStdout?: boolean;
  cwd: string;
  env?: Record<string, string>;
  append?: boolean;
}

export function startProcess(argv: string[], opts: StartOptions): Proc {
  handleInterrupts();
  const proc = spawnDetached(argv, opts);
  const pid = proc.pid;
  if (pid !== undefined) {
    live.add(pid);
    void proc.then(() => live.delete(pid));
  }
  return proc;
}

function spawnDetached(argv: string[], opts: StartOptions): Proc {
  const [file, ...args] = argv;
  // A restarted server appends to the first one's logs.
  const append = opts.append ? { append: true } : {};
  return execa(file!, args, {
    cwd: opts.cwd,
    ...(opts.env ? { env: opts.env } : {}),
    detached: true,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    stdout: opts.pipeStdout
      ? opts.stdoutFile
        ? ['pipe', { file: opts.stdoutFile, ...append }]
        : 'pipe'
      : opts.stdoutFile
        ? { file: opts.stdoutFile, ...append }
        : 'ignore',
    stderr: { file: opts.stderrFile, ...append },
    // Kill the subprocess if the harness itself exits.
    cleanup: true,
  }) as Proc;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * A process that exited but whose parent has not reaped it yet still answers kill(pid, 0). The
 * stdio tap is the client's child: when the client exits first, the tap is reparented and may
 * stay a zombie for a while, which must not count as "still running" (waiting for it cost every
 * stdio cell the full grace period).
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false; // no /proc (macOS) or already reaped
  }
}

/** Signals a process group (negative pid), falling back to the process alone. */
export function signalTree(pid: number, signal: NodeJS.Signals): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
    } catch {
      /* already gone */
    }
  }
}

/** Waits until every pid is gone, at most `ms`; returns those still alive. */
export async function waitGone(pids: number[], ms: number): Promise<number[]> {
  for (let waited = 0; waited < ms && pids.some(isAlive); waited += 25) await sleep(25);
  return pids.filter(isAlive);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once every pid is gone (or after SIGKILL + 1 s). */
export async function stopAll(pids: number[], graceMs = 1500): Promise<number[]> {
  if (!pids.some(isAlive)) return [];
  for (const pid of pids.filter(isAlive)) signalTree(pid, 'SIGTERM');
  for (const pid of await waitGone(pids, graceMs)) signalTree(pid, 'SIGKILL');
  return waitGone(pids, 1000);
}

/** Waits for the process to exit, at most `ms`; `undefined` when it did not. */
export async function waitExit(proc: Proc, ms: number): Promise<Exit | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)));
  const done = proc.then((res) => ({ code: res.exitCode ?? null, signal: res.signal ?? null }));
  try {
    return await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
