/**
 * Results: the CreateTaskResult a task-augmented request gets, and what tasks/result, tasks/get
 * and tasks/cancel return for a task.
 */
import {
  capabilitiesOf,
  declaresTaskRequest,
  errorCode,
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
  snapshotsBefore,
  type TaskRecord,
  type TraceIndex,
} from '../trace-index.js';
import { toolSupport } from './capabilities.js';
import { defineCheck, show, Verdict } from './define.js';

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

export const createTaskResult = defineCheck({
  id: 'create-task-result',
  requirements: ['retrieval-create-task-result'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const req of index.requests) {
      const receiver = otherSide(req.sender);
      if (!isTaskAugmented(req) || !req.response || !hasInitialize(index, receiver)) continue;
      // Only requests the receiver offers tasks for; others must be processed normally.
      if (!declaresTaskRequest(capabilitiesOf(index, receiver, req.seq), req.method)) continue;
      if (req.method === 'tools/call') {
        const support =
          typeof req.params?.name === 'string' ? toolSupport(index, record.scenario, req.params.name, req.seq)?.support : undefined;
        if (support !== 'optional' && support !== 'required') continue;
      }
      v.applies();
      const res = req.response;
      if (!res.error && !isCreateTaskResult(res)) {
        v.fail(
          receiver,
          `task-augmented ${req.method} (id ${show(req.id)}) was answered with ${show(res.result)}, not a CreateTaskResult (or an error)`,
          [req.seq, res.seq],
        );
      }
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
      const before = taskId === undefined ? [] : snapshotsBefore(findTask(index, owner, taskId), req.seq);
      const terminal = before.filter((s) => isTerminal(s.status)).pop();
      if (!terminal) continue;
      const res = req.response;
      // A trace that ends right after the request says nothing about promptness.
      if (!res && index.last.t - req.t < PROMPT_MS) continue;
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
    }
    return v.result();
  },
});

export const tasksResultBlocksUntilTerminal = defineCheck({
  id: 'tasks-result-blocks-until-terminal',
  requirements: ['retrieval-block'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const { req, res, taskId, rec } of answeredResults(index)) {
      v.applies();
      // Answers to requests sent after this result arrived show the task's state after it:
      // a non-terminal status there (or a cancel that succeeded) means the result came too early.
      const later = rec.snapshots.filter((s) => s.request && s.request.seq > res.seq && (!isTerminal(s.status) || s.source === 'cancel'));
      if (later.length) {
        const s = later[0]!;
        const what = s.source === 'cancel' ? 'could still be cancelled' : `was still ${show(s.status)}`;
        v.fail(res.sender, `tasks/result for task ${show(taskId)} returned before the task was terminal: it ${what} afterwards`, [
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
      // -32602 after a first answer is the task being deleted (allowed after its ttl), not a change.
      if (taskId === undefined || !res || errorCode(res) === -32602) continue;
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

export const MODEL_IMMEDIATE_RESPONSE_KEY = 'io.modelcontextprotocol/model-immediate-response';

export const modelImmediateResponseString = defineCheck({
  id: 'model-immediate-response-string',
  requirements: ['create-immediate-response-string'],
  // The page calls this guidance non-binding and provisional: information only.
  level: 'MAY',
  blame: 'server',
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
  tasksResultRelatedTask,
  tasksResultTerminalAnswered,
  tasksResultBlocksUntilTerminal,
  tasksResultMatchesRequestType,
  tasksResultStable,
  taskOpTargetsParamTask,
  cancelResultCancelled,
  modelImmediateResponseString,
];
