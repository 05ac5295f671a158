/**
 * Protocol errors a receiver owes: -32602 for a task id it never issued, for cancelling a terminal
 * task and for a cursor it never issued; and error messages that say something.
 */
import {
  errorCode,
  findTask,
  indexOf,
  isTaskAugmented,
  isTerminal,
  latestBefore,
  otherSide,
  type RequestEntry,
  type ResponseEntry,
  snapshotsBefore,
} from '../trace-index.js';
import { defineCheck, show, Verdict } from './define.js';

const BY_ID = new Set(['tasks/get', 'tasks/result', 'tasks/cancel']);

function answered(res: ResponseEntry): string {
  return res.error ? `error ${show(res.error.code)} ${show(res.error.message)}` : `a result ${show(res.result)}`;
}

export const unknownTaskInvalidParams = defineCheck({
  id: 'unknown-task-invalid-params',
  requirements: ['errors-invalid-task-id'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const req of index.requests) {
      if (!BY_ID.has(req.method) || !req.response) continue;
      const owner = otherSide(req.sender);
      const taskId = req.params?.taskId;
      // Known = the receiver had reported that task before the request (created, got or listed).
      if (typeof taskId === 'string' && latestBefore(findTask(index, owner, taskId), req.seq, () => true)) continue;
      v.applies();
      if (errorCode(req.response) !== -32602) {
        const what = typeof taskId === 'string' ? `unknown task ${show(taskId)}` : `invalid taskId ${show(taskId)}`;
        v.fail(owner, `${req.method} for ${what} was answered with ${answered(req.response)}, not error -32602 (Invalid params)`, [
          req.seq,
          req.response.seq,
        ]);
      }
    }
    return v.result();
  },
});

export const cancelTerminalInvalidParams = defineCheck({
  id: 'cancel-terminal-invalid-params',
  requirements: ['cancel-terminal-rejected', 'errors-cancel-terminal'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const req of index.requests) {
      const taskId = req.params?.taskId;
      if (req.method !== 'tasks/cancel' || typeof taskId !== 'string' || !req.response) continue;
      const owner = otherSide(req.sender);
      // Terminal is final, so a terminal status reported before the request still holds.
      const terminal = snapshotsBefore(findTask(index, owner, taskId), req.seq)
        .filter((s) => isTerminal(s.status))
        .pop();
      if (!terminal) continue;
      v.applies();
      if (errorCode(req.response) !== -32602) {
        v.fail(
          owner,
          `tasks/cancel for task ${show(taskId)}, already ${show(terminal.status)}, was answered with ${answered(req.response)}, not error -32602`,
          [terminal.seq, req.seq, req.response.seq],
        );
      }
    }
    return v.result();
  },
});

export const listCursorInvalidParams = defineCheck({
  id: 'list-cursor-invalid-params',
  requirements: ['errors-invalid-cursor'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const req of index.requests) {
      if (req.method !== 'tasks/list' || !req.params || !('cursor' in req.params) || !req.response) continue;
      const owner = otherSide(req.sender);
      const cursor = req.params.cursor;
      // Cursors the receiver handed out earlier to this requestor (this side, in this HTTP
      // session) are valid; anything else, another session's included, is invalid or nonexistent.
      const issued = index.requests.some(
        (r) =>
          r.method === 'tasks/list' &&
          r.sender === req.sender &&
          (r.session === undefined || req.session === undefined || r.session === req.session) &&
          r.response?.result &&
          r.response.seq < req.seq &&
          r.response.result.nextCursor === cursor,
      );
      if (issued) continue;
      v.applies();
      if (errorCode(req.response) !== -32602) {
        v.fail(
          owner,
          `tasks/list with cursor ${show(cursor)}, which the ${owner} never issued${req.session !== undefined ? ' in this session' : ''}, was answered with ${answered(req.response)}, not error -32602`,
          [req.seq, req.response.seq],
        );
      }
    }
    return v.result();
  },
});

/** "MCP error -32602: MCP error -32602: Task not found" → "Task not found". */
export function messageBody(message: unknown): string {
  return typeof message === 'string' ? message.replace(/^(\s*MCP error -?\d+:\s*)+/, '').trim() : '';
}

export const informativeErrorMessages = defineCheck({
  id: 'informative-error-messages',
  requirements: ['errors-informative'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    for (const req of indexOf(record).requests) {
      const res = req.response;
      if (!res?.error || !(req.method.startsWith('tasks/') || isTaskAugmented(req))) continue;
      v.applies();
      if (messageBody(res.error.message) === '')
        v.fail(res.sender, `error ${show(res.error.code)} to ${req.method} has no descriptive message (${show(res.error.message)})`, [
          res.seq,
        ]);
    }
    return v.result();
  },
});

/** The JSON-RPC 2.0 standard error codes (parse error, invalid request, method not found, invalid params, internal error). */
export const STANDARD_CODES = new Set([-32700, -32600, -32601, -32602, -32603]);

const TASK_OPS = new Set(['tasks/get', 'tasks/cancel', 'tasks/list']);

/** Whether the request came before its session's initialize was answered (a lifecycle error, not a task one). */
function beforeInitialize(index: ReturnType<typeof indexOf>, req: RequestEntry): boolean {
  const inits = index.initializations.filter(
    (i) => i.response && (req.session === undefined || i.session === undefined || i.session === req.session),
  );
  return !inits.some((i) => i.response!.seq < req.seq);
}

export const taskOpStandardErrors = defineCheck({
  id: 'task-op-standard-errors',
  requirements: ['errors-internal'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    // tasks/result is left out: its error may be the wrapped request's own, whatever its code.
    for (const req of index.requests) {
      const res = req.response;
      if (!TASK_OPS.has(req.method) || !res?.error || beforeInitialize(index, req)) continue;
      v.applies();
      const code = res.error.code;
      // The page's protocol errors are -32602 and, for internal errors, -32603: any other code
      // (say -32000) is neither one of its cases nor a standard JSON-RPC error.
      if (typeof code !== 'number' || !STANDARD_CODES.has(code)) {
        v.fail(
          res.sender,
          `${req.method} was answered with error ${show(code)} ${show(res.error.message)}: not a standard JSON-RPC error (an internal error is -32603)`,
          [req.seq, res.seq],
        );
      }
    }
    return v.result();
  },
});

export const errorChecks = [
  unknownTaskInvalidParams,
  cancelTerminalInvalidParams,
  listCursorInvalidParams,
  informativeErrorMessages,
  taskOpStandardErrors,
];
