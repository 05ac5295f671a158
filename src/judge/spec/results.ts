/**
 * Results: the CreateTaskResult a task-augmented request gets, and what tasks/result, tasks/get
 * and tasks/cancel return for a task.
 */

import { CONTRACT } from '../../vocabulary/contract.js';
import {
  capabilitiesOf,
  declaresTaskRequest,
  errorCode,
  faultTouches,
  findTask,
  hasInitialize,
  indexOf,
  isCreateTaskResult,
  isObject,
  isTaskAugmented,
  isTerminal,
  otherSide,
  paramTaskId,
  type RequestEntry,
  type ResponseEntry,
  relatedTaskId,
  relatedTaskMeta,
  sentAt,
  snapshotsBefore,
  type TaskRecord,
  type TaskSnapshot,
  type TraceIndex,
  ttlBefore,
} from '../trace-index.js';
import { toolSupport } from './capabilities.js';
import { defineCheck, show, Verdict } from './define.js';
import { validateWire } from './wire-schemas.js';

/** A receiver answering tasks/result for an already-terminal task gets this long. */
export const PROMPT_MS = 2000;

function requestsFor(index: TraceIndex, method: string): RequestEntry[] {
  return index.requests.filter((r) => r.method === method);
}

/** tasks/result requests answered with a result, for a task the trace saw created. */
function answeredResults(
  index: TraceIndex,
): { req: RequestEntry; res: ResponseEntry; result: Record<string, unknown>; taskId: string; rec: TaskRecord }[] {
  return requestsFor(index, 'tasks/result').flatMap((req) => {
    const taskId = paramTaskId(req);
    const res = req.response;
    if (taskId === undefined || !res?.result) return [];
    const rec = findTask(index, res.sender, taskId);
    return rec ? [{ req, res, result: res.result, taskId, rec }] : [];
  });
}

/**
 * Why a task-augmented request may have been refused with an error rather than accepted: its
 * params are malformed (schema) or its ttl is not a duration. Undefined for a valid request.
 */
export function invalidTaskRequest(req: RequestEntry): string | undefined {
  const task = req.params?.task;
  const problems = validateWire('TaskMetadata', task);
  if (req.method === 'tools/call') problems.push(...validateWire('CallToolRequestParams', req.params));
  if (problems.length) return problems[0];
  const ttl = isObject(task) ? task.ttl : undefined;
  if (typeof ttl === 'number' && (ttl < 0 || !Number.isInteger(ttl))) return `task.ttl ${ttl} is not a duration in milliseconds`;
  return undefined;
}

export const createTaskResult = defineCheck({
  id: 'create-task-result',
  requirements: ['retrieval-create-task-result'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const req of index.requests) {
      const receiver = otherSide(req.sender);
      if (!isTaskAugmented(req) || !req.response || !hasInitialize(index, receiver, req.session)) continue;
      // Only requests the receiver offers tasks for; others must be processed normally.
      if (!declaresTaskRequest(capabilitiesOf(index, receiver, req.seq, req.session), req.method)) continue;
      if (req.method === 'tools/call') {
        const support =
          typeof req.params?.name === 'string' ? toolSupport(index, record.scenario, req.params.name, req.seq)?.support : undefined;
        if (support !== 'optional' && support !== 'required') continue;
      }
      v.applies();
      const res = req.response;
      if (res.error) {
        // Refusing a malformed request is fine; a valid one is accepted, and the wrapped request's
        // own failure belongs in tasks/result (the page: tasks/result returns that same error).
        if (invalidTaskRequest(req) !== undefined) continue;
        v.fail(
          receiver,
          `valid task-augmented ${req.method} (id ${show(req.id)}), which the ${receiver} offers tasks for, was answered with error ${show(res.error.code)} ${show(res.error.message)}, not a CreateTaskResult`,
          [req.seq, res.seq],
        );
      } else if (!isCreateTaskResult(res)) {
        v.fail(
          receiver,
          `task-augmented ${req.method} (id ${show(req.id)}) was answered with ${show(res.result)}, not a CreateTaskResult`,
          [req.seq, res.seq],
        );
      }
    }
    return v.result();
  },
});

/** A CreateTaskResult later than this after its request was not returned "as soon as possible". */
export const ASAP_MS = 1000;

export const createTaskResultPrompt = defineCheck({
  id: 'create-task-result-prompt',
  requirements: ['retrieval-asap'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    for (const rec of indexOf(record).tasks.values()) {
      if (!rec.created) continue;
      v.applies();
      const { request, response } = rec.created;
      // From when the receiver sent it: a delay fault may have held it on its way.
      const took = sentAt(response).t - request.t;
      if (took > ASAP_MS)
        v.fail(
          rec.owner,
          `the CreateTaskResult for task ${show(rec.taskId)} came ${Math.round(took)} ms after its ${request.method} (more than ${ASAP_MS} ms): not returned as soon as possible after accepting the task`,
          [request.seq, response.seq],
        );
    }
    return v.result();
  },
});

export const tasksResultRelatedTask = defineCheck({
  id: 'tasks-result-related-task',
  requirements: ['meta-result-must', 'assoc-related-task', 'meta-all-associated'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    for (const req of requestsFor(indexOf(record), 'tasks/result')) {
      const res = req.response;
      const taskId = paramTaskId(req);
      if (!res?.result || taskId === undefined) continue;
      v.applies();
      const got = relatedTaskId(res.result);
      if (got !== taskId) {
        const meta = relatedTaskMeta(res.result);
        v.fail(
          res.sender,
          `tasks/result for ${show(taskId)} returned _meta["io.modelcontextprotocol/related-task"] = ${show(meta)}; expected {"taskId": ${show(taskId)}}`,
          [req.seq, res.seq],
        );
      }
    }
    return v.result();
  },
});

/** Whether the task's ttl (counted from its creation, as the page does) had run out by `t`. */
function pastTtl(rec: TaskRecord | undefined, seq: number, t: number): boolean {
  const ttl = ttlBefore(rec, seq);
  return typeof ttl === 'number' && rec?.created !== undefined && t - rec.created.response.t >= ttl;
}

export const tasksResultTerminalAnswered = defineCheck({
  id: 'tasks-result-terminal-answered',
  requirements: ['retrieval-terminal-final-result'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const req of requestsFor(index, 'tasks/result')) {
      const taskId = paramTaskId(req);
      const owner = otherSide(req.sender);
      const rec = taskId === undefined ? undefined : findTask(index, owner, taskId);
      // What this requestor's own session had seen: another session's view says nothing here.
      const terminal = snapshotsBefore(rec, req.seq, req.session)
        .filter((s) => isTerminal(s.status))
        .pop();
      if (!terminal) continue;
      const res = req.response;
      // A trace that ends right after the request says nothing about promptness, nor does an
      // answer a harness fault cut off or dropped.
      if (!res && (index.last.t - req.t < PROMPT_MS || faultTouches(index, req))) continue;
      v.applies();
      if (!res)
        v.fail(owner, `tasks/result for task ${show(taskId)}, already ${show(terminal.status)}, got no response in the trace`, [
          terminal.seq,
          req.seq,
        ]);
      else if (res.t - req.t > PROMPT_MS)
        v.fail(
          owner,
          `tasks/result for task ${show(taskId)}, already ${show(terminal.status)}, took ${Math.round(res.t - req.t)} ms (more than ${PROMPT_MS} ms) to answer`,
          [terminal.seq, req.seq, res.seq],
        );
      else if (res.error && terminal.status === 'completed' && !pastTtl(rec, req.seq, res.t)) {
        // A completed request's final result is a successful one; an error (say -32602 "not
        // found") within the task's ttl is not it. Failed tasks may end in a JSON-RPC error, and
        // cancelled ones may be deleted at any time.
        v.fail(
          owner,
          `tasks/result for task ${show(taskId)}, already "completed" and within its ttl, was answered with error ${show(res.error.code)} ${show(res.error.message)}, not the final result`,
          [terminal.seq, req.seq, res.seq],
        );
      }
    }
    return v.result();
  },
});

/** Whether the requestor cancelled this request (notifications/cancelled) before it was answered. */
function cancelledByRequestor(index: TraceIndex, req: RequestEntry): boolean {
  return index.notifications.some(
    (n) =>
      n.method === 'notifications/cancelled' &&
      n.sender === req.sender &&
      n.seq > req.seq &&
      (req.response === undefined || n.seq < req.response.seq) &&
      n.params?.requestId === req.id &&
      (n.session === undefined || n.session === req.session),
  );
}

export const tasksResultBlocksUntilTerminal = defineCheck({
  id: 'tasks-result-blocks-until-terminal',
  requirements: ['retrieval-block'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const req of requestsFor(index, 'tasks/result')) {
      const taskId = paramTaskId(req);
      const res = req.response;
      if (taskId === undefined || !res) continue;
      const rec = findTask(index, res.sender, taskId);
      if (!rec) continue;
      // An answer to a request its requestor cancelled, or after the task's ttl, is not an early result.
      if (res.error && (cancelledByRequestor(index, req) || pastTtl(rec, req.seq, res.t))) continue;
      v.applies();
      // Answers to requests this session sent after this one was answered show the task's state
      // after it: a non-terminal status there (or a cancel that succeeded) means it came too early.
      const sameSession = (s: TaskSnapshot) =>
        req.session === undefined || s.entry.session === undefined || s.entry.session === req.session;
      const later = rec.snapshots.filter(
        (s) => s.request && s.request.seq > res.seq && sameSession(s) && (!isTerminal(s.status) || s.source === 'cancel'),
      );
      if (later.length) {
        const s = later[0]!;
        const what = s.source === 'cancel' ? 'could still be cancelled' : `was still ${show(s.status)}`;
        const answer = res.error ? `with error ${show(res.error.code)} ${show(res.error.message)}` : 'with a result';
        v.fail(res.sender, `tasks/result for task ${show(taskId)} returned ${answer} before the task was terminal: it ${what} afterwards`, [
          req.seq,
          res.seq,
          s.seq,
        ]);
      }
    }
    return v.result();
  },
});

/** The result shape of the request a task wrapped, as schema.ts defines it. */
function shapeProblem(method: string, result: Record<string, unknown>): string | undefined {
  if (method === 'tools/call') return Array.isArray(result.content) ? undefined : 'a CallToolResult needs a `content` array';
  if (method === 'elicitation/create')
    return ['accept', 'decline', 'cancel'].includes(result.action as string)
      ? undefined
      : 'an ElicitResult needs `action` accept|decline|cancel';
  if (method === 'sampling/createMessage') {
    const content = isObject(result.content) || Array.isArray(result.content);
    if (typeof result.role !== 'string' || !content) return 'a CreateMessageResult needs `role` and `content`';
    return typeof result.model === 'string' ? undefined : 'a CreateMessageResult needs `model`';
  }
  return undefined;
}

export const tasksResultMatchesRequestType = defineCheck({
  id: 'tasks-result-matches-request-type',
  requirements: ['retrieval-exact', 'exec-same-result'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const { req, res, result, taskId, rec } of answeredResults(index)) {
      const method = rec.created?.request.method;
      // A cancelled request has no defined result to compare with.
      if (!method || rec.snapshots.some((s) => s.status === 'cancelled')) continue;
      if (!['tools/call', 'elicitation/create', 'sampling/createMessage'].includes(method)) continue;
      v.applies();
      const problem = shapeProblem(method, result);
      if (problem)
        v.fail(res.sender, `tasks/result for ${method} task ${show(taskId)} returned ${show(result)}: ${problem}`, [req.seq, res.seq]);
    }
    return v.result();
  },
});

function outcome(res: ResponseEntry): string {
  if (res.error) return `error ${show(res.error.code)}`;
  const canon = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(canon)
      : isObject(x)
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, canon(x[k])]),
          )
        : x;
  return `result ${JSON.stringify(canon(res.result))}`;
}

export const tasksResultStable = defineCheck({
  id: 'tasks-result-stable',
  requirements: ['retrieval-exact', 'exec-same-error', 'exec-same-result'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    const firstBy = new Map<string, ResponseEntry>();
    for (const req of requestsFor(index, 'tasks/result')) {
      const taskId = paramTaskId(req);
      const res = req.response;
      // -32602 after a first answer is the task being deleted (allowed after its ttl), not a change;
      // and the answer to a request its requestor cancelled (Python: error 0 "Request cancelled") is not the task's.
      if (taskId === undefined || !res || errorCode(res) === -32602 || cancelledByRequestor(index, req)) continue;
      const key = `${res.sender}:${taskId}`;
      const first = firstBy.get(key);
      if (!first) {
        firstBy.set(key, res);
        continue;
      }
      v.applies();
      if (outcome(first) !== outcome(res)) {
        v.fail(
          res.sender,
          `tasks/result for task ${show(taskId)} answered differently on repeat: first ${outcome(first).slice(0, 100)}, then ${outcome(res).slice(0, 100)}`,
          [first.seq, res.seq],
        );
      }
    }
    return v.result();
  },
});

export const taskOpTargetsParamTask = defineCheck({
  id: 'task-op-targets-param-task',
  requirements: ['assoc-param-source-of-truth', 'assoc-ignore-meta'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const req of index.requests) {
      if (req.method !== 'tasks/get' && req.method !== 'tasks/cancel') continue;
      const taskId = paramTaskId(req);
      const res = req.response;
      if (taskId === undefined || !res?.result) continue;
      v.applies();
      if (res.result.taskId !== taskId) {
        const meta = relatedTaskId(req.params);
        const hint =
          meta !== undefined && meta === res.result.taskId
            ? " (the one named by the request's related-task metadata, which receivers must ignore)"
            : '';
        v.fail(res.sender, `${req.method} for ${show(taskId)} returned task ${show(res.result.taskId)}${hint}`, [req.seq, res.seq]);
      }
    }
    return v.result();
  },
});

export const cancelResultCancelled = defineCheck({
  id: 'cancel-result-cancelled',
  requirements: ['cancel-transition'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    for (const req of requestsFor(indexOf(record), 'tasks/cancel')) {
      const res = req.response;
      if (!res?.result) continue;
      v.applies();
      if (res.result.status !== 'cancelled')
        v.fail(
          res.sender,
          `tasks/cancel for ${show(req.params?.taskId)} succeeded with status ${show(res.result.status)}, not "cancelled"`,
          [req.seq, res.seq],
        );
    }
    return v.result();
  },
});

const MODEL_IMMEDIATE_RESPONSE_KEY = CONTRACT.immediateResponseKey;

export const modelImmediateResponseString = defineCheck({
  id: 'model-immediate-response-string',
  requirements: ['create-immediate-response-string'],
  // The page calls this guidance non-binding and provisional: information only.
  level: 'MAY',
  blame: 'server',
  serverToClient: false,
  run(record) {
    const v = new Verdict();
    for (const res of indexOf(record).responses) {
      if (!isCreateTaskResult(res) || !isObject(res.result?._meta) || !(MODEL_IMMEDIATE_RESPONSE_KEY in res.result._meta)) continue;
      v.applies();
      const value = res.result._meta[MODEL_IMMEDIATE_RESPONSE_KEY];
      if (typeof value !== 'string')
        v.fail(res.sender, `CreateTaskResult _meta["${MODEL_IMMEDIATE_RESPONSE_KEY}"] is ${show(value)}, not a string`, [res.seq]);
    }
    return v.result();
  },
});

export const resultChecks = [
  createTaskResult,
  createTaskResultPrompt,
  tasksResultRelatedTask,
  tasksResultTerminalAnswered,
  tasksResultBlocksUntilTerminal,
  tasksResultMatchesRequestType,
  tasksResultStable,
  taskOpTargetsParamTask,
  cancelResultCancelled,
  modelImmediateResponseString,
];
