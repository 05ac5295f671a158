/**
 * How the client driver reaches the server driver, per transport, with the recorder in between:
 *  - stdio: the client starts the server itself, through the stdio tap;
 *  - http: the harness starts the server, waits until it is ready, and puts the recording proxy
 *    in front of it.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import getPort from 'get-port';
import pRetry from 'p-retry';
import { DIST_DIR, ROOT } from '../paths.js';
import { implCommand, implEnv } from '../plan/implementations.js';
import type { Cell } from '../plan/plan.js';
import { monoMs, sleep } from '../record/clock.js';
import { startHttpProxy } from '../record/http-proxy.js';
import { LineSplitter } from '../record/line-splitter.js';
import { SETTLE } from '../record/settle.js';
import { TraceWriter } from '../record/trace-writer.js';
import { READY_PREFIX } from '../vocabulary/driver.js';
import type { ProcessEvent } from '../vocabulary/trace.js';
import type { CellFiles } from './cell-files.js';
import { killOnInterrupt, type Proc, startProcess, stopAll, waitExit, waitGone } from './processes.js';
import { sideRun, tail } from './stderr-tail.js';
import type { SideRun } from './types.js';

export interface Connection {
  /** Arguments that tell the client driver how to reach the server. */
  clientArgs: string[];
  /** Stops the server side; reports how it ended and which processes outlived it. */
  stop(): Promise<{ server: SideRun; leftovers: number[] }>;
}

export class ConnectError extends Error {
  constructor(
    readonly server: SideRun,
    readonly leftovers: number[] = [],
  ) {
    super(server.startError);
  }
}

export interface ConnectOptions {
  /** Deadline for the server to become ready (http). */
  readyTimeoutMs: number;
  /** Force the server's port (http), e.g. to test a port that is taken. */
  serverPort?: number;
  /** Called with each server-side pid once known (tests use it to kill a server mid-cell). */
  onServerPid?: (pid: number) => void;
}

const TAP = join(DIST_DIR, 'src/record/stdio-tap.js');

export async function connect(cell: Cell, files: CellFiles, opts: ConnectOptions): Promise<Connection> {
  return cell.transport === 'stdio' ? connectStdio(cell, files, opts) : connectHttp(cell, files, opts);
}

// ---------------------------------------------------------------------------------------------

function readPids(file: string): number[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split(/\s+/)
    .map(Number)
    .filter((n) => n > 0);
}

/** The last `bytes` of a file as lines (the first may be cut; callers look for whole events). */
function lastLines(file: string, bytes = 64 * 1024): string[] {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, bytes);
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, size - length);
    return buf.toString('utf8').split('\n');
  } finally {
    closeSync(fd);
  }
}

/** The server's exit as the tap recorded it in the trace (its last lines: a trace may be large). */
function tracedExit(traceFile: string): ProcessEvent | undefined {
  if (!existsSync(traceFile)) return undefined;
  const lines = lastLines(traceFile).reverse();
  for (const line of lines) {
    if (!line.includes('"kind":"process"')) continue;
    let ev: ProcessEvent;
    try {
      ev = JSON.parse(line) as ProcessEvent;
    } catch {
      continue; // the first line of the window may be cut
    }
    if (ev.event === 'exit') return ev;
  }
  return undefined;
}

async function connectStdio(cell: Cell, files: CellFiles, opts: ConnectOptions): Promise<Connection> {
  const serverArgv = [...implCommand(cell.server, 'server'), '--scenario', files.scenario, '--transport', 'stdio'];
  const env = Object.entries(implEnv(cell.server)).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  const tapArgv = [
    process.execPath,
    TAP,
    '--trace',
    files.trace,
    '--stderr',
    files.serverStderr,
    '--pid-file',
    files.serverPids,
    ...(cell.scenario.faults.length ? ['--faults', files.faults] : []),
    ...env,
    '--',
    ...serverArgv,
  ];
  let watcher: NodeJS.Timeout | undefined;
  if (opts.onServerPid) {
    const notify = opts.onServerPid;
    watcher = setInterval(() => {
      const pids = readPids(files.serverPids);
      // front, tap, server: the last one is the server driver
      if (pids.length >= 3) {
        clearInterval(watcher);
        notify(pids[pids.length - 1]!);
      }
    }, 20);
  }
  // The tap runs detached from the client's process group: an interrupted harness kills it by its pid file.
  const forget = killOnInterrupt(() => readPids(files.serverPids));
  return {
    clientArgs: ['--transport', 'stdio', '--server-command', JSON.stringify(tapArgv)],
    async stop() {
      clearInterval(watcher);
      const pids = readPids(files.serverPids);
      // The client SDK closes the server at the end; give it a moment to exit by itself so the
      // tap can record how it ended (after letting the conversation settle), then make sure.
      await waitGone(pids, 2000 + SETTLE.maxMs);
      const leftovers = await stopAll(pids);
      forget();
      const exit = tracedExit(files.trace);
      const server = sideRun(exit && { code: exit.code ?? null, signal: exit.signal ?? null }, exit?.t, files.serverStderr);
      return { server, leftovers };
    },
  };
}

// ---------------------------------------------------------------------------------------------

/** Resolves with the URL of the driver's `ready: <url>` line; rejects when it exits or times out. */
function waitForReady(proc: Proc, timeoutMs: number, files: CellFiles): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = new LineSplitter();
    const timer = setTimeout(
      () => done(new Error(`the server driver did not print its "${READY_PREFIX} <url>" line within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      const ready = lines.push(chunk).find((l) => l.startsWith(READY_PREFIX));
      if (ready) done(undefined, ready.slice(READY_PREFIX.length).trim());
    };
    proc.stdout?.on('data', onData);
    void proc.then((res) => {
      const stderr = tail(files.serverStderr, 6);
      done(
        new Error(`the server driver exited (${res.signal ?? `code ${res.exitCode}`}) before it was ready${stderr ? `:\n${stderr}` : ''}`),
      );
    });
    function done(err?: Error, url?: string) {
      clearTimeout(timer);
      proc.stdout?.off('data', onData);
      if (err) reject(err);
      else resolve(url!);
    }
  });
}

/** Start-up only: the port may need a moment after the ready line; retry the TCP connect briefly. */
async function probe(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  await pRetry(
    () =>
      new Promise<void>((resolve, reject) => {
        const socket = createConnection({ host: hostname, port: Number(port) });
        socket.once('connect', () => {
          socket.destroy();
          resolve();
        });
        socket.once('error', reject);
      }),
    { retries: 5, minTimeout: 50, factor: 2 },
  );
}

/** Resolves once nothing listens on the port any more (a restarted server must be able to bind it). */
async function waitPortFree(port: number, timeoutMs: number): Promise<boolean> {
  const started = monoMs();
  for (;;) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free || monoMs() - started > timeoutMs) return free;
    await sleep(50);
  }
}

/** One server driver process (HTTP): the first, or a fresh one after a restartServer fault. */
interface ServerProc {
  proc: Proc;
  pid: number | undefined;
  exitedAt?: number;
}

async function connectHttp(cell: Cell, files: CellFiles, opts: ConnectOptions): Promise<Connection> {
  const port = opts.serverPort ?? (await getPort({ host: '127.0.0.1' }));
  const argv = [...implCommand(cell.server, 'server'), '--scenario', files.scenario, '--transport', 'http', '--port', String(port)];
  const launch = (append: boolean): ServerProc => {
    const proc = startProcess(argv, {
      cwd: ROOT,
      stdoutFile: files.serverStdout,
      stderrFile: files.serverStderr,
      pipeStdout: true,
      env: implEnv(cell.server),
      append,
    });
    const server: ServerProc = { proc, pid: proc.pid };
    if (server.pid !== undefined) opts.onServerPid?.(server.pid);
    void proc.then(() => (server.exitedAt = monoMs()));
    return server;
  };
  let current = launch(false);
  /** Processes that outlived a restart's SIGKILL. */
  const restartLeftovers: number[] = [];
  const stopServer = async (): Promise<{ server: SideRun; leftovers: number[] }> => {
    const leftovers = current.pid !== undefined ? await stopAll([current.pid]) : [];
    const exit = await waitExit(current.proc, 1000);
    return { server: sideRun(exit, current.exitedAt, files.serverStderr), leftovers: [...restartLeftovers, ...leftovers] };
  };

  let url: string;
  try {
    url = await waitForReady(current.proc, opts.readyTimeoutMs, files);
    await probe(url);
  } catch (err) {
    const { server, leftovers } = await stopServer();
    server.startError = (err as Error).message;
    throw new ConnectError(server, leftovers);
  }

  const trace = new TraceWriter(files.trace);
  /**
   * restartServer: the contract's stop (SIGTERM, then SIGKILL), the port free again, a fresh
   * process on the same port, its ready line; both processes recorded in the trace. Tasks the
   * old process held in memory are gone, which is the point.
   */
  const restartServer = async (): Promise<void> => {
    const old = current;
    if (old.pid !== undefined) restartLeftovers.push(...(await stopAll([old.pid])));
    const exit = await waitExit(old.proc, 1000);
    trace.write({ kind: 'process', role: 'server', event: 'exit', pid: old.pid, code: exit?.code ?? null, signal: exit?.signal ?? null });
    if (!(await waitPortFree(port, 5000))) throw new Error(`port ${port} is still taken 5 s after the server stopped`);
    current = launch(true);
    if (current.pid !== undefined) trace.write({ kind: 'process', role: 'server', event: 'spawn', pid: current.pid, argv });
    const ready = await waitForReady(current.proc, opts.readyTimeoutMs, files);
    await probe(ready);
  };
  const proxy = await startHttpProxy({
    target: url,
    port: await getPort({ host: '127.0.0.1' }),
    trace,
    faults: cell.scenario.faults,
    restartServer,
    settle: SETTLE,
  });
  return {
    clientArgs: ['--transport', 'http', '--url', proxy.url],
    async stop() {
      // Whatever the server still had to say before the client hung up (settle.ts).
      await proxy.settle();
      await proxy.close();
      trace.close();
      return stopServer();
    },
  };
}
