/**
 * Findings about the run itself (ids `run:*`): a server that never got ready, a cell that timed
 * out, a driver that crashed, a server that died mid-cell, bad driver output, stray processes.
 */

import { tail } from '../run/stderr-tail.js';
import type { CellRun } from '../run/types.js';
import type { EndRecord, ObservationRecord } from '../vocabulary/observation.js';
import type { TraceEvent } from '../vocabulary/trace.js';
import type { Lines } from './read-records.js';
import { indexOf } from './trace-index.js';
import type { Finding } from './types.js';

const NORMAL_STOP = new Set(['SIGTERM', 'SIGINT']);

function exitText(exit: { code: number | null; signal: string | null }): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

export function runFindings(
  run: CellRun,
  observations: Lines<ObservationRecord>,
  trace: Lines<TraceEvent>,
  transport: 'stdio' | 'http',
): Finding[] {
  const out: Finding[] = [];
  const add = (
    id: string,
    blame: Finding['blame'],
    message: string,
    evidence: Finding['evidence'] = {},
    level: Finding['level'] = 'MUST',
  ) => out.push({ id, level, blame, message, evidence });
  const end = observations.records.find((r): r is EndRecord => r.type === 'end');

  if (run.server.startError) add('run:server-not-ready', 'server', run.server.startError);

  if (run.timedOut) {
    // Client requests that never got a response: who the cell was waiting on when it hung.
    const pending = indexOf({ trace: trace.records, transport }).requests.filter((r) => r.sender === 'client' && !r.response);
    const last = trace.records[trace.records.length - 1];
    const waitingOn = pending.length
      ? `waiting for the server to answer ${pending.map((r) => `${r.method} (#${r.seq})`).join(', ')}`
      : 'no request was pending';
    add(
      'run:timeout',
      pending.length ? 'server' : 'client',
      `the cell did not finish within ${run.timeoutMs} ms and was killed; ${waitingOn}${last ? `; last trace event #${last.seq}` : ''}`,
      {
        trace: pending.map((e) => e.seq),
      },
    );
  }

  const clientExit = run.client.exit;
  if (clientExit && clientExit.code !== 0 && clientExit.code !== 127) {
    const stderr = tail(run.files.clientStderr, 6);
    add('run:client-exit', 'client', `the client driver exited with ${exitText(clientExit)}${stderr ? `:\n${stderr}` : ''}`);
  }
  if (end && !end.ok)
    add('run:client-error', 'client', `the client driver stopped early: ${end.error ?? 'no reason given'}`, {
      observations: [observations.lineOf[observations.records.indexOf(end)] ?? 0],
    });

  const serverExit = run.server.exit;
  if (serverExit && run.server.exitedAt !== undefined && !run.server.startError && serverExit.code !== 127) {
    // The client's work is done when its last step ends: a server exit after that is the
    // normal shutdown the client SDK starts when it closes the session.
    const stepEnds = observations.records.flatMap((r) => (r.type === 'step' ? [r.endedAt] : []));
    const clientDone = stepEnds.length ? Math.max(...stepEnds) : (end?.at ?? run.client.exitedAt ?? Infinity);
    const exitEvent = trace.records.find((e) => e.kind === 'process' && e.event === 'exit');
    const evidence = exitEvent ? { trace: [exitEvent.seq] } : {};
    if (run.server.exitedAt < clientDone) {
      const stderr = tail(run.files.serverStderr, 6);
      add(
        'run:server-exit',
        'server',
        `the server driver exited with ${exitText(serverExit)} before the client had finished${stderr ? `:\n${stderr}` : ''}`,
        evidence,
      );
    } else if (
      serverExit.code !== 0 &&
      !(serverExit.signal && NORMAL_STOP.has(serverExit.signal)) &&
      serverExit.code !== 143 &&
      serverExit.code !== 130
    ) {
      add('run:server-exit-status', 'server', `the server driver exited with ${exitText(serverExit)} at shutdown`, evidence, 'SHOULD');
    }
  }

  if (!run.server.startError && !run.client.unsupported) {
    if (observations.missing) add('run:observations', 'client', 'the client driver wrote no observations file');
    for (const p of observations.problems)
      add('run:observations', 'client', `observations.jsonl line ${p.line + 1} does not follow the contract: ${p.message}`, {
        observations: [p.line],
      });
    if (!end && !run.timedOut && observations.records.length)
      add('run:client-incomplete', 'client', 'the client driver never wrote its final `end` record');
  }
  for (const p of trace.problems) add('run:trace', 'harness', `trace.jsonl line ${p.line + 1} is not a valid trace event: ${p.message}`);
  if (run.leftovers.length) add('run:leftover-processes', 'harness', `processes still alive after the cell: ${run.leftovers.join(', ')}`);
  return out;
}
