/**
 * The client steps of the contract (drivers/README.md, "Client driver"), each done with the TS
 * SDK's own API: `client.request(..., CreateTaskResultSchema, {task})` to create a task (guide §3:
 * not callTool, which returns a hybrid), `client.callTool` for plain calls, and
 * `client.experimental.tasks.*` for tasks/get, tasks/result, tasks/list and tasks/cancel.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { CallToolResultSchema, CreateTaskResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { type ClientStep, CONTRACT, type ObservedError, TERMINAL_STATUSES, taskRef } from '../../src/vocabulary/index.js';
import { monoMs, sleep } from './common.js';
import type { ObservationWriter } from './observations.js';
import { LocalStepError, observeError } from './observed-error.js';

const DEFAULT_STEP_TIMEOUT_MS = CONTRACT.defaults.stepTimeoutMs;
/** Wait between polls when the last tasks/get carried no pollInterval (contract). */
const DEFAULT_POLL_MS = CONTRACT.defaults.pollIntervalMs;

/** What a step record says besides its index, kind and times. */
interface StepOutcome {
  sent: { method: string; params?: unknown }[];
  ok: boolean;
  result?: unknown;
  error?: ObservedError;
  taskId?: string;
  task?: unknown;
  polls?: { at: number; status: string }[];
}

export class StepRunner {
  /** Task ids by the `as` alias of the callTask that created them. */
  private readonly aliases = new Map<string, string>();
  /** Tools the last listTools showed as taskSupport `required`; mirrors the SDK's private cache behind its callTool guard. */
  private requiredTools = new Set<string>();

  constructor(
    private readonly client: Client,
    private readonly out: ObservationWriter,
  ) {}

  async run(step: ClientStep, index: number): Promise<void> {
    const startedAt = monoMs();
    const o: StepOutcome = { sent: [], ok: false };
    try {
      await this.perform(step, index, o);
      o.ok = true;
    } catch (err) {
      o.error =
        err instanceof LocalStepError
          ? { code: null, message: err.message, local: true }
          : observeError(err, { local: this.isGuarded(step) });
    }
    this.out.write({ type: 'step', index, kind: step.kind, startedAt, endedAt: monoMs(), ...o });
  }

  /** The callTool guard: once listTools cached a `required` tool, callTool throws locally (guide §3). */
  private isGuarded(step: ClientStep): boolean {
    return step.kind === 'callTool' && this.requiredTools.has(step.callTool);
  }

  /** The task id a step acts on: its alias's id, or the literal `taskId:`. */
  private taskIdOf(step: ClientStep): string {
    const ref = taskRef(step);
    if (ref?.taskId !== undefined) return ref.taskId;
    const id = ref?.alias !== undefined ? this.aliases.get(ref.alias) : undefined;
    if (id === undefined) throw new LocalStepError(`task alias "${ref?.alias}" has no task id (its callTask did not create a task)`);
    return id;
  }

  /** Records progress the SDK routes to this step's request (it strips progressToken before calling us). */
  private onprogress(index: number) {
    return (progress: Progress) =>
      this.out.write({ type: 'incoming', at: monoMs(), method: 'notifications/progress', params: progress, step: index });
  }

  private async perform(step: ClientStep, index: number, o: StepOutcome): Promise<void> {
    const timeout = step.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
    const tasks = this.client.experimental.tasks;
    switch (step.kind) {
      case 'listTools': {
        o.sent.push({ method: 'tools/list' });
        const listed = await this.client.listTools(undefined, { timeout });
        o.result = listed;
        this.requiredTools = new Set(listed.tools.filter((t) => t.execution?.taskSupport === 'required').map((t) => t.name));
        return;
      }
      case 'callTask': {
        const params = { name: step.callTask, arguments: step.arguments };
        const task = step.ttl !== undefined ? { ttl: step.ttl } : {};
        o.sent.push({ method: 'tools/call', params: { ...params, task } });
        const created = await this.client.request({ method: 'tools/call', params }, CreateTaskResultSchema, {
          task,
          onprogress: this.onprogress(index),
          timeout,
        });
        o.result = created;
        o.task = created.task;
        o.taskId = created.task.taskId;
        if (step.as !== undefined) this.aliases.set(step.as, created.task.taskId);
        return;
      }
      case 'callTool': {
        const params = { name: step.callTool, arguments: step.arguments };
        o.sent.push({ method: 'tools/call', params });
        o.result = await this.client.callTool(params, CallToolResultSchema, { onprogress: this.onprogress(index), timeout });
        return;
      }
      case 'poll': {
        const taskId = this.taskIdOf(step);
        o.taskId = taskId;
        o.polls = [];
        const deadline = monoMs() + timeout;
        for (;;) {
          const left = deadline - monoMs();
          if (left <= 0) break;
          o.sent.push({ method: 'tasks/get', params: { taskId } });
          const got = await tasks.getTask(taskId, { timeout: left });
          o.polls.push({ at: monoMs(), status: got.status });
          o.result = o.task = got;
          if ((step.until as readonly string[]).includes(got.status)) return;
          // A terminal status never changes again: waiting on would only wait for expiry.
          if ((TERMINAL_STATUSES as readonly string[]).includes(got.status)) {
            throw new LocalStepError(`the task ended ${got.status}, none of [${step.until.join(', ')}]`);
          }
          const wait = got.pollInterval ?? DEFAULT_POLL_MS;
          if (monoMs() + wait >= deadline) break;
          await sleep(wait);
        }
        throw new LocalStepError(`poll: status not in [${step.until.join(', ')}] within ${timeout} ms`);
      }
      case 'getTask': {
        const taskId = this.taskIdOf(step);
        o.taskId = taskId;
        o.sent.push({ method: 'tasks/get', params: { taskId } });
        o.result = o.task = await tasks.getTask(taskId, { timeout });
        return;
      }
      case 'result': {
        const taskId = this.taskIdOf(step);
        o.taskId = taskId;
        o.sent.push({ method: 'tasks/result', params: { taskId } });
        // Blocks until the task is terminal; elicitation/sampling are answered meanwhile by the handlers.
        o.result = await tasks.getTaskResult(taskId, CallToolResultSchema, { timeout });
        return;
      }
      case 'listTasks': {
        o.sent.push({ method: 'tasks/list', ...(step.cursor !== undefined && { params: { cursor: step.cursor } }) });
        o.result = await tasks.listTasks(step.cursor, { timeout });
        return;
      }
      case 'cancel': {
        const taskId = this.taskIdOf(step);
        o.taskId = taskId;
        o.sent.push({ method: 'tasks/cancel', params: { taskId } });
        o.result = o.task = await tasks.cancelTask(taskId, { timeout });
        return;
      }
      case 'wait': {
        await sleep(step.wait);
        return;
      }
    }
  }
}
