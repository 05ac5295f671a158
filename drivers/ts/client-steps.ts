/**
 * The client steps of the contract (drivers/README.md, "Client driver") for both TS client
 * flavours, each done with the TS SDK's own API: `client.request(..., CreateTaskResultSchema,
 * {task})` to create a task (not callTool, which returns a hybrid `{content: [], task}`), `client.callTool` for
 * plain calls, and `client.experimental.tasks.*` for tasks/get, tasks/result, tasks/list and
 * tasks/cancel. `awaitTask` is the flavour's own (await-lowlevel.ts: the driver's loop;
 * await-stream.ts: callToolStream). Steps run on the session they name (client.sessions).
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { CallToolResultSchema, CreateTaskResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { type ClientStep, CONTRACT, type ObservedError, TERMINAL_STATUSES, taskRef } from '../../src/vocabulary/index.js';
import { monoMs, sleep } from '../common.js';
import type { ObservationWriter } from '../observations.js';
import { LocalStepError, ObservedStepError, observeError } from './observed-error.js';

const DEFAULT_STEP_TIMEOUT_MS = CONTRACT.defaults.stepTimeoutMs;
/** Wait between polls when the last tasks/get carried no pollInterval (contract). */
export const DEFAULT_POLL_MS = CONTRACT.defaults.pollIntervalMs;
/** listTasks with `all`: the most pages followed before giving up (a server whose cursors never end). */
const MAX_LIST_PAGES = 100;

/** One client session: its SDK Client, and what the last listTools said of each tool's taskSupport. */
export interface Session {
  name: string;
  client: Client;
  /** Tool name → execution.taskSupport (undefined = absent) as the last listTools showed it. */
  tools: Map<string, string | undefined>;
  /** Every JSON-RPC error response the session received (wireErrorKey): tells SDK-made McpErrors from wire ones. */
  wireErrors: Set<string>;
}

/** What a step record says besides its index, kind and times. */
export interface StepOutcome {
  sent: { method: string; params?: unknown }[];
  ok: boolean;
  result?: unknown;
  error?: ObservedError;
  taskId?: string;
  task?: unknown;
  polls?: { at: number; status: string }[];
  polledBy?: 'sdk' | 'driver';
  session?: string;
  created?: boolean;
  taskIds?: string[];
  pages?: { cursor?: string; result: unknown }[];
}

export type AwaitTaskStep = Extract<ClientStep, { kind: 'awaitTask' }>;

/** What an awaitTask implementation gets from the runner for one step. */
export interface StepContext {
  session: Session;
  index: number;
  /** The step's timeout (ms): the whole step must end within it. */
  timeout: number;
  onprogress: (progress: Progress) => void;
  /** Names the step's task for later steps (`as`). */
  remember: (alias: string | undefined, taskId: string) => void;
}

/** A flavour's awaitTask: fills `o` and returns, or throws (the runner records the error). */
export type AwaitTask = (ctx: StepContext, step: AwaitTaskStep, o: StepOutcome) => Promise<void>;

/** Would the TS SDK add `task` to a call of this tool by itself? Client.isToolTask's rule (client/index.js: tools.call declared, the tool listed optional/required), from the driver's own listTools record. */
export function sdkWouldAugment(session: Session, tool: string): boolean {
  const support = session.tools.get(tool);
  return (
    session.client.getServerCapabilities()?.tasks?.requests?.tools?.call !== undefined && (support === 'optional' || support === 'required')
  );
}

export class StepRunner {
  /** Task ids by the `as` alias of the step that created them (shared by all sessions). */
  private readonly aliases = new Map<string, string>();

  constructor(
    private readonly sessions: Map<string, Session>,
    private readonly defaultSession: string,
    private readonly out: ObservationWriter,
    private readonly awaitTask: AwaitTask,
  ) {}

  async run(step: ClientStep, index: number): Promise<void> {
    const startedAt = monoMs();
    const session = this.sessionOf(step);
    const o: StepOutcome = { sent: [], ok: false, session: session.name };
    try {
      await this.perform(step, index, session, o);
      o.ok = true;
    } catch (err) {
      o.error =
        err instanceof LocalStepError
          ? { code: null, message: err.message, local: true }
          : err instanceof ObservedStepError
            ? err.observed
            : observeError(err, { local: isGuarded(step, session) });
    }
    this.out.write({ type: 'step', index, kind: step.kind, startedAt, endedAt: monoMs(), ...o });
  }

  private sessionOf(step: ClientStep): Session {
    const name = step.session ?? this.defaultSession;
    const session = this.sessions.get(name);
    // The scenario loader checks session names; a driver input that slips through is a usage error.
    if (!session) throw new Error(`step names session "${name}", which client.sessions does not declare`);
    return session;
  }

  /** The task id a step acts on: its alias's id, or the literal `taskId:`. */
  private taskIdOf(step: ClientStep): string {
    const ref = taskRef(step);
    if (ref?.taskId !== undefined) return ref.taskId;
    const id = ref?.alias !== undefined ? this.aliases.get(ref.alias) : undefined;
    if (id === undefined) throw new LocalStepError(`task alias "${ref?.alias}" has no task id (the step that should create it did not)`);
    return id;
  }

  private remember(alias: string | undefined, taskId: string): void {
    if (alias !== undefined) this.aliases.set(alias, taskId);
  }

  /** Records progress the SDK routes to this step's request (it strips progressToken before calling us). */
  private onprogress(index: number, session: Session) {
    return (progress: Progress) =>
      this.out.write({
        type: 'incoming',
        at: monoMs(),
        method: 'notifications/progress',
        params: progress,
        step: index,
        session: session.name,
      });
  }

  private async perform(step: ClientStep, index: number, session: Session, o: StepOutcome): Promise<void> {
    const timeout = step.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
    const { client } = session;
    const tasks = client.experimental.tasks;
    switch (step.kind) {
      case 'listTools': {
        o.sent.push({ method: 'tools/list' });
        const listed = await client.listTools(undefined, { timeout });
        o.result = listed;
        session.tools = new Map(listed.tools.map((t) => [t.name, t.execution?.taskSupport]));
        return;
      }
      case 'callTask': {
        // `repeat` calls one after the other; `taskId`/`task`/`result` and the alias are the last one's, `taskIds` all of them.
        const params = { name: step.callTask, arguments: step.arguments };
        const task = step.ttl !== undefined ? { ttl: step.ttl } : {};
        const deadline = monoMs() + timeout;
        for (let i = 0; i < step.repeat; i++) {
          o.sent.push({ method: 'tools/call', params: { ...params, task } });
          const created = await client.request({ method: 'tools/call', params }, CreateTaskResultSchema, {
            task,
            onprogress: this.onprogress(index, session),
            timeout: Math.max(1, deadline - monoMs()),
          });
          o.result = created;
          o.task = created.task;
          o.taskId = created.task.taskId;
          if (step.repeat > 1) o.taskIds = [...(o.taskIds ?? []), created.task.taskId];
          this.remember(step.as, created.task.taskId);
        }
        return;
      }
      case 'callTool': {
        const params = { name: step.callTool, arguments: step.arguments };
        o.sent.push({ method: 'tools/call', params });
        o.result = await client.callTool(params, CallToolResultSchema, { onprogress: this.onprogress(index, session), timeout });
        return;
      }
      case 'awaitTask':
        return this.awaitTask(
          { session, index, timeout, onprogress: this.onprogress(index, session), remember: (a, id) => this.remember(a, id) },
          step,
          o,
        );
      case 'poll': {
        const taskId = this.taskIdOf(step);
        o.taskId = taskId;
        o.polls = [];
        o.polledBy = 'driver';
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
        if (!step.all) {
          o.sent.push({ method: 'tasks/list', ...(step.cursor !== undefined && { params: { cursor: step.cursor } }) });
          o.result = await tasks.listTasks(step.cursor, { timeout });
          return;
        }
        // Every page, following nextCursor; `result` is the union, so expectations judge the whole list.
        const deadline = monoMs() + timeout;
        const pages: NonNullable<StepOutcome['pages']> = [];
        o.pages = pages;
        let cursor = step.cursor;
        for (;;) {
          if (pages.length === MAX_LIST_PAGES) throw new LocalStepError(`tasks/list: still a nextCursor after ${MAX_LIST_PAGES} pages`);
          o.sent.push({ method: 'tasks/list', ...(cursor !== undefined && { params: { cursor } }) });
          const page = await tasks.listTasks(cursor, { timeout: Math.max(1, deadline - monoMs()) });
          pages.push({ ...(cursor !== undefined && { cursor }), result: page });
          o.result = { tasks: pages.flatMap((p) => (p.result as typeof page).tasks) };
          if (page.nextCursor === undefined) return;
          cursor = page.nextCursor;
        }
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
      case 'send':
      case 'sendRaw':
        // Refused before connecting (client-host.ts); kept for the exhaustive switch.
        throw new LocalStepError(`${step.kind} is for the raw client only`);
    }
  }
}

/** The callTool guard: once listTools cached a `required` tool, callTool throws locally (-32600 "requires task-based execution"). */
export function isGuarded(step: ClientStep, session: Session): boolean {
  return step.kind === 'callTool' && session.tools.get(step.callTool) === 'required';
}
