/**
 * awaitTask in the `ts` (low-level) flavour: the driver's own loop over the low-level API, the
 * one the spec describes. tools/call with `task` (with `augment: auto` only where the TS SDK's
 * callToolStream would add it: sdkWouldAugment), then tasks/get at the task's pollInterval until a
 * terminal status or `input_required`, then tasks/result (which, on input_required, delivers the
 * input requests and blocks until the task ends; on a terminal status returns "exactly what the
 * underlying request would have returned"). `polls` are the CreateTaskResult's status and each
 * tasks/get's; `cancelAfterMs` sends tasks/cancel meanwhile, from a timer.
 */
import { CallToolResultSchema, CreateTaskResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { TERMINAL_STATUSES } from '../../src/vocabulary/index.js';
import { errorMessage, log, monoMs, sleep } from '../common.js';
import { type AwaitTask, DEFAULT_POLL_MS, isGuarded, sdkWouldAugment } from './client-steps.js';
import { LocalStepError, ObservedStepError, observeError } from './observed-error.js';

const STOP_AT: readonly string[] = [...TERMINAL_STATUSES, 'input_required'];

export const awaitTaskLowLevel: AwaitTask = async (ctx, step, o) => {
  const { session, timeout, onprogress } = ctx;
  const { client } = session;
  const tasks = client.experimental.tasks;
  const deadline = monoMs() + timeout;
  const left = () => Math.max(1, deadline - monoMs());
  const params = { name: step.awaitTask, arguments: step.arguments };
  o.polledBy = 'driver';

  if (step.augment === 'auto' && !sdkWouldAugment(session, step.awaitTask)) {
    // A plain call, as the callTool step makes it.
    o.created = false;
    o.sent.push({ method: 'tools/call', params });
    try {
      o.result = await client.callTool(params, CallToolResultSchema, { onprogress, timeout });
    } catch (err) {
      const guarded = isGuarded({ kind: 'callTool', callTool: step.awaitTask, arguments: step.arguments }, session);
      throw new ObservedStepError(observeError(err, { local: guarded }));
    }
    return;
  }

  const task = step.ttl !== undefined ? { ttl: step.ttl } : {};
  o.sent.push({ method: 'tools/call', params: { ...params, task } });
  const created = await client.request({ method: 'tools/call', params }, CreateTaskResultSchema, { task, onprogress, timeout: left() });
  const taskId = created.task.taskId;
  o.created = true;
  o.taskId = taskId;
  o.task = created.task;
  o.polls = [{ at: monoMs(), status: created.task.status }];
  ctx.remember(step.as, taskId);

  let cancelTimer: NodeJS.Timeout | undefined;
  if (step.cancelAfterMs !== undefined) {
    cancelTimer = setTimeout(() => {
      o.sent.push({ method: 'tasks/cancel', params: { taskId } });
      tasks.cancelTask(taskId, { timeout: left() }).catch((err) => log('cancel-failed', { taskId, error: errorMessage(err) }));
    }, step.cancelAfterMs);
  }
  try {
    let status = created.task.status;
    while (!STOP_AT.includes(status)) {
      o.sent.push({ method: 'tasks/get', params: { taskId } });
      const got = await tasks.getTask(taskId, { timeout: left() });
      o.polls.push({ at: monoMs(), status: got.status });
      o.task = got;
      status = got.status;
      if (STOP_AT.includes(status)) break;
      const wait = got.pollInterval ?? DEFAULT_POLL_MS;
      if (monoMs() + wait >= deadline) throw new LocalStepError(`awaitTask: the task was still ${status} after ${timeout} ms`);
      await sleep(wait);
    }
    o.sent.push({ method: 'tasks/result', params: { taskId } });
    o.result = await tasks.getTaskResult(taskId, CallToolResultSchema, { timeout: left() });
  } finally {
    if (cancelTimer) clearTimeout(cancelTimer);
  }
};
