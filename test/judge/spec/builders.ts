/**
 * Small builders for recorded-looking traces. Values follow what TS and Python put on the wire:
 * TS task ids are 32 hex digits, Python (1.27.2+) `<32 hex>:<uuid4>`; a TS server's first
 * server→client request id is 0, Python queued requests use `task-<taskId>-<n>`;
 * TS errors read "MCP error -32602: …", Python ones "Task not found: <id>".
 */
import type { CellRecord } from '../../../src/judge/types.js';
import type { ObservationRecord, StepRecord } from '../../../src/vocabulary/observation.js';
import { Scenario, type ScenarioInput } from '../../../src/vocabulary/scenario.js';
import type { Direction, HttpContext, TraceEvent } from '../../../src/vocabulary/trace.js';

export const TS_ID = '0f5c8a7e3b9d41f2a6c3e8d7b1f40a92';
export const TS_ID_2 = '9b27e4d1c6a84f3e8d0b5a7c2e9f1d36';
export const PY_ID = '4c1d8e2f9a7b4e6d8c3f1a2b5e7d9c0f:3b8f6a2e-1c4d-4e7a-9b2f-8d6c5a4e3f21';
export const SPEC_ID = '786512e2-9e0d-44bd-8f29-789f320fe840';

export const TS_SERVER_CAPS = { tools: { listChanged: true }, tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } };
/** Python servers before 1.27.0: `tasks.requests.tools` without `call` (python-sdk#1995, fixed in 1.27.0). */
export const PY_OLD_SERVER_CAPS = { tools: { listChanged: false }, tasks: { list: {}, cancel: {}, requests: { tools: {} } } };
export const NO_TASKS_SERVER_CAPS = { tools: { listChanged: true } };
export const CLIENT_CAPS = { elicitation: { form: {} } };
export const TASK_CLIENT_CAPS = { elicitation: { form: {} }, tasks: { list: {}, cancel: {}, requests: { elicitation: { create: {} } } } };
/** A client that is a task receiver for elicitation and sampling (server→client tasks). */
export const RECEIVER_CLIENT_CAPS = {
  elicitation: { form: {} },
  sampling: {},
  tasks: { list: {}, cancel: {}, requests: { elicitation: { create: {} }, sampling: { createMessage: {} } } },
};
export const ELICIT_PARAMS = {
  mode: 'form',
  message: 'What is your name?',
  requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
};

/** A Task object as a receiver reports it (TS style timestamps). */
export function task(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    taskId: TS_ID,
    status: 'working',
    createdAt: '2025-11-25T10:30:00.000Z',
    lastUpdatedAt: '2025-11-25T10:30:00.000Z',
    ttl: 30000,
    pollInterval: 50,
    ...over,
  };
}

export function meta(taskId: string): { _meta: Record<string, unknown> } {
  return { _meta: { 'io.modelcontextprotocol/related-task': { taskId } } };
}

type Http = Partial<HttpContext> & { exchange: number };

/** Appends message events with increasing seq and a clock advanced by hand (`wait`). */
export class Trace {
  readonly events: TraceEvent[] = [];
  t = 1000;
  private nextExchange = 1;

  constructor(readonly transport: 'stdio' | 'http' = 'stdio') {}

  wait(ms: number): this {
    this.t += ms;
    return this;
  }

  /** A fresh HTTP exchange number (one POST, or the GET stream). */
  exchange(): number {
    return this.nextExchange++;
  }

  msg(dir: Direction, msg: Record<string, unknown>, http?: Http): number {
    const seq = this.events.length;
    const httpCtx = http ? { method: http.stream === 'get-sse' ? 'GET' : 'POST', path: '/mcp', ...http } : undefined;
    this.events.push({
      seq,
      t: this.t,
      kind: 'message',
      dir,
      transport: this.transport,
      msg,
      ...(httpCtx ? { http: httpCtx as HttpContext } : {}),
    });
    this.t += 1;
    return seq;
  }

  req(dir: Direction, id: string | number, method: string, params?: Record<string, unknown>, http?: Http): number {
    return this.msg(dir, { jsonrpc: '2.0', id, method, ...(params ? { params } : {}) }, http);
  }

  /** A result travelling in `dir` (the opposite direction of its request). */
  ok(dir: Direction, id: string | number, result: Record<string, unknown>, http?: Http): number {
    return this.msg(dir, { jsonrpc: '2.0', id, result }, http);
  }

  err(dir: Direction, id: string | number, code: number, message: string, http?: Http): number {
    return this.msg(dir, { jsonrpc: '2.0', id, error: { code, message } }, http);
  }

  note(dir: Direction, method: string, params?: Record<string, unknown>, http?: Http): number {
    return this.msg(dir, { jsonrpc: '2.0', method, ...(params ? { params } : {}) }, http);
  }

  /** initialize (client id 0), its answer, and notifications/initialized. */
  init(
    serverCaps: Record<string, unknown> = TS_SERVER_CAPS,
    clientCaps: Record<string, unknown> = CLIENT_CAPS,
  ): { req: number; res: number } {
    const req = this.req('c2s', 0, 'initialize', {
      protocolVersion: '2025-11-25',
      capabilities: clientCaps,
      clientInfo: { name: 'interop-client', version: '0.1.0' },
    });
    const res = this.ok('s2c', 0, {
      protocolVersion: '2025-11-25',
      capabilities: serverCaps,
      serverInfo: { name: 'interop-server', version: '0.1.0' },
    });
    this.note('c2s', 'notifications/initialized');
    return { req, res };
  }

  listTools(id: number, tools: { name: string; taskSupport?: string }[]): number {
    this.req('c2s', id, 'tools/list', {});
    return this.ok('s2c', id, {
      tools: tools.map((t) => ({
        name: t.name,
        inputSchema: { type: 'object' },
        ...(t.taskSupport ? { execution: { taskSupport: t.taskSupport } } : {}),
      })),
    });
  }

  /** tools/call with `task` answered by a CreateTaskResult carrying `created`. */
  createTask(
    id: number,
    created: Record<string, unknown> = task(),
    opts: { tool?: string; ttl?: number; progressToken?: string | number } = {},
  ): { req: number; res: number } {
    const params: Record<string, unknown> = {
      name: opts.tool ?? 'greet',
      arguments: {},
      task: opts.ttl === undefined ? { ttl: 30000 } : { ttl: opts.ttl },
    };
    if (opts.progressToken !== undefined) params._meta = { progressToken: opts.progressToken };
    const req = this.req('c2s', id, 'tools/call', params);
    const res = this.ok('s2c', id, { task: created });
    return { req, res };
  }

  /**
   * Server→client task: a task-augmented elicitation/create (server id `id`) answered by the
   * client's CreateTaskResult carrying `created` (the client is the receiver).
   */
  clientTask(
    id: number | string,
    created: Record<string, unknown> = task(),
    opts: { method?: 'elicitation/create' | 'sampling/createMessage'; ttl?: number; http?: { req: Http; res: Http } } = {},
  ): { req: number; res: number } {
    const method = opts.method ?? 'elicitation/create';
    const params =
      method === 'elicitation/create'
        ? { ...ELICIT_PARAMS, task: { ttl: opts.ttl ?? 30000 } }
        : { messages: [{ role: 'user', content: { type: 'text', text: 'Summarise' } }], maxTokens: 50, task: { ttl: opts.ttl ?? 30000 } };
    const req = this.req('s2c', id, method, params, opts.http?.req);
    const res = this.ok('c2s', id, { task: created }, opts.http?.res);
    return { req, res };
  }

  /** The server polls the client's task: tasks/get (server id `id`) and the client's Task answer. */
  serverGet(id: number | string, answer: Record<string, unknown>): { req: number; res: number } {
    const req = this.req('s2c', id, 'tasks/get', { taskId: answer.taskId });
    const res = this.ok('c2s', id, answer);
    return { req, res };
  }

  /** tasks/get and its Task answer. */
  get(id: number, answer: Record<string, unknown>, http?: { req: Http; res: Http }): { req: number; res: number } {
    const req = this.req('c2s', id, 'tasks/get', { taskId: answer.taskId }, http?.req);
    const res = this.ok('s2c', id, answer, http?.res);
    return { req, res };
  }
}

const BASE_SCENARIO: ScenarioInput = {
  id: 'fixture',
  title: 'fixture',
  spec: ['creating-tasks'],
  server: {
    tools: [{ name: 'greet', execution: { taskSupport: 'optional' }, actions: [{ complete: [{ type: 'text', text: 'hi' }] }] }],
  },
  client: { steps: [{ callTask: 'greet', as: 't' }, { poll: 't' }, { result: 't' }] },
};

export function scenario(over: Partial<ScenarioInput> = {}): Scenario {
  return Scenario.parse({ ...BASE_SCENARIO, ...over });
}

export function cell(trace: Trace, opts: { scenario?: Scenario; observations?: ObservationRecord[] } = {}): CellRecord {
  return { scenario: opts.scenario ?? scenario(), transport: trace.transport, trace: trace.events, observations: opts.observations ?? [] };
}

/** A client step record (observations.jsonl), with the fields a check reads. */
export function stepRecord(
  index: number,
  kind: StepRecord['kind'],
  startedAt: number,
  endedAt: number,
  over: Partial<StepRecord> = {},
): StepRecord {
  return { type: 'step', index, kind, startedAt, endedAt, sent: [], ok: true, ...over };
}
