/**
 * The client steps (driver contract, "Client driver"), each done by hand as plain JSON-RPC:
 * exactly the requests the step names, with the step's timeout over all of them. A step ends
 * `ok` when every request it made was answered with a result; a JSON-RPC error ends it with that
 * error (its wire code), anything else (a timeout, a missing task id, an unresolved template)
 * with a local error.
 */
import { monoMs, sleep } from '../../src/record/clock.js';
import { type ClientStep, CONTRACT, type ObservedError, stepName, TERMINAL_STATUSES, taskRef } from '../../src/vocabulary/index.js';
import type { ObservationSink } from '../observations.js';
import { isObject, type JsonRpcId, tryParse } from './jsonrpc.js';
import { type HttpInfo, Peer, type Reply } from './peer.js';
import { adoptInitializeResult, type SessionState } from './session.js';
import { substitute, TemplateError, type TemplateScope } from './templates.js';

const DEFAULT_POLL_MS = CONTRACT.defaults.pollIntervalMs;
/** A listing that keeps giving cursors is cut off after this many pages. */
const MAX_PAGES = 1000;

/** A step ends early with this error (the request's, or a local one). */
class StepFailure extends Error {
  constructor(readonly error: ObservedError) {
    super(error.message);
  }
}

function localFailure(message: string): StepFailure {
  return new StepFailure({ code: null, message, local: true });
}

function isTerminal(status: unknown): boolean {
  return (TERMINAL_STATUSES as readonly unknown[]).includes(status);
}

/** What a step record says besides its index, kind and times. */
export interface StepOutcome {
  sent: { method: string; params?: unknown; raw?: string }[];
  ok: boolean;
  session: string;
  result?: unknown;
  error?: ObservedError;
  taskId?: string;
  task?: unknown;
  polls?: { at: number; status: string }[];
  polledBy?: 'driver';
  created?: boolean;
  taskIds?: string[];
  pages?: { cursor?: string; result: unknown }[];
  http?: HttpInfo;
  [extra: string]: unknown;
}

type Step<K extends ClientStep['kind']> = Extract<ClientStep, { kind: K }>;

export class StepRunner implements TemplateScope {
  /** Task ids by alias; a repeated callTask keeps every id, in order. */
  private readonly aliases = new Map<string, string[]>();
  /** Each finished step's result, by step name (for `{{step.path}}` templates). */
  private readonly results = new Map<string, unknown>();
  /** progressToken → index of the step that sent it (incoming progress is tagged with it). */
  readonly progressSteps = new Map<string, number>();
  private tokens = 0;

  constructor(
    private readonly sessions: Map<string, SessionState>,
    private readonly defaultSession: string,
    private readonly out: ObservationSink,
  ) {}

  taskId(alias: string): string | undefined {
    return this.aliases.get(alias)?.at(-1);
  }

  stepResult(name: string): { found: boolean; value?: unknown } {
    return this.results.has(name) ? { found: true, value: this.results.get(name) } : { found: false };
  }

  async run(step: ClientStep, index: number): Promise<void> {
    const startedAt = monoMs();
    const session = this.sessions.get(step.session ?? this.defaultSession)!;
    const o: StepOutcome = { sent: [], ok: false, session: session.name };
    const deadline = startedAt + (step.timeoutMs ?? CONTRACT.defaults.stepTimeoutMs);
    try {
      await this.perform(step, index, session, o, deadline);
      o.ok = true;
    } catch (err) {
      if (err instanceof StepFailure) o.error = err.error;
      else if (err instanceof TemplateError) o.error = { code: null, message: err.message, local: true };
      else
        o.error = { code: null, message: `driver error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`, local: true };
    }
    this.results.set(stepName(step, index), o.result);
    this.out.write({ type: 'step', index, kind: step.kind, startedAt, endedAt: monoMs(), ...o });
  }

  // --- helpers ------------------------------------------------------------------------------

  /** What is left of the step's timeout; a step whose time ran out sends nothing more. */
  private left(deadline: number, before: string): number {
    const left = Math.round(deadline - monoMs());
    if (left <= 0) throw localFailure(`the step's timeout ran out before ${before}`);
    return left;
  }

  /** One request of the step: recorded in `sent`; a JSON-RPC error or timeout ends the step. */
  private async call(s: SessionState, o: StepOutcome, method: string, params: unknown, deadline: number, id?: JsonRpcId): Promise<unknown> {
    const timeout = this.left(deadline, `${method} could be sent`);
    o.sent.push({ method, ...(params !== undefined && { params }) });
    const reply = await s.peer.request(method, params, timeout, id);
    if (reply.http) o.http = reply.http;
    if (!reply.ok) throw new StepFailure(reply.error);
    return reply.result;
  }

  private progressMeta(index: number): { progressToken: string } {
    const token = `raw-${index}-${++this.tokens}`;
    this.progressSteps.set(JSON.stringify(token), index);
    return { progressToken: token };
  }

  private taskIdOf(step: ClientStep): string {
    const ref = taskRef(step);
    if (ref?.taskId !== undefined) return ref.taskId;
    const id = ref?.alias !== undefined ? this.taskId(ref.alias) : undefined;
    if (id === undefined) throw localFailure(`task alias "${ref?.alias}" has no task id (its callTask did not create a task)`);
    return id;
  }

  private remember(alias: string | undefined, taskId: string): void {
    if (alias === undefined) return;
    this.aliases.set(alias, [...(this.aliases.get(alias) ?? []), taskId]);
  }

  /** The Task a CreateTaskResult carries, or a local failure saying what came instead. */
  private createdTask(result: unknown): Record<string, unknown> & { taskId: string } {
    const task = isObject(result) ? result.task : undefined;
    if (!isObject(task) || typeof task.taskId !== 'string')
      throw localFailure('the answer to the task-augmented tools/call is not a CreateTaskResult (no task.taskId)');
    return task as Record<string, unknown> & { taskId: string };
  }

  private pollWait(task: unknown): number {
    const p = isObject(task) ? task.pollInterval : undefined;
    return typeof p === 'number' && Number.isFinite(p) && p >= 0 ? p : DEFAULT_POLL_MS;
  }

  // --- the steps ----------------------------------------------------------------------------

  private async perform(step: ClientStep, index: number, s: SessionState, o: StepOutcome, deadline: number): Promise<void> {
    switch (step.kind) {
      case 'listTools': {
        const result = await this.call(s, o, 'tools/list', undefined, deadline);
        o.result = result;
        const tools = isObject(result) && Array.isArray(result.tools) ? result.tools : [];
        s.tools = new Map(
          tools.filter(isObject).map((t) => {
            const support = isObject(t.execution) ? t.execution.taskSupport : undefined;
            return [String(t.name), typeof support === 'string' ? support : undefined];
          }),
        );
        return;
      }
      case 'callTask':
        return this.callTask(step, index, s, o, deadline);
      case 'callTool': {
        const params = { name: step.callTool, arguments: step.arguments, _meta: this.progressMeta(index) };
        o.result = await this.call(s, o, 'tools/call', params, deadline);
        return;
      }
      case 'awaitTask':
        return this.awaitTask(step, index, s, o, deadline);
      case 'poll':
        return this.poll(step, s, o, deadline);
      case 'getTask': {
        const taskId = this.taskIdOf(step);
        o.taskId = taskId;
        o.result = o.task = await this.call(s, o, 'tasks/get', { taskId }, deadline);
        return;
      }
      case 'result': {
        const taskId = this.taskIdOf(step);
        o.taskId = taskId;
        // Blocks until the task is terminal; elicitation/sampling arriving meanwhile are answered.
        o.result = await this.call(s, o, 'tasks/result', { taskId }, deadline);
        return;
      }
      case 'listTasks':
        return this.listTasks(step, s, o, deadline);
      case 'cancel': {
        const taskId = this.taskIdOf(step);
        o.taskId = taskId;
        o.result = o.task = await this.call(s, o, 'tasks/cancel', { taskId }, deadline);
        return;
      }
      case 'wait':
        await sleep(step.wait);
        return;
      case 'send':
        return this.send(step, s, o, deadline);
      case 'sendRaw':
        return this.sendRaw(step, s, o, deadline);
    }
  }

  private async callTask(step: Step<'callTask'>, index: number, s: SessionState, o: StepOutcome, deadline: number): Promise<void> {
    const ids: string[] = [];
    try {
      for (let i = 0; i < step.repeat; i++) {
        const params = {
          name: step.callTask,
          arguments: step.arguments,
          task: step.ttl !== undefined ? { ttl: step.ttl } : {},
          _meta: this.progressMeta(index),
        };
        const result = await this.call(s, o, 'tools/call', params, deadline);
        o.result = result;
        const task = this.createdTask(result);
        o.task = task;
        o.taskId = task.taskId;
        ids.push(task.taskId);
        this.remember(step.as, task.taskId);
      }
    } finally {
      if (step.repeat > 1) o.taskIds = ids;
    }
  }

  private async poll(step: Step<'poll'>, s: SessionState, o: StepOutcome, deadline: number): Promise<void> {
    const taskId = this.taskIdOf(step);
    o.taskId = taskId;
    o.polls = [];
    o.polledBy = 'driver';
    const until = step.until as readonly string[];
    for (;;) {
      const got = await this.call(s, o, 'tasks/get', { taskId }, deadline);
      const status = isObject(got) ? got.status : undefined;
      o.result = o.task = got;
      if (typeof status !== 'string') throw localFailure('the tasks/get result has no status');
      o.polls.push({ at: monoMs(), status });
      if (until.includes(status)) return;
      // A terminal status never changes again: waiting on would only wait for expiry.
      if (isTerminal(status)) throw localFailure(`the task ended ${status}, none of [${until.join(', ')}]`);
      const wait = this.pollWait(got);
      if (monoMs() + wait >= deadline) throw localFailure(`poll: status not in [${until.join(', ')}] before the step's timeout`);
      await sleep(wait);
    }
  }

  private async listTasks(step: Step<'listTasks'>, s: SessionState, o: StepOutcome, deadline: number): Promise<void> {
    if (!step.all) {
      o.result = await this.call(s, o, 'tasks/list', step.cursor !== undefined ? { cursor: step.cursor } : undefined, deadline);
      return;
    }
    o.pages = [];
    const seen = new Set<string>();
    let cursor = step.cursor;
    for (;;) {
      const result = await this.call(s, o, 'tasks/list', cursor !== undefined ? { cursor } : undefined, deadline);
      o.pages.push({ ...(cursor !== undefined && { cursor }), result });
      o.result = result;
      const next = isObject(result) ? result.nextCursor : undefined;
      if (next === undefined || next === null) return;
      if (typeof next !== 'string') throw localFailure(`tasks/list gave a nextCursor that is not a string: ${JSON.stringify(next)}`);
      if (seen.has(next)) throw localFailure(`tasks/list gave the nextCursor ${JSON.stringify(next)} a second time`);
      if (o.pages.length >= MAX_PAGES) throw localFailure(`tasks/list still had a nextCursor after ${MAX_PAGES} pages`);
      seen.add(next);
      cursor = next;
    }
  }

  /**
   * awaitTask with the client's own loop (no SDK flow here): tools/call (with `task` when
   * `augment: always`, or for `auto` when the server declares tasks.requests.tools.call and the
   * last tools/list showed the tool optional/required), then tasks/get every pollInterval until
   * a terminal status or input_required, then tasks/result (which delivers input requests), and
   * after an input_required one more tasks/get for the final status. A cancelled task has no
   * result to fetch.
   */
  private async awaitTask(step: Step<'awaitTask'>, index: number, s: SessionState, o: StepOutcome, deadline: number): Promise<void> {
    const caps = s.serverCapabilities;
    const declares =
      isObject(caps) && isObject(caps.tasks) && isObject(caps.tasks.requests) && isObject(caps.tasks.requests.tools)
        ? isObject(caps.tasks.requests.tools.call)
        : false;
    const support = s.tools.get(step.awaitTask);
    const augment = step.augment === 'always' || (declares && (support === 'optional' || support === 'required'));
    const params = {
      name: step.awaitTask,
      arguments: step.arguments,
      ...(augment && { task: step.ttl !== undefined ? { ttl: step.ttl } : {} }),
      _meta: this.progressMeta(index),
    };
    const first = await this.call(s, o, 'tools/call', params, deadline);
    o.result = first;
    const created = augment && isObject(first) && isObject(first.task) && typeof first.task.taskId === 'string';
    o.created = created;
    if (!created) return;
    const task = this.createdTask(first);
    const taskId = task.taskId;
    o.taskId = taskId;
    o.task = task;
    o.polls = [];
    o.polledBy = 'driver';
    this.remember(step.as, taskId);
    const seen = (t: unknown) => {
      const status = isObject(t) ? t.status : undefined;
      if (typeof status === 'string') o.polls!.push({ at: monoMs(), status });
      return status;
    };
    let cancelling: Promise<void> | undefined;
    let cancelTimer: NodeJS.Timeout | undefined;
    if (step.cancelAfterMs !== undefined) {
      cancelTimer = setTimeout(() => {
        cancelling = (async () => {
          o.sent.push({ method: 'tasks/cancel', params: { taskId } });
          const reply: Reply = await s.peer.request('tasks/cancel', { taskId }, Math.max(1, Math.round(deadline - monoMs())));
          o.cancel = reply.ok ? { result: reply.result } : { error: reply.error };
        })();
      }, step.cancelAfterMs);
    }
    try {
      let status = seen(task);
      let last: unknown = task;
      while (!isTerminal(status) && status !== 'input_required') {
        const wait = this.pollWait(last);
        if (monoMs() + wait >= deadline) throw localFailure(`awaitTask: the task was still ${String(status)} at the step's timeout`);
        await sleep(wait);
        last = await this.call(s, o, 'tasks/get', { taskId }, deadline);
        o.task = last;
        status = seen(last);
        if (typeof status !== 'string') throw localFailure('the tasks/get result has no status');
      }
      if (status === 'cancelled') return;
      o.result = await this.call(s, o, 'tasks/result', { taskId }, deadline);
      if (!isTerminal(status)) {
        o.task = await this.call(s, o, 'tasks/get', { taskId }, deadline);
        seen(o.task);
      }
    } finally {
      clearTimeout(cancelTimer);
      await cancelling;
    }
  }

  private async send(step: Step<'send'>, s: SessionState, o: StepOutcome, deadline: number): Promise<void> {
    const params = step.params === undefined ? undefined : substitute(step.params, this);
    if (isObject(params) && typeof params.taskId === 'string') o.taskId = params.taskId;
    if (step.notification) {
      o.sent.push({ method: step.send, ...(params !== undefined && { params }) });
      const sent = await s.peer.notify(step.send, params);
      if (sent.http) o.http = sent.http;
      if (!sent.ok) throw new StepFailure(sent.error!);
      // A manual handshake's last message: the session may now open its GET stream.
      if (step.send === 'notifications/initialized') s.peer.transport.initialized();
      return;
    }
    const id = step.id !== undefined ? step.id : Peer.takeId();
    o.id = id;
    const result = await this.call(s, o, step.send, params, deadline, id);
    o.result = result;
    if (step.send === 'initialize') adoptInitializeResult(s, result);
  }

  private async sendRaw(step: Step<'sendRaw'>, s: SessionState, o: StepOutcome, deadline: number): Promise<void> {
    const parsed = tryParse(step.sendRaw);
    const method = parsed.ok && isObject(parsed.value) && typeof parsed.value.method === 'string' ? parsed.value.method : '(raw)';
    o.sent.push({ method, raw: step.sendRaw });
    const reply = await s.peer.sendRaw(step.sendRaw, this.left(deadline, 'the text could be sent'));
    if (reply.http) o.http = reply.http;
    if (reply.response) o.response = reply.response;
    if (reply.nothing) o.nothing = true;
    if (!reply.ok) throw new StepFailure(reply.error);
    if (reply.result !== undefined) o.result = reply.result;
  }
}
