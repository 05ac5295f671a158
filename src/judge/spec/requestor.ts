/**
 * The requestor's side: polling pace, calling tasks/result on input_required, polling on until
 * the task is done, and not living on status notifications. A loop is judged only where the
 * requestor ran it itself: the client's whole-call flows (awaitTask) and poll steps (for pace),
 * and a server polling a client's task (its SDK's own loop). What a scenario scripts step by
 * step (a getTask right after a poll, a result step) is the scenario's and is not judged; a loop
 * the client driver wrote (`polledBy: driver`) blames the harness, not the SDK.
 */

import type { StepRecord } from '../../vocabulary/observation.js';
import {
  entriesBetween,
  faultBetween,
  findTask,
  indexOf,
  isTerminal,
  otherSide,
  paramTaskId,
  type RequestEntry,
  type Side,
  snapshotCut,
  type TaskRecord,
  type TraceIndex,
} from '../trace-index.js';
import type { Blame, CellRecord } from '../types.js';
import { defineCheck, show, Verdict } from './define.js';
import { flows, loopBlame, loopOwner, sessionIdOf, stepAt, stepRecords } from './flows.js';

/** Polls closer than this fraction of pollInterval count as not respecting it. */
export const POLL_TOLERANCE = 0.5;

/**
 * Per task, the last positive pollInterval reported at or before each snapshot: computed once,
 * because a task that reports pollInterval 0 on every poll would otherwise make each lookup walk
 * back to its creation (quadratic on a poll-heavy trace).
 */
const intervalsOf = new WeakMap<TaskRecord, (number | undefined)[]>();

function pollIntervalBefore(index: TraceIndex, owner: Side, taskId: string, seq: number): number | undefined {
  const rec = findTask(index, owner, taskId);
  if (!rec) return undefined;
  let intervals = intervalsOf.get(rec);
  if (!intervals) {
    let last: number | undefined;
    intervals = rec.snapshots.map((s) => {
      const p = s.task.pollInterval;
      if (typeof p === 'number' && p > 0) last = p;
      return last;
    });
    intervalsOf.set(rec, intervals);
  }
  const cut = snapshotCut(rec, seq);
  return cut > 0 ? intervals[cut - 1] : undefined;
}

export const pollIntervalRespected = defineCheck({
  id: 'poll-interval-respected',
  requirements: ['get-poll-interval', 'ttl-respect-poll-interval'],
  blame: 'client',
  run(record: CellRecord) {
    const index = indexOf(record);
    const steps = stepRecords(record);
    const v = new Verdict();
    const bySeries = new Map<string, RequestEntry[]>();
    for (const req of index.requests) {
      const taskId = paramTaskId(req);
      if (req.method !== 'tasks/get' || taskId === undefined) continue;
      const key = `${req.sender}|${req.session ?? ''}|${taskId}`;
      const series = bySeries.get(key);
      if (series) series.push(req);
      else bySeries.set(key, [req]);
    }
    for (const gets of bySeries.values()) {
      const early: { prev: RequestEntry; next: RequestEntry; gap: number; interval: number }[] = [];
      let loop: StepRecord | undefined;
      // The first poll after creation is free; each later poll is judged against the one before.
      for (let i = 1; i < gets.length; i++) {
        const prev = gets[i - 1]!;
        const next = gets[i]!;
        const taskId = paramTaskId(next)!;
        const owner = otherSide(next.sender);
        if (!prev.response?.result || prev.response.seq > next.seq) continue;
        const interval = pollIntervalBefore(index, owner, taskId, next.seq);
        if (interval === undefined) continue;
        if (next.sender === 'client') {
          // Two scenario steps one after the other are the script, not a polling loop.
          const a = stepAt(steps, prev.t);
          const b = stepAt(steps, next.t);
          if (a && b && a.index !== b.index) continue;
          loop = b;
        }
        // News in between (a status notification, a tasks/result answer) justifies a fresh look.
        const news = entriesBetween(index, prev.response.seq, next.seq).some(
          (e) =>
            e.sender === owner &&
            ((e.kind === 'notification' && e.method === 'notifications/tasks/status' && e.params?.taskId === taskId) ||
              (e.kind === 'response' && e.request?.method === 'tasks/result' && e.request.params?.taskId === taskId)),
        );
        if (news) continue;
        v.applies();
        const gap = next.t - prev.t;
        if (gap < POLL_TOLERANCE * interval) early.push({ prev, next, gap, interval });
      }
      if (early.length) {
        const worst = early.reduce((a, b) => (b.gap < a.gap ? b : a));
        const taskId = paramTaskId(worst.next);
        const requestor = worst.next.sender;
        const blame: Blame = requestor === 'client' ? loopBlame(loop) : requestor;
        const whose = requestor === 'client' ? ` (${loopOwner(loop)})` : '';
        v.fail(
          blame,
          `${early.length} tasks/get for task ${show(taskId)} came sooner than ${POLL_TOLERANCE} x pollInterval after the previous one (closest: ${Math.round(worst.gap)} ms with pollInterval ${worst.interval} ms)${whose}`,
          early.slice(0, 10).flatMap((e) => [e.prev.seq, e.next.seq]),
        );
      }
    }
    return v.result();
  },
});

/** The requests a client flow (awaitTask step) made for its task, in trace order (in its own HTTP session when known). */
function flowRequests(index: TraceIndex, flow: StepRecord & { taskId: string }, sessionId: string | undefined): RequestEntry[] {
  return index.requests.filter(
    (r) =>
      r.sender === 'client' &&
      r.method.startsWith('tasks/') &&
      paramTaskId(r) === flow.taskId &&
      r.t >= flow.startedAt - 1 &&
      r.t <= flow.endedAt + 1 &&
      (sessionId === undefined || r.session === undefined || r.session === sessionId),
  );
}

/** A requestor's own loop over one task: who, its requests, and (for a client flow) its step. */
interface Loop {
  requestor: Side;
  rec: TaskRecord;
  requests: RequestEntry[];
  flow?: StepRecord & { taskId: string };
  blame: Blame;
  who: string;
}

/** Client awaitTask flows, and servers polling a client's task (their SDK's loop). */
function loops(record: CellRecord): Loop[] {
  const index = indexOf(record);
  const out: Loop[] = [];
  for (const flow of flows(record)) {
    const rec = findTask(index, 'server', flow.taskId);
    const requests = flowRequests(index, flow, sessionIdOf(record, flow.session));
    if (rec) out.push({ requestor: 'client', rec, requests, flow, blame: loopBlame(flow), who: loopOwner(flow) });
  }
  for (const rec of index.tasks.values()) {
    if (rec.owner !== 'client' || !rec.created) continue;
    const requests = index.requests.filter((r) => r.sender === 'server' && r.method.startsWith('tasks/') && paramTaskId(r) === rec.taskId);
    out.push({ requestor: 'server', rec, requests, blame: 'server', who: "the server SDK's own loop" });
  }
  return out;
}

export const inputRequiredCallsResult = defineCheck({
  id: 'input-required-calls-result',
  requirements: ['input-preemptive-result'],
  blame: 'client',
  run(record) {
    const v = new Verdict();
    for (const loop of loops(record)) {
      const asked = new Set(loop.requests.map((r) => r.seq));
      const seen = loop.rec.snapshots.find((s) => s.status === 'input_required' && s.request && asked.has(s.request.seq));
      if (!seen) continue;
      v.applies();
      const called = loop.requests.some(
        (r) => r.method === 'tasks/result' && (r.seq > seen.seq || r.response === undefined || r.response.seq > seen.seq),
      );
      if (!called)
        v.fail(loop.blame, `${loop.who} saw task ${show(loop.rec.taskId)} in "input_required" but never called tasks/result for it`, [
          seen.seq,
        ]);
    }
    return v.result();
  },
});

/** Longest a requestor may go without polling a task it last knew as running, in pollIntervals (and at least MIN_GAP_MS). */
export const GAP_POLL_INTERVALS = 5;
export const MIN_GAP_MS = 2000;
/** pollInterval assumed when the receiver suggested none. */
const DEFAULT_POLL_MS = 1000;

interface Knowledge {
  t: number;
  seq: number;
  status: unknown;
  pollInterval?: number;
  /** A tasks/result answered with a result: the task is done. */
  done?: boolean;
}

/** What the requestor learned about its task from answers to its own requests (and the creation), in time order. */
function learned(loop: Loop): Knowledge[] {
  const out: Knowledge[] = [];
  const own = new Set(loop.requests.map((r) => r.seq));
  for (const s of loop.rec.snapshots) {
    if (s.source === 'create' || (s.request && own.has(s.request.seq) && (s.source === 'get' || s.source === 'cancel'))) {
      const p = s.task.pollInterval;
      out.push({ t: s.t, seq: s.seq, status: s.status, ...(typeof p === 'number' && p > 0 ? { pollInterval: p } : {}) });
    }
  }
  for (const r of loop.requests) {
    if (r.method === 'tasks/result' && r.response?.result)
      out.push({ t: r.response.t, seq: r.response.seq, status: undefined, done: true });
  }
  return out.sort((a, b) => a.t - b.t);
}

function resultOpenAt(loop: Loop, t: number): boolean {
  return loop.requests.some((r) => r.method === 'tasks/result' && r.t <= t && (r.response === undefined || r.response.t > t));
}

export const requestorPollsUntilTerminal = defineCheck({
  id: 'requestor-polls-until-terminal',
  requirements: ['get-poll-until-terminal', 'status-notification-keep-polling', 'get-poll-after-result'],
  blame: 'client',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const loop of loops(record)) {
      const facts = learned(loop);
      if (!facts.length) continue;
      v.applies();
      const end = loop.flow ? loop.flow.endedAt : index.last.t;
      let interval = DEFAULT_POLL_MS;
      let reported = false;
      // Idle spells: the task last known running, no tasks/result open, and no request until the next one.
      for (const [i, k] of facts.entries()) {
        if (k.pollInterval !== undefined) interval = k.pollInterval;
        if (k.done || isTerminal(k.status)) break;
        if (k.status === 'input_required' || resultOpenAt(loop, k.t)) continue;
        const next = loop.requests.find((r) => r.t > k.t);
        const until = next ? next.t : end;
        const bound = Math.max(GAP_POLL_INTERVALS * interval, MIN_GAP_MS);
        const later = facts[i + 1];
        // A harness fault in the silence (a dropped answer, garbage on the stream) explains it.
        if (faultBetween(index, k.t - 1, until)) break;
        if (until - k.t > bound && (!later || later.t >= until)) {
          v.fail(
            loop.blame,
            `${loop.who} knew task ${show(loop.rec.taskId)} as ${show(k.status)} and sent nothing for it for ${Math.round(until - k.t)} ms (pollInterval ${interval} ms): it stopped polling${next ? '' : loop.flow ? ' before the flow ended' : ' until the trace ended'}`,
            [k.seq, ...(next ? [next.seq] : [])],
          );
          reported = true;
          break;
        }
      }
      // A client flow that ended on its own (not the driver's timeout, not a fault, not a
      // tasks/get the receiver refused: a task gone cannot be polled) knowing its task still running.
      const flow = loop.flow;
      if (!flow || reported || flow.error?.local) continue;
      const before = facts.filter((k) => k.t <= flow.endedAt + 1);
      const last = before[before.length - 1];
      const lastReq = loop.requests.filter((r) => r.t <= flow.endedAt + 1).pop();
      const refused = lastReq?.method !== 'tasks/result' && lastReq?.response?.error !== undefined;
      if (!last || refused || faultBetween(index, last.t - 1, flow.endedAt + 1)) continue;
      if (!last.done && !isTerminal(last.status) && last.status !== 'input_required') {
        const failedResult = loop.requests.find((r) => r.method === 'tasks/result' && r.response?.error);
        v.fail(
          loop.blame,
          `${loop.who} ended while it last knew task ${show(loop.rec.taskId)} as ${show(last.status)}${failedResult ? ` (after its tasks/result failed with ${show(failedResult.response!.error!.code)}, it did not poll again)` : ''}: it stopped polling before a terminal status`,
          [last.seq, ...(failedResult ? [failedResult.seq, failedResult.response!.seq] : [])],
        );
      }
    }
    return v.result();
  },
});

export const flowStatusFromPolls = defineCheck({
  id: 'flow-status-from-polls',
  requirements: ['status-notification-not-relied', 'notifications-not-relied'],
  blame: 'client',
  serverToClient: false,
  run(record) {
    const v = new Verdict();
    for (const loop of loops(record)) {
      const flow = loop.flow;
      if (!flow?.polls?.length) continue;
      const own = new Set(loop.requests.map((r) => r.seq));
      for (const p of flow.polls) {
        const by = p.at + 1;
        const polled = loop.rec.snapshots.some(
          (s) => s.status === p.status && s.t <= by && (s.source === 'create' || (s.request !== undefined && own.has(s.request.seq))),
        );
        const fetched = isTerminal(p.status) && loop.requests.some((r) => r.method === 'tasks/result' && r.response && r.response.t <= by);
        const notified = loop.rec.snapshots.find((s) => s.source === 'notification' && s.status === p.status && s.t <= by);
        if (polled || fetched) {
          v.applies();
          continue;
        }
        if (!notified) continue;
        v.applies();
        v.fail(
          loop.blame,
          `${loop.who} reported status ${show(p.status)} of task ${show(loop.rec.taskId)} that only a notifications/tasks/status (seq ${notified.seq}) had said, no answer to its own requests: it relied on the optional notification`,
          [notified.seq],
        );
      }
    }
    return v.result();
  },
});

export const requestorChecks = [pollIntervalRespected, inputRequiredCallsResult, requestorPollsUntilTerminal, flowStatusFromPolls];
