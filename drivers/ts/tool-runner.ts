/**
 * Runs a tool's scenario actions (driver contract, "Actions"), either inline for a plain
 * tools/call or as the background job of a task, for both server drivers (the low-level `Server`,
 * and McpServer's `.server`). In a task the job talks to the SDK only through the request-scoped
 * task store (whose writes emit notifications/tasks/status) and the Server's documented
 * request/notification methods.
 */

import { isTerminal } from '@modelcontextprotocol/sdk/experimental/tasks';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestTaskStore } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {
  CallToolResult,
  ElicitRequestFormParams,
  ProgressToken,
  RequestId,
  ServerNotification,
} from '@modelcontextprotocol/sdk/types.js';
import type { ServerAction, Tool } from '../../src/vocabulary/index.js';
import { errorMessage, log, sleep } from '../common.js';
import { requestClientTask } from './task-requests-to-client.js';
import { render, type TemplateContext } from './templates.js';

/** How often a task job looks at the store to notice a cancellation (the SDK does not signal the job). */
const CANCEL_CHECK_MS = 20;

export interface TaskHandle {
  taskId: string;
  store: RequestTaskStore;
}

export interface RunContext {
  server: Server;
  tool: Tool;
  args: Record<string, unknown>;
  progressToken: ProgressToken | undefined;
  /** How progress goes out: extra.sendNotification inline, server.notification in a task (see server.ts). */
  sendProgress: (notification: ServerNotification) => Promise<void>;
  /** Present when the actions run as a task's background job. */
  task?: TaskHandle;
  /**
   * Inline only: the tools/call being answered. Requests to the client name it (RequestOptions
   * relatedRequestId) so that over Streamable HTTP they travel on that request's SSE stream, as
   * the transport spec says they SHOULD; unrelated, they would go to the GET stream, which the
   * client may not have opened yet (the TS transport then drops them silently). In a task the
   * task's message queue carries them instead (relatedTask).
   */
  relatedRequestId?: RequestId;
}

/** Where the actions ended: a CallToolResult to return or store, or the task stopped from outside. */
export type Outcome =
  | { type: 'result'; status: 'completed' | 'failed'; result: CallToolResult; statusMessage?: string }
  | { type: 'stopped'; reason: 'cancelled' | 'gone' };

/** Has the task been cancelled (or deleted, e.g. its ttl expired) since the job started? */
async function stopReason(task: TaskHandle | undefined): Promise<'cancelled' | 'gone' | undefined> {
  if (!task) return undefined;
  try {
    const current = await task.store.getTask(task.taskId);
    return isTerminal(current.status) ? 'cancelled' : undefined;
  } catch {
    return 'gone';
  }
}

/** Waits ms; in a task, ends early when the task is cancelled. */
async function wait(ms: number, task: TaskHandle | undefined): Promise<'cancelled' | 'gone' | undefined> {
  if (!task) {
    await sleep(ms);
    return undefined;
  }
  const end = performance.now() + ms;
  for (;;) {
    const left = end - performance.now();
    if (left <= 0) return stopReason(task);
    await sleep(Math.min(CANCEL_CHECK_MS, left));
    const reason = await stopReason(task);
    if (reason) return reason;
  }
}

/**
 * Waits until the task is cancelled, at most ms; once cancelled, the work goes on `cleanupMs`
 * before it stops. Inline there is no task to cancel: it just waits.
 */
async function waitForCancel(ms: number, cleanupMs: number, task: TaskHandle | undefined): Promise<'cancelled' | 'gone' | undefined> {
  const reason = await wait(ms, task);
  if (reason && cleanupMs > 0) {
    log('cleanup', { taskId: task?.taskId, ms: cleanupMs });
    await sleep(cleanupMs);
  }
  return reason;
}

export async function runActions(ctx: RunContext): Promise<Outcome> {
  const { server, tool, task } = ctx;
  const templateCtx: TemplateContext = { arguments: ctx.args };
  const taskId = task?.taskId;

  for (const action of tool.actions as ServerAction[]) {
    log('action', { tool: tool.name, kind: action.kind, taskId });
    switch (action.kind) {
      case 'sleep': {
        const reason = await wait(action.sleep, task);
        if (reason) return stopped(reason, taskId);
        break;
      }
      case 'progress': {
        if (ctx.progressToken === undefined) {
          log('progress-skipped', { reason: 'no progressToken in the request', taskId });
          break;
        }
        await ctx.sendProgress({
          method: 'notifications/progress',
          params: {
            progressToken: ctx.progressToken,
            progress: action.progress,
            ...(action.total !== undefined && { total: action.total }),
            ...(action.message !== undefined && { message: action.message }),
          },
        });
        break;
      }
      case 'status': {
        if (!task) {
          log('status-skipped', { reason: 'not a task' });
          break;
        }
        await task.store.updateTaskStatus(task.taskId, 'working', action.status);
        break;
      }
      case 'elicit': {
        const params = {
          mode: 'form',
          message: action.elicit,
          // Typing cast: the scenario's requestedSchema is an arbitrary JSON object.
          requestedSchema: action.requestedSchema as ElicitRequestFormParams['requestedSchema'],
        } satisfies ElicitRequestFormParams;
        templateCtx[action.as] = await askClient(ctx, () =>
          task
            ? server.elicitInput(params, { relatedTask: { taskId: task.taskId } })
            : server.elicitInput(params, { relatedRequestId: ctx.relatedRequestId }),
        );
        break;
      }
      case 'sample': {
        const params = {
          messages: [{ role: 'user' as const, content: { type: 'text' as const, text: action.sample } }],
          maxTokens: action.maxTokens,
        };
        templateCtx[action.as] = await askClient(ctx, () =>
          task
            ? server.createMessage(params, { relatedTask: { taskId: task.taskId } })
            : server.createMessage(params, { relatedRequestId: ctx.relatedRequestId }),
        );
        break;
      }
      case 'elicitTask':
      case 'sampleTask': {
        // The client runs it as a task of its own; in a task, this one is input_required meanwhile (task-requests-to-client.ts).
        templateCtx[action.as] = await askClient(ctx, () => requestClientTask(server, action, taskId, ctx.relatedRequestId));
        break;
      }
      case 'complete': {
        const result: CallToolResult = {
          // Typing cast: content blocks come from the scenario as written (loose objects).
          content: render(action.complete, templateCtx) as CallToolResult['content'],
          ...(action.structuredContent !== undefined && { structuredContent: render(action.structuredContent, templateCtx) }),
        };
        return { type: 'result', status: 'completed', result };
      }
      case 'fail': {
        const result: CallToolResult = { content: render(action.fail, templateCtx) as CallToolResult['content'], isError: true };
        return {
          type: 'result',
          status: 'failed',
          result,
          ...(action.statusMessage !== undefined && { statusMessage: action.statusMessage }),
        };
      }
      case 'throw':
        // Application code failing; what becomes of it is up to the caller (SDK inline, job in a task).
        throw new Error(action.throw);
      case 'waitForCancel': {
        const reason = await waitForCancel(action.waitForCancel, action.cleanupMs, task);
        if (reason) return stopped(reason, taskId);
        break;
      }
    }
    const reason = await stopReason(task);
    if (reason) return stopped(reason, taskId);
  }
  // Reaching the end without complete/fail/throw completes with empty content (contract).
  return { type: 'result', status: 'completed', result: { content: [] } };
}

function stopped(reason: 'cancelled' | 'gone', taskId: string | undefined): Outcome {
  log('job-stopped', { reason, taskId });
  return { type: 'stopped', reason };
}

/**
 * Sends an elicitation/sampling request and returns the answer. In a task: mark the task
 * input_required, send the request with `relatedTask` (the SDK queues it and delivers it through
 * tasks/result), then set the task back to working, because the SDK does not do that itself.
 */
async function askClient<T>(ctx: RunContext, send: () => Promise<T>): Promise<T> {
  const { task } = ctx;
  if (task) await task.store.updateTaskStatus(task.taskId, 'input_required');
  const answer = await send();
  log('answer', { taskId: task?.taskId, answer });
  if (task && !(await stopReason(task))) await task.store.updateTaskStatus(task.taskId, 'working');
  return answer;
}

/**
 * The background job of a task: runs the actions and stores the outcome. A thrown error has no
 * SDK path to the requestor (InMemoryTaskStore cannot make tasks/result answer a JSON-RPC error),
 * so, as a user following the SDK's docs would, it is stored as a `failed` task whose
 * CallToolResult carries the message with isError: true.
 */
export async function runTaskJob(ctx: RunContext & { task: TaskHandle }): Promise<void> {
  const { taskId, store } = ctx.task;
  let outcome: Outcome;
  try {
    outcome = await runActions(ctx);
  } catch (err) {
    log('job-error', { taskId, error: errorMessage(err) });
    if (await stopReason(ctx.task)) return;
    outcome = { type: 'result', status: 'failed', result: { content: [{ type: 'text', text: errorMessage(err) }], isError: true } };
  }
  if (outcome.type === 'stopped') return;
  try {
    // storeTaskResult takes no statusMessage: set it on the still-working task first.
    if (outcome.statusMessage !== undefined) await store.updateTaskStatus(taskId, 'working', outcome.statusMessage);
    await store.storeTaskResult(taskId, outcome.status, outcome.result);
    log('job-done', { taskId, status: outcome.status });
  } catch (err) {
    // E.g. cancelled or expired between the last check and the store write.
    log('job-store-failed', { taskId, error: errorMessage(err) });
  }
}
