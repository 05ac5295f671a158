/**
 * Server→client tasks (actions `elicitTask`, `sampleTask`): a task-augmented elicitation/create or
 * sampling/createMessage to the client, through the SDK's documented server API, whose stream
 * polls the client's task (tasks/get at the client's pollInterval) and fetches its result
 * (tasks/result). `elicitInputStream`/`createMessageStream` exist from 1.27.0; before that the
 * same request goes through `requestStream`, which every release has (experimental/tasks/server.js).
 *
 * Inside a task the request belongs to that task: it is sent with `relatedTask` (the spec: an
 * elicitation a task depends on MUST carry its related-task metadata), so the SDK queues it for
 * the requestor's tasks/result, and the caller (tool-runner.ts) marks the task `input_required`
 * meanwhile, as for `elicit`. The stream reuses its options for its own tasks/get and
 * tasks/result to the client, so those go the same way: what the SDK does with them is the finding.
 * Outside a task (a plain tools/call) the request names the tools/call it belongs to
 * (relatedRequestId), so over Streamable HTTP it travels on that call's SSE stream.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ResponseMessage } from '@modelcontextprotocol/sdk/shared/responseMessage.js';
import {
  type CreateMessageRequestParams,
  CreateMessageResultSchema,
  type ElicitRequestFormParams,
  ElicitResultSchema,
  type RequestId,
  type Result,
} from '@modelcontextprotocol/sdk/types.js';
import type { ServerAction } from '../../src/vocabulary/index.js';
import { errorMessage, log } from '../common.js';

type ElicitTask = Extract<ServerAction, { kind: 'elicitTask' }>;
type SampleTask = Extract<ServerAction, { kind: 'sampleTask' }>;

type Stream = AsyncGenerator<ResponseMessage<Result>, void, void>;

/** The stream helpers of 1.27.0+, looked up at run time (absent before). */
interface StreamHelpers {
  elicitInputStream?: (params: ElicitRequestFormParams, options?: RequestOptions) => Stream;
  createMessageStream?: (params: CreateMessageRequestParams, options?: RequestOptions) => Stream;
}

function openStream(
  server: Server,
  action: ElicitTask | SampleTask,
  taskId: string | undefined,
  relatedRequestId: RequestId | undefined,
): Stream {
  const tasks = server.experimental.tasks;
  const helpers = tasks as unknown as StreamHelpers;
  const options: RequestOptions = {
    task: { ttl: action.ttl },
    ...(taskId !== undefined ? { relatedTask: { taskId } } : { relatedRequestId }),
  };
  if (action.kind === 'elicitTask') {
    const params = {
      mode: 'form',
      message: action.elicitTask,
      // Typing cast: the scenario's requestedSchema is an arbitrary JSON object.
      requestedSchema: action.requestedSchema as ElicitRequestFormParams['requestedSchema'],
    } satisfies ElicitRequestFormParams;
    return typeof helpers.elicitInputStream === 'function'
      ? helpers.elicitInputStream.call(tasks, params, options)
      : tasks.requestStream({ method: 'elicitation/create', params }, ElicitResultSchema, options);
  }
  const params = {
    messages: [{ role: 'user' as const, content: { type: 'text' as const, text: action.sampleTask } }],
    maxTokens: action.maxTokens,
  } satisfies CreateMessageRequestParams;
  return typeof helpers.createMessageStream === 'function'
    ? helpers.createMessageStream.call(tasks, params, options)
    : tasks.requestStream({ method: 'sampling/createMessage', params }, CreateMessageResultSchema, options);
}

/**
 * Runs the request (for the server's task `taskId`, when in one) to its end and returns what the
 * templates keep under `as`: the client's result (ElicitResult / CreateMessageResult), or with
 * `cancelAfterMs` the Task that tasks/cancel returned. An error the stream yields is thrown (the
 * tool fails with it).
 */
export async function requestClientTask(
  server: Server,
  action: ElicitTask | SampleTask,
  taskId: string | undefined,
  relatedRequestId?: RequestId,
): Promise<unknown> {
  let cancelTimer: NodeJS.Timeout | undefined;
  let cancelCall: Promise<unknown> | undefined;
  try {
    for await (const message of openStream(server, action, taskId, relatedRequestId)) {
      switch (message.type) {
        case 'taskCreated': {
          const clientTaskId = message.task.taskId;
          log('client-task-created', { taskId, clientTaskId, status: message.task.status });
          if (action.cancelAfterMs !== undefined) {
            // Cancel through the SDK; the stream then sees `cancelled` on its next tasks/get and ends.
            cancelTimer = setTimeout(() => {
              cancelCall = server.experimental.tasks.cancelTask(clientTaskId);
              cancelCall.catch((err) => log('client-task-cancel-failed', { taskId, clientTaskId, error: errorMessage(err) }));
            }, action.cancelAfterMs);
          }
          break;
        }
        case 'taskStatus':
          log('client-task-status', { taskId, clientTaskId: message.task.taskId, status: message.task.status });
          break;
        case 'result':
          log('client-task-result', { taskId, result: message.result });
          // A cancel that came too late (the client's task had completed) fails; the result stands.
          return cancelCall ? await cancelCall.catch(() => message.result) : message.result;
        case 'error':
          if (cancelCall) return await cancelCall;
          throw message.error;
      }
    }
    throw new Error(`the ${action.kind} stream ended without a result`);
  } finally {
    if (cancelTimer) clearTimeout(cancelTimer);
  }
}
