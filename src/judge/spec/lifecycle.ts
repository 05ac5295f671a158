/**
 * The task status lifecycle as observed across every Task-bearing message (CreateTaskResult,
 * tasks/get, tasks/list, tasks/cancel results and status notifications).
 *
 * Every move between non-terminal statuses is allowed (working <-> input_required), and both may
 * go to any terminal status; so the only invalid path the wire can show is a task leaving a
 * terminal status. Order comes from happensBefore(): on HTTP two snapshots on different streams
 * are compared only when causality orders them, never by the proxy's interleaving.
 */
import {
  findTask,
  happensBefore,
  indexOf,
  isObject,
  isTerminal,
  otherSide,
  paramTaskId,
  sentAt,
  type TaskRecord,
  type TaskSnapshot,
  type TraceIndex,
} from '../trace-index.js';
import { inputRequests, inputTaskId } from './association.js';
import { defineCheck, show, Verdict } from './define.js';

/** Snapshots that certainly came after a snapshot with status `from`, with a different status. */
function departures(index: TraceIndex, rec: TaskRecord, isFrom: (status: unknown) => boolean): { from: TaskSnapshot; to: TaskSnapshot }[] {
  // The candidate `from`s by status, each list in snapshot order: a poll-heavy task has tens of
  // thousands of `working` snapshots and a handful of terminal ones, so only those are searched.
  const froms = new Map<unknown, { at: number; snap: TaskSnapshot }[]>();
  rec.snapshots.forEach((snap, at) => {
    if (!isFrom(snap.status)) return;
    const list = froms.get(snap.status);
    if (list) list.push({ at, snap });
    else froms.set(snap.status, [{ at, snap }]);
  });
  const out: { from: TaskSnapshot; to: TaskSnapshot }[] = [];
  if (!froms.size) return out;
  for (const to of rec.snapshots) {
    // The first snapshot, in snapshot order, of another such status that happened before `to`.
    let best: { at: number; snap: TaskSnapshot } | undefined;
    for (const [status, list] of froms) {
      if (status === to.status) continue;
      const hit = list.find((a) => (best === undefined || a.at < best.at) && happensBefore(index, a.snap, to));
      if (hit && (best === undefined || hit.at < best.at)) best = hit;
    }
    if (best) out.push({ from: best.snap, to });
  }
  return out;
}

export const taskBeginsWorking = defineCheck({
  id: 'task-begins-working',
  requirements: ['lifecycle-begin-working'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    for (const rec of indexOf(record).tasks.values()) {
      const first = rec.snapshots.find((s) => s.source === 'create');
      if (!first) continue;
      v.applies();
      if (first.status !== 'working')
        v.fail(rec.owner, `task ${show(rec.taskId)} was created with status ${show(first.status)}, not "working"`, [first.seq]);
    }
    return v.result();
  },
});

export const terminalStatusFinal = defineCheck({
  id: 'terminal-status-final',
  requirements: ['lifecycle-terminal-final', 'lifecycle-valid-paths'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const rec of index.tasks.values()) {
      // cancelled has its own requirement (cancelled-stays-cancelled).
      const done = (s: unknown) => s === 'completed' || s === 'failed';
      if (!rec.snapshots.some((s) => done(s.status))) continue;
      v.applies();
      const moves = departures(index, rec, done);
      if (moves.length) {
        const first = moves[0]!;
        v.fail(
          rec.owner,
          `task ${show(rec.taskId)} left terminal status ${show(first.from.status)} for ${moves.map((m) => show(m.to.status)).join(', ')}`,
          [first.from.seq, ...moves.map((m) => m.to.seq)],
        );
      }
    }
    return v.result();
  },
});

export const cancelledStaysCancelled = defineCheck({
  id: 'cancelled-stays-cancelled',
  requirements: ['cancel-stays', 'lifecycle-terminal-final'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const rec of index.tasks.values()) {
      if (!rec.snapshots.some((s) => s.status === 'cancelled')) continue;
      v.applies();
      const moves = departures(index, rec, (s) => s === 'cancelled');
      if (moves.length) {
        const first = moves[0]!;
        v.fail(rec.owner, `task ${show(rec.taskId)} was cancelled, then reported ${moves.map((m) => show(m.to.status)).join(', ')}`, [
          first.from.seq,
          ...moves.map((m) => m.to.seq),
        ]);
      }
    }
    return v.result();
  },
});

export const inputRequiredWhileAwaitingInput = defineCheck({
  id: 'input-required-while-awaiting-input',
  requirements: ['input-move-to-input-required'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const input of inputRequests(index)) {
      const taskId = inputTaskId(input);
      const rec = taskId === undefined ? undefined : index.tasks.get(`${input.owner}:${taskId}`);
      const answered = input.req.response;
      if (!rec || !answered) continue;
      // tasks/get answers the requestor asked for while the input request was outstanding (from
      // when the receiver sent it: a delay fault may have held it on its way).
      const from = sentAt(input.req).seq;
      const during = rec.snapshots.filter((s) => s.source === 'get' && s.request && s.request.seq > from && s.seq < answered.seq);
      if (!during.length) continue;
      v.applies();
      const wrong = during.filter((s) => s.status !== 'input_required');
      if (wrong.length) {
        v.fail(
          input.owner,
          `task ${show(taskId)} was reported ${wrong.map((s) => show(s.status)).join(', ')} while its ${input.req.method} (id ${show(input.req.id)}) awaited an answer; expected "input_required"`,
          [input.req.seq, ...wrong.map((s) => s.seq)],
        );
      }
    }
    return v.result();
  },
});

/** Time the receiver gets to act on an answer before a still-input_required status counts. */
export const INPUT_GRACE_MS = 200;

export const inputRequiredResolved = defineCheck({
  id: 'input-required-resolved',
  requirements: ['input-transition-out'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    const byTask = new Map<string, ReturnType<typeof inputRequests>>();
    for (const input of inputRequests(index)) {
      const taskId = inputTaskId(input);
      if (taskId === undefined) continue;
      const key = `${input.owner}:${taskId}`;
      byTask.set(key, [...(byTask.get(key) ?? []), input]);
    }
    for (const [key, inputs] of byTask) {
      const rec = index.tasks.get(key);
      // Only when every input request was answered: one still open explains input_required.
      if (!rec || inputs.some((i) => !i.req.response)) continue;
      const lastAnswer = inputs
        .map((i) => i.req.response!)
        .sort((a, b) => a.seq - b.seq)
        .pop()!;
      const when = (s: TaskSnapshot) => (s.request ? s.request.t : s.t);
      const after = rec.snapshots.filter((s) => s.seq > lastAnswer.seq && when(s) >= lastAnswer.t + INPUT_GRACE_MS);
      if (!after.length) continue;
      v.applies();
      const stuck = after.filter((s) => s.status === 'input_required');
      if (stuck.length) {
        v.fail(
          rec.owner,
          `task ${show(rec.taskId)} still reported "input_required" ${Math.round(when(stuck[0]!) - lastAnswer.t)} ms after its last input request was answered`,
          [lastAnswer.seq, ...stuck.map((s) => s.seq)],
        );
      }
    }
    return v.result();
  },
});

export const failedToolTaskStatus = defineCheck({
  id: 'failed-tool-task-status',
  requirements: ['exec-is-error-failed'],
  blame: 'server',
  serverToClient: false,
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const rec of index.tasks.values()) {
      if (rec.created?.request.method !== 'tools/call') continue;
      const errorResult = index.requests.find(
        (r) =>
          r.method === 'tasks/result' && r.sender !== rec.owner && r.params?.taskId === rec.taskId && r.response?.result?.isError === true,
      );
      const terminal = rec.snapshots.filter((s) => isTerminal(s.status));
      if (!errorResult || !terminal.length) continue;
      v.applies();
      const wrong = terminal.filter((s) => s.status === 'completed');
      if (wrong.length) {
        v.fail(rec.owner, `tool task ${show(rec.taskId)} returned a result with isError: true but ended "completed", not "failed"`, [
          errorResult.response!.seq,
          ...wrong.map((s) => s.seq),
        ]);
      }
    }
    return v.result();
  },
});

/** Time a receiver gets, after answering tasks/cancel, before more of the task's work counts as not stopped. */
export const CANCEL_STOP_GRACE_MS = 500;

export const cancelledTaskStops = defineCheck({
  id: 'cancelled-task-stops',
  requirements: ['cancel-attempt-stop'],
  // Neither SDK stops a task's work by itself: each driver's tool runner does, as its SDK documents
  // (TS: watch the store; Python: request_cancellation/is_cancelled). What keeps running is the driver's code.
  blame: 'harness',
  party: 'receiver',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    const inputs = inputRequests(index);
    for (const req of index.requests) {
      const taskId = paramTaskId(req);
      const res = req.response;
      if (req.method !== 'tasks/cancel' || taskId === undefined || res?.result?.status !== 'cancelled') continue;
      const owner = otherSide(req.sender);
      const rec = findTask(index, owner, taskId);
      // A trace that ends right after the cancel says nothing about whether the work stopped.
      if (!rec || index.last.t - res.t < CANCEL_STOP_GRACE_MS) continue;
      v.applies();
      const meta = rec.created?.request.params?._meta;
      const token = isObject(meta) ? meta.progressToken : undefined;
      const late = (t: number) => t > res.t + CANCEL_STOP_GRACE_MS;
      const progress = index.notifications.filter(
        (n) =>
          n.method === 'notifications/progress' &&
          n.sender === owner &&
          token !== undefined &&
          n.params?.progressToken === token &&
          late(n.t),
      );
      const asked = inputs.filter((i) => i.owner === owner && inputTaskId(i) === taskId && late(i.req.t));
      const work = [...progress.map((n) => n.seq), ...asked.map((i) => i.req.seq)].sort((a, b) => a - b);
      if (work.length) {
        v.fail(
          'harness',
          `task ${show(taskId)} was cancelled (seq ${res.seq}) but its work went on: ${progress.length ? `${progress.length} progress notification(s)` : ''}${progress.length && asked.length ? ' and ' : ''}${asked.length ? `${asked.length} input request(s)` : ''} more than ${CANCEL_STOP_GRACE_MS} ms later (the ${owner} driver's tool runner should stop a cancelled task's work)`,
          [req.seq, res.seq, ...work.slice(0, 10)],
        );
      }
    }
    return v.result();
  },
});

export const lifecycleChecks = [
  taskBeginsWorking,
  terminalStatusFinal,
  cancelledStaysCancelled,
  inputRequiredWhileAwaitingInput,
  inputRequiredResolved,
  failedToolTaskStatus,
  cancelledTaskStops,
];
