/**
 * Stage 3: one cell → its files on disk and the facts of how its processes ended.
 * Every wait has a deadline, and every process is gone when this returns, whatever happened.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { ROOT } from '../paths.js';
import { implCommand, implEnv } from '../plan/implementations.js';
import type { Cell } from '../plan/plan.js';
import { monoMs } from '../record/clock.js';
import { toDriverInput } from '../vocabulary/driver.js';
import { cellFiles } from './cell-files.js';
import { ConnectError, type Connection, type ConnectOptions, connect } from './connect.js';
import { startProcess, stopAll, waitExit } from './processes.js';
import { sideRun } from './stderr-tail.js';
import type { CellRun, SideRun } from './types.js';

export interface RunCellOptions extends Partial<ConnectOptions> {
  /** Override the scenario's timeoutMs. */
  timeoutMs?: number;
}

export async function runCell(cell: Cell, dir: string, opts: RunCellOptions = {}): Promise<CellRun> {
  mkdirSync(dir, { recursive: true });
  const files = cellFiles(dir);
  writeFileSync(files.scenario, JSON.stringify(toDriverInput(cell.scenario), null, 2));
  // The stdio tap reads the faults from a file of their own (the drivers never see them).
  if (cell.scenario.faults.length) writeFileSync(files.faults, JSON.stringify(cell.scenario.faults, null, 2));
  const timeoutMs = opts.timeoutMs ?? cell.scenario.timeoutMs;
  const started = monoMs();
  const startedAt = new Date().toISOString();
  const result = (fields: { client: SideRun; server: SideRun; leftovers: number[]; timedOut?: boolean }): CellRun => ({
    files,
    startedAt,
    durationMs: Math.round(monoMs() - started),
    timeoutMs,
    timedOut: fields.timedOut ?? false,
    client: fields.client,
    server: fields.server,
    leftovers: fields.leftovers,
  });

  let connection: Connection;
  try {
    connection = await connect(cell, files, {
      readyTimeoutMs: Math.min(opts.readyTimeoutMs ?? 15_000, timeoutMs),
      serverPort: opts.serverPort,
      onServerPid: opts.onServerPid,
    });
  } catch (err) {
    if (err instanceof ConnectError) return result({ client: {}, server: err.server, leftovers: err.leftovers });
    throw err;
  }

  const argv = [
    ...implCommand(cell.client, 'client'),
    '--scenario',
    files.scenario,
    '--observations',
    files.observations,
    ...connection.clientArgs,
  ];
  const client = startProcess(argv, {
    cwd: ROOT,
    stdoutFile: files.clientStdout,
    stderrFile: files.clientStderr,
    env: implEnv(cell.client),
  });
  const remaining = Math.max(0, timeoutMs - (monoMs() - started));
  const clientExit = await waitExit(client, remaining);
  let leftovers: number[] = [];
  if (!clientExit && client.pid !== undefined) leftovers = await stopAll([client.pid]);
  const clientSide = sideRun(clientExit, monoMs(), files.clientStderr);
  if (!clientExit) await waitExit(client, 1000);

  const stopped = await connection.stop();
  return result({ client: clientSide, server: stopped.server, leftovers: [...leftovers, ...stopped.leftovers], timedOut: !clientExit });
}
