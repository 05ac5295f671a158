/**
 * The requestor's side: polling pace, task ids it did not get from the receiver, and calling
 * tasks/result on input_required. Steps the scenario asked for on purpose are left out (see
 * exemptions.ts), and so are polls that different scenario steps made (a `getTask` right after a
 * `poll` is the script, not the polling loop).
 */

import type { StepRecord } from '../../vocabulary/observation.js';
import { findTask, indexOf, otherSide, paramTaskId, type RequestEntry, snapshotsBefore, type TraceIndex } from '../trace-index.js';
import type { CellRecord } from '../types.js';
import { defineCheck, show, Verdict } from './define.js';
import { asksForResult, literalTaskIds } from './exemptions.js';

/** Polls closer than this fraction of pollInterval count as not respecting it. */
export const POLL_TOLERANCE = 0.5;

/**
 * Index of the client step a request recorded at `t` belongs to: the step that started last
 * before it (observations and trace share one monotonic clock, and the recorder sees a request
 * only after the driver began the step that sends it; step windows may touch).
 */
function stepAt(steps: StepRecord[], t: number): number | undefined {
  let best: StepRecord | undefined;
  for (const s of steps) if (s.startedAt <= t && (!best || s.startedAt > best.startedAt)) best = s;
  return best?.index;
}

function pollIntervalBefore(index: TraceIndex, owner: 'client' | 'server', taskId: string, seq: number): number | undefined {
  const snaps = snapshotsBefore(findTask(index, owner, taskId), seq);
  for (let i = snaps.length - 1; i >= 0; i--) {
    const p = snaps[i]!.task.pollInterval;
    if (typeof p === 'number' && p > 0) return p;
  }
  return undefined;
}

export const pollIntervalRespected = defineCheck({
  id: 'poll-interval-respected',
  requirements: ['get-poll-interval', 'ttl-respect-poll-interval'],
  blame: 'client',
  run(record: CellRecord) {
    const index = indexOf(record);
    const steps = record.observations.filter((o): o is StepRecord => o.type === 'step');
    const v = new Verdict();
    const bySeries = new Map<string, RequestEntry[]>();
    for (const req of index.requests) {
      const taskId = paramTaskId(req);
      if (req.method !== 'tasks/get' || taskId === undefined) continue;
      const key = `${req.sender}:${taskId}`;
      bySeries.set(key, [...(bySeries.get(key) ?? []), req]);
    }
    for (const gets of bySeries.values()) {
      const early: { prev: RequestEntry; next: RequestEntry; gap: number; interval: number }[] = [];
      // The first poll after creation is free; each later poll is judged against the one before.
      for (let i = 1; i < gets.length; i++) {
        const prev = gets[i - 1]!;
        const next = gets[i]!;
        const taskId = paramTaskId(next)!;
        const owner = otherSide(next.sender);
        if (!prev.response?.result || prev.response.seq > next.seq) continue;
        const interval = pollIntervalBefore(index, owner, taskId, next.seq);
        if (interval === undefined) continue;
        const a = stepAt(steps, prev.t);
        const b = stepAt(steps, next.t);
        if (a !== undefined && b !== undefined && a !== b) continue;
        // News in between (a status notification, a tasks/result answer) justifies a fresh look.
        const news = index.entries.some(
          (e) =>
            e.seq > prev.response!.seq &&
            e.seq < next.seq &&
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
        v.fail(
          worst.next.sender,
          `${early.length} tasks/get for task ${show(taskId)} came sooner than ${POLL_TOLERANCE} x pollInterval after the previous one (closest: ${Math.round(worst.gap)} ms with pollInterval ${worst.interval} ms)`,
          early.slice(0, 10).flatMap((e) => [e.prev.seq, e.next.seq]),
        );
      }
    }
    return v.result();
  },
});

export const taskIdFromReceiver = defineCheck({
  id: 'task-id-from-receiver',
  requirements: ['id-receiver-generated'],
  // The sentence binds the receiver; a requestor naming an id no receiver generated breaks it too.
  party: 'requestor',
  blame: 'client',
  run(record) {
    const index = indexOf(record);
    const literal = literalTaskIds(record.scenario);
    const v = new Verdict();
    for (const req of index.requests) {
      if (req.method !== 'tasks/get' && req.method !== 'tasks/result' && req.method !== 'tasks/cancel') continue;
      const taskId = req.params?.taskId;
      if (typeof taskId === 'string' && literal.has(taskId)) continue;
      v.applies();
      const known = typeof taskId === 'string' && snapshotsBefore(findTask(index, otherSide(req.sender), taskId), req.seq).length > 0;
      if (!known)
        v.fail(
          req.sender,
          `${req.method} names task ${show(taskId)}, which the ${otherSide(req.sender)} never generated or reported before (task ids come from the receiver)`,
          [req.seq],
        );
    }
    return v.result();
  },
});

export const inputRequiredCallsResult = defineCheck({
  id: 'input-required-calls-result',
  requirements: ['input-preemptive-result'],
  blame: 'client',
  run(record) {
    // A script without any tasks/result step cannot make its requestor call it.
    if (!asksForResult(record.scenario)) return 'n/a';
    const index = indexOf(record);
    const v = new Verdict();
    for (const rec of index.tasks.values()) {
      const seen = rec.snapshots.find((s) => s.status === 'input_required');
      if (!seen) continue;
      v.applies();
      const requestor = otherSide(rec.owner);
      const called = index.requests.some(
        (r) =>
          r.method === 'tasks/result' &&
          r.sender === requestor &&
          paramTaskId(r) === rec.taskId &&
          (r.seq > seen.seq || r.response === undefined || r.response.seq > seen.seq),
      );
      if (!called)
        v.fail(requestor, `the ${requestor} saw task ${show(rec.taskId)} in "input_required" but never called tasks/result for it`, [
          seen.seq,
        ]);
    }
    return v.result();
  },
});

export const requestorChecks = [pollIntervalRespected, taskIdFromReceiver, inputRequiredCallsResult];
