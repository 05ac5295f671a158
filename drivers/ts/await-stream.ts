/**
 * awaitTask in the `ts-mcp` flavour: the whole call handed to
 * `client.experimental.tasks.callToolStream`, which decides on `task` by itself when it is not
 * given (`augment: auto`: only when the server declares tasks.requests.tools.call and the last
 * listTools showed the tool optional/required), polls tasks/get, calls tasks/result on
 * `completed` or `input_required`, and yields what it saw. The step records every yielded
 * message's status (`polls`, polledBy `sdk`), and the result or the error it yields, as yielded.
 *
 * The errors it makes up itself for `failed` and `cancelled` tasks ("Task <id> failed", code
 * -32603; Protocol.requestStream never sends tasks/result for them, typescript-sdk#1922) never
 * crossed the wire: they are recorded with code null, `local`, and `sdkCode`.
 */
import type { McpError } from '@modelcontextprotocol/sdk/types.js';
import { CallToolResultSchema, ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import type { ObservedError } from '../../src/vocabulary/index.js';
import { errorMessage, log, monoMs } from '../common.js';
import type { AwaitTask } from './client-steps.js';
import { ObservedStepError, observeError, wireErrorKey, wireMessage } from './observed-error.js';

/**
 * An error the stream yielded, as the observation records it (exported for tests). Besides the
 * errors it invents for failed/cancelled tasks, requestStream turns every local failure (a
 * transport error, a parse error) into McpError(-32603, String(error)): an McpError that matches
 * no error response the session received is recorded as local too.
 */
export function streamError(
  error: McpError,
  lastStatus: string | undefined,
  timedOut: boolean,
  timeout: number,
  wireErrors: ReadonlySet<string>,
): ObservedError {
  if (timedOut) return { code: null, message: `awaitTask: callToolStream did not end within ${timeout} ms`, local: true };
  const observed = observeError(error);
  if (observed.code === null || wireErrors.has(wireErrorKey(error.code, wireMessage(error)))) return observed;
  const made = (lastStatus === 'failed' || lastStatus === 'cancelled') && error.code === ErrorCode.InternalError;
  if (!made) log('sdk-made-error', { code: error.code, message: observed.message });
  return { ...observed, code: null, local: true, sdkCode: error.code };
}

export const awaitTaskStream: AwaitTask = async (ctx, step, o) => {
  const { session, timeout, onprogress } = ctx;
  const tasks = session.client.experimental.tasks;
  const params = { name: step.awaitTask, arguments: step.arguments };
  // augment always: an explicit `task` (it always wins); auto: none, the SDK decides.
  const task = step.augment === 'always' ? (step.ttl !== undefined ? { ttl: step.ttl } : {}) : undefined;
  o.sent.push({ method: 'tools/call', params: task ? { ...params, task } : params });
  o.polledBy = 'sdk';
  o.created = false;
  o.polls = [];

  // callToolStream's `timeout` is per request; the step's deadline aborts the whole flow.
  const abort = new AbortController();
  const deadline = setTimeout(() => abort.abort(new Error('step timeout')), timeout);
  let cancelTimer: NodeJS.Timeout | undefined;
  let lastStatus: string | undefined;
  let failure: McpError | undefined;
  try {
    const stream = tasks.callToolStream(params, CallToolResultSchema, { ...(task && { task }), onprogress, timeout, signal: abort.signal });
    for await (const message of stream) {
      switch (message.type) {
        case 'taskCreated': {
          const taskId = message.task.taskId;
          o.created = true;
          o.taskId = taskId;
          o.task = message.task;
          o.polls.push({ at: monoMs(), status: message.task.status });
          lastStatus = message.task.status;
          ctx.remember(step.as, taskId);
          if (step.cancelAfterMs !== undefined) {
            cancelTimer = setTimeout(() => {
              o.sent.push({ method: 'tasks/cancel', params: { taskId } });
              tasks.cancelTask(taskId, { timeout }).catch((err) => log('cancel-failed', { taskId, error: errorMessage(err) }));
            }, step.cancelAfterMs);
          }
          break;
        }
        case 'taskStatus':
          o.polls.push({ at: monoMs(), status: message.task.status });
          o.task = message.task;
          lastStatus = message.task.status;
          break;
        case 'result':
          o.result = message.result;
          break;
        case 'error':
          failure = message.error;
          break;
      }
    }
  } finally {
    clearTimeout(deadline);
    if (cancelTimer) clearTimeout(cancelTimer);
  }
  if (failure) throw new ObservedStepError(streamError(failure, lastStatus, abort.signal.aborted, timeout, session.wireErrors));
};
