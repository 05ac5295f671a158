/**
 * A read-only index over one cell's wire trace, built once and shared by every spec check:
 * JSON-RPC requests paired with their responses, the tasks each side created, every Task
 * object seen on the wire (a per-task status timeline), each side's initialize capabilities and
 * the tools/list results. Pure functions of the trace; no I/O.
 *
 * Directions: a request travelling c2s is answered s2c and vice versa. That holds for
 * server→client requests too (elicitation/create and sampling/createMessage travel s2c, their
 * answers c2s), so pairing is by (request direction, id), never by id alone: both sides count
 * their ids from 0 (TS) or use their own string ids (Python `task-…`). On Streamable HTTP with
 * several sessions (each client session counts its ids from 0 too) a response is paired with a
 * request of its own HTTP exchange first, then of its own session (`Mcp-Session-Id`).
 */

import { CONTRACT } from '../vocabulary/contract.js';
import type { Direction, HttpContext, MessageEvent, TraceEvent } from '../vocabulary/trace.js';

export type Side = 'client' | 'server';
export type JsonObject = Record<string, unknown>;
export type JsonRpcId = string | number;

export const RELATED_TASK_KEY = CONTRACT.relatedTaskKey;
export const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

interface EntryBase {
  seq: number;
  t: number;
  dir: Direction;
  /** Who sent the message. */
  sender: Side;
  msg: JsonObject;
  http?: HttpContext;
  /** Streamable HTTP: the session it belongs to (the recorder's `http.sessionId`). */
  session?: string;
  /**
   * A `delay` fault held it on its way: the recorder stamps a delayed message when it delivers
   * it, and its fault event when its sender sent it. That is when the sender's view counts from.
   */
  heldFrom?: { seq: number; t: number };
}

export interface RequestEntry extends EntryBase {
  kind: 'request';
  id: JsonRpcId;
  method: string;
  params: JsonObject | undefined;
  /** The response, when the trace has one. */
  response?: ResponseEntry;
}

export interface ResponseEntry extends EntryBase {
  kind: 'response';
  id: JsonRpcId | null;
  result?: JsonObject;
  error?: { code: unknown; message: unknown; data?: unknown };
  /** The request it answers, when the trace has one. */
  request?: RequestEntry;
}

export interface NotificationEntry extends EntryBase {
  kind: 'notification';
  method: string;
  params: JsonObject | undefined;
}

export type Entry = RequestEntry | ResponseEntry | NotificationEntry;

export type SnapshotSource = 'create' | 'get' | 'list' | 'cancel' | 'notification';

/** One Task object as it appeared on the wire (in a result or a status notification). */
export interface TaskSnapshot {
  /** The raw Task object; fields may be anything (the task-object checks judge them). */
  task: JsonObject;
  taskId: string;
  status: unknown;
  source: SnapshotSource;
  /** The side that sent it: the task's receiver (its owner). */
  owner: Side;
  seq: number;
  t: number;
  entry: ResponseEntry | NotificationEntry;
  /** For results: the request answered. */
  request?: RequestEntry;
}

/** Everything known about one task, keyed by (owner, taskId). */
export interface TaskRecord {
  key: string;
  taskId: string;
  /** The receiver that owns the task (the side answering the task-augmented request). */
  owner: Side;
  /** The task-augmented request and its CreateTaskResult, when the creation is in the trace. */
  created?: { request: RequestEntry; response: ResponseEntry };
  /** Streamable HTTP: the session the task was created in. */
  session?: string;
  /** Every Task object with this id sent by the owner, in trace order. */
  snapshots: TaskSnapshot[];
}

export interface ToolInfo {
  name: string;
  /** `execution.taskSupport` as listed (undefined when absent). */
  taskSupport: unknown;
  seq: number;
}

export interface Initialization {
  request: RequestEntry;
  response?: ResponseEntry;
  /** The session it opened (from the response: the initialize request has no session id yet). */
  session?: string;
  clientCapabilities?: JsonObject;
  serverCapabilities?: JsonObject;
}

/** Any Task-shaped object seen on the wire, valid or not (for the task-object checks). */
export interface TaskObjectSighting {
  value: unknown;
  source: SnapshotSource;
  sender: Side;
  seq: number;
  entry: ResponseEntry | NotificationEntry;
  request?: RequestEntry;
}

/** A fault the harness applied (trace `fault` event): what, when, and to which message or HTTP exchange. */
export interface FaultRecord {
  seq: number;
  t: number;
  fault: string;
  dir?: Direction;
  msg?: JsonObject;
  http?: HttpContext;
}

export interface TraceIndex {
  transport: 'stdio' | 'http';
  entries: Entry[];
  requests: RequestEntry[];
  responses: ResponseEntry[];
  notifications: NotificationEntry[];
  initializations: Initialization[];
  toolLists: { seq: number; tools: ToolInfo[] }[];
  tasks: Map<string, TaskRecord>;
  taskObjects: TaskObjectSighting[];
  /** Streamable HTTP session ids, in the order they first appear. */
  sessions: string[];
  faults: FaultRecord[];
  last: { seq: number; t: number };
}

// ---------------------------------------------------------------------------------------------
// Small JSON helpers shared by the checks.

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function otherSide(side: Side): Side {
  return side === 'client' ? 'server' : 'client';
}

export function senderOf(dir: Direction): Side {
  return dir === 'c2s' ? 'client' : 'server';
}

export function taskKey(owner: Side, taskId: string): string {
  return `${owner}:${taskId}`;
}

/** `_meta["io.modelcontextprotocol/related-task"]` of a params or result object (raw value). */
export function relatedTaskMeta(obj: unknown): unknown {
  if (!isObject(obj) || !isObject(obj._meta)) return undefined;
  return obj._meta[RELATED_TASK_KEY];
}

/** The related task id a params/result object carries, when it is a well-formed `{taskId: string}`. */
export function relatedTaskId(obj: unknown): string | undefined {
  const meta = relatedTaskMeta(obj);
  return isObject(meta) && typeof meta.taskId === 'string' ? meta.taskId : undefined;
}

export function hasRelatedTask(obj: unknown): boolean {
  return isObject(obj) && isObject(obj._meta) && RELATED_TASK_KEY in obj._meta;
}

/** A request is task-augmented when its params carry a `task` field (even `{}`). */
export function isTaskAugmented(req: RequestEntry): boolean {
  return req.params !== undefined && 'task' in req.params;
}

/** A CreateTaskResult: a successful result with a `task` object. */
export function isCreateTaskResult(res: ResponseEntry | undefined): boolean {
  return res?.result !== undefined && isObject(res.result.task);
}

export function errorCode(res: ResponseEntry | undefined): number | undefined {
  return typeof res?.error?.code === 'number' ? res.error.code : undefined;
}

export function isTerminal(status: unknown): boolean {
  return typeof status === 'string' && TERMINAL.has(status);
}

/** The `taskId` param of a tasks/get|result|cancel request, when it is a string. */
export function paramTaskId(req: RequestEntry): string | undefined {
  const id = req.params?.taskId;
  return typeof id === 'string' ? id : undefined;
}

// ---------------------------------------------------------------------------------------------
// Building the index.

function classify(ev: MessageEvent): Entry | undefined {
  const msg = ev.msg;
  const base = (): EntryBase => {
    const b: EntryBase = { seq: ev.seq, t: ev.t, dir: ev.dir, sender: senderOf(ev.dir), msg };
    if (ev.http) b.http = ev.http;
    if (ev.http?.sessionId !== undefined) b.session = ev.http.sessionId;
    return b;
  };
  const params = isObject(msg.params) ? msg.params : undefined;
  if (typeof msg.method === 'string') {
    if ('id' in msg && (typeof msg.id === 'string' || typeof msg.id === 'number')) {
      return Object.assign(base(), { kind: 'request', id: msg.id, method: msg.method, params } as const);
    }
    return Object.assign(base(), { kind: 'notification', method: msg.method, params } as const);
  }
  if ('result' in msg || 'error' in msg) {
    const id = typeof msg.id === 'string' || typeof msg.id === 'number' ? msg.id : null;
    const entry: ResponseEntry = Object.assign(base(), { kind: 'response', id } as const);
    if (isObject(msg.result)) entry.result = msg.result;
    if (isObject(msg.error)) entry.error = { code: msg.error.code, message: msg.error.message, data: msg.error.data };
    return entry;
  }
  return undefined;
}

function sourceFor(method: string | undefined, augmented: boolean): SnapshotSource | undefined {
  if (method === 'tasks/get') return 'get';
  if (method === 'tasks/cancel') return 'cancel';
  if (method === 'tasks/list') return 'list';
  if (augmented) return 'create';
  return undefined;
}

/**
 * Which open request (same direction and id) a response answers: one on the same HTTP exchange
 * (a POST's own answer), else one of the same session, else one whose session is not known
 * (stdio, or an initialize sent before its session existed); -1 when none can be it.
 */
function pairIndex(queue: RequestEntry[], res: ResponseEntry): number {
  const exchange = res.http?.exchange;
  if (exchange !== undefined) {
    const same = queue.findIndex((r) => r.http?.exchange === exchange);
    if (same >= 0) return same;
  }
  const session = queue.findIndex((r) => r.session !== undefined && r.session === res.session);
  if (session >= 0) return session;
  return queue.findIndex((r) => r.session === undefined || res.session === undefined);
}

export function buildIndex(trace: readonly TraceEvent[], transport: 'stdio' | 'http'): TraceIndex {
  const index: TraceIndex = {
    transport,
    entries: [],
    requests: [],
    responses: [],
    notifications: [],
    initializations: [],
    toolLists: [],
    tasks: new Map(),
    taskObjects: [],
    sessions: [],
    faults: [],
    last: { seq: 0, t: 0 },
  };
  // Open requests by (direction, id); a FIFO per key in case an id is reused after its answer.
  const open = new Map<string, RequestEntry[]>();
  const events = [...trace].sort((a, b) => a.seq - b.seq);
  // Messages a delay fault is holding, by direction and content, until the recorder delivers them.
  const held = new Map<string, { seq: number; t: number }[]>();
  const heldKey = (dir: string | undefined, msg: unknown) => `${dir}|${JSON.stringify(msg)}`;

  const taskOf = (owner: Side, taskId: string): TaskRecord => {
    const key = taskKey(owner, taskId);
    let rec = index.tasks.get(key);
    if (!rec) {
      rec = { key, taskId, owner, snapshots: [] };
      index.tasks.set(key, rec);
    }
    return rec;
  };

  const sight = (value: unknown, source: SnapshotSource, entry: ResponseEntry | NotificationEntry, request?: RequestEntry) => {
    index.taskObjects.push({ value, source, sender: entry.sender, seq: entry.seq, entry, ...(request ? { request } : {}) });
    if (!isObject(value) || typeof value.taskId !== 'string') return;
    const rec = taskOf(entry.sender, value.taskId);
    rec.snapshots.push({
      task: value,
      taskId: value.taskId,
      status: value.status,
      source,
      owner: entry.sender,
      seq: entry.seq,
      t: entry.t,
      entry,
      ...(request ? { request } : {}),
    });
    if (source === 'create' && request && entry.kind === 'response' && !rec.created) {
      rec.created = { request, response: entry };
      const session = request.session ?? entry.session;
      if (session !== undefined) rec.session = session;
    }
  };

  for (const ev of events) {
    index.last = { seq: ev.seq, t: ev.t };
    if (ev.kind === 'fault') {
      index.faults.push({
        seq: ev.seq,
        t: ev.t,
        fault: ev.fault,
        ...(ev.dir ? { dir: ev.dir } : {}),
        ...(ev.msg ? { msg: ev.msg } : {}),
        ...(ev.http ? { http: ev.http } : {}),
      });
    }
    if (ev.kind === 'fault' && ev.fault === 'delay' && ev.msg) {
      const key = heldKey(ev.dir, ev.msg);
      held.set(key, [...(held.get(key) ?? []), { seq: ev.seq, t: ev.t }]);
    }
    if (ev.kind !== 'message') continue;
    const entry = classify(ev);
    if (!entry) continue;
    // (Serialising every message to look it up costs a long trace dearly: only while one is held.)
    const hold = held.size ? held.get(heldKey(ev.dir, ev.msg))?.shift() : undefined;
    if (hold) entry.heldFrom = hold;
    index.entries.push(entry);
    if (entry.session !== undefined && !index.sessions.includes(entry.session)) index.sessions.push(entry.session);

    if (entry.kind === 'request') {
      index.requests.push(entry);
      const key = `${entry.dir}|${JSON.stringify(entry.id)}`;
      const queue = open.get(key);
      if (queue) queue.push(entry);
      else open.set(key, [entry]);
      if (entry.method === 'initialize' && entry.dir === 'c2s') {
        const caps = entry.params?.capabilities;
        index.initializations.push({ request: entry, ...(isObject(caps) ? { clientCapabilities: caps } : {}) });
      }
      continue;
    }

    if (entry.kind === 'notification') {
      index.notifications.push(entry);
      if (entry.method === 'notifications/tasks/status') sight(entry.params, 'notification', entry);
      continue;
    }

    index.responses.push(entry);
    const reqDir: Direction = entry.dir === 'c2s' ? 's2c' : 'c2s';
    const key = `${reqDir}|${JSON.stringify(entry.id)}`;
    const queue = open.get(key) ?? [];
    const at = pairIndex(queue, entry);
    const request = at < 0 ? undefined : queue.splice(at, 1)[0];
    if (queue.length === 0) open.delete(key);
    if (!request) continue;
    request.response = entry;
    entry.request = request;
    if (!entry.result) continue;

    if (request.method === 'initialize') {
      const init = index.initializations.find((i) => i.request === request);
      if (init) {
        init.response = entry;
        if (isObject(entry.result.capabilities)) init.serverCapabilities = entry.result.capabilities;
        const session = entry.session ?? request.session;
        if (session !== undefined) init.session = session;
      }
    }
    if (request.method === 'tools/list' && Array.isArray(entry.result.tools)) {
      const tools = entry.result.tools.filter(isObject).map((tool) => ({
        name: String(tool.name),
        taskSupport: isObject(tool.execution) ? tool.execution.taskSupport : undefined,
        seq: entry.seq,
      }));
      index.toolLists.push({ seq: entry.seq, tools });
    }
    const source = sourceFor(request.method, isTaskAugmented(request));
    if (source === 'list') {
      if (Array.isArray(entry.result.tasks)) for (const task of entry.result.tasks) sight(task, 'list', entry, request);
    } else if (source === 'create') {
      // Only a CreateTaskResult creates a task; a receiver that ignored `task` answers normally.
      if ('task' in entry.result) sight(entry.result.task, 'create', entry, request);
    } else if (source) {
      sight(entry.result, source, entry, request);
    }
  }
  return index;
}

const cache = new WeakMap<readonly TraceEvent[], TraceIndex>();

/** The index of a cell's trace, built once per trace array and shared by all checks. */
export function indexOf(record: { trace: readonly TraceEvent[]; transport: 'stdio' | 'http' }): TraceIndex {
  let index = cache.get(record.trace);
  if (!index) {
    index = buildIndex(record.trace, record.transport);
    cache.set(record.trace, index);
  }
  return index;
}

// ---------------------------------------------------------------------------------------------
// Queries.

/** The initialize exchanges of a session (all of them when the session is unknown or never initialized). */
function initsOf(index: TraceIndex, session: string | undefined): Initialization[] {
  if (session === undefined) return index.initializations;
  const own = index.initializations.filter((i) => i.session === session);
  return own.length ? own : index.initializations;
}

/**
 * The capabilities `side` declared in the latest initialize exchange before `seq` (the first one
 * when none precedes it), in `session` when given; undefined when the trace has no initialize.
 */
export function capabilitiesOf(index: TraceIndex, side: Side, seq: number, session?: string): JsonObject | undefined {
  const inits = initsOf(index, session).filter((i) => (side === 'client' ? true : i.response !== undefined));
  if (!inits.length) return undefined;
  const at = (i: Initialization) => (side === 'client' ? i.request.seq : (i.response?.seq ?? i.request.seq));
  const before = inits.filter((i) => at(i) < seq);
  const init = before[before.length - 1] ?? inits[0]!;
  return (side === 'client' ? init.clientCapabilities : init.serverCapabilities) ?? {};
}

/** True when `side` had an initialize exchange on record (so its capabilities are known), in `session` when given. */
export function hasInitialize(index: TraceIndex, side: Side, session?: string): boolean {
  return initsOf(index, session).some((i) => (side === 'client' ? true : i.response !== undefined));
}

/** `tasks.requests.<a>.<b>` declared for a request method `a/b` (the set is exhaustive). */
export function declaresTaskRequest(caps: JsonObject | undefined, method: string): boolean {
  const tasks = caps?.tasks;
  if (!isObject(tasks) || !isObject(tasks.requests)) return false;
  const [group, name] = method.split('/');
  if (!group || !name) return false;
  const byGroup = tasks.requests[group];
  return isObject(byGroup) && isObject(byGroup[name]);
}

export function declaresTasks(caps: JsonObject | undefined): boolean {
  return isObject(caps?.tasks);
}

/**
 * What tools/list said about a tool: the latest listing before `seq`, else the first after it.
 * Undefined when no tools/list in the trace names the tool.
 */
export function toolAt(index: TraceIndex, name: string, seq: number): ToolInfo | undefined {
  let found: ToolInfo | undefined;
  for (const list of index.toolLists) {
    const tool = list.tools.find((t) => t.name === name);
    if (!tool) continue;
    if (list.seq < seq || !found) found = tool;
    if (list.seq > seq) break;
  }
  return found;
}

export function findTask(index: TraceIndex, owner: Side, taskId: string): TaskRecord | undefined {
  return index.tasks.get(taskKey(owner, taskId));
}

/**
 * Snapshots of a task sent before `seq` (the owner's view the requestor had at that point); with
 * `session`, only those that session saw (another session's view says nothing of this one's).
 */
export function snapshotsBefore(rec: TaskRecord | undefined, seq: number, session?: string): TaskSnapshot[] {
  if (!rec) return [];
  const before = rec.snapshots.slice(0, snapshotCut(rec, seq));
  return session === undefined ? before : before.filter((s) => s.entry.session === undefined || s.entry.session === session);
}

/**
 * The number of the task's snapshots recorded before `seq`. Snapshots are kept in trace order (the
 * index is built in one pass over the trace), so this is a binary search: checks that ask "what
 * did the task look like before this request" for every poll stay linear in a poll-heavy cell.
 */
export function snapshotCut(rec: TaskRecord, seq: number): number {
  return countBefore(rec.snapshots, seq);
}

/** How many of `items` (in trace order) were recorded before `seq`: a binary search. */
export function countBefore(items: readonly { seq: number }[], seq: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The entries recorded strictly between two trace seqs (entries are in trace order): a binary search, no scan. */
export function entriesBetween(index: TraceIndex, after: number, before: number): Entry[] {
  return index.entries.slice(countBefore(index.entries, after + 1), countBefore(index.entries, before));
}

/** The latest snapshot before `seq` for which `pick` returns a value, and that value (no copying). */
export function latestBefore<T>(rec: TaskRecord | undefined, seq: number, pick: (s: TaskSnapshot) => T | undefined): T | undefined {
  if (!rec) return undefined;
  for (let i = snapshotCut(rec, seq) - 1; i >= 0; i--) {
    const value = pick(rec.snapshots[i]!);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Whether a request and a task belong to different Streamable HTTP sessions (both known). */
export function otherSession(req: { session?: string }, rec: TaskRecord | undefined): boolean {
  return req.session !== undefined && rec?.session !== undefined && req.session !== rec.session;
}

/** The task's ttl as last reported before `seq` (undefined when never reported as number|null). */
export function ttlBefore(rec: TaskRecord | undefined, seq: number): number | null | undefined {
  return latestBefore<number | null>(rec, seq, (s) => (s.task.ttl === null || typeof s.task.ttl === 'number' ? s.task.ttl : undefined));
}

/** Same HTTP exchange (the same POST's SSE stream, or the same GET stream). */
function sameStream(a: { http?: HttpContext }, b: { http?: HttpContext }): boolean {
  return a.http !== undefined && b.http !== undefined && a.http.exchange === b.http.exchange;
}

/**
 * Whether the sender of `b` certainly produced it after `a` was produced. On stdio each direction
 * is one ordered byte stream, so trace order is send order. On Streamable HTTP messages of one side
 * travel on several streams (a POST's SSE, the GET stream) that the proxy may see interleaved out
 * of order; there, `b` is after `a` only on the same stream, or when `b` answers a request that
 * was sent after `a` was recorded (causality).
 */
export function happensBefore(
  index: TraceIndex,
  a: { seq: number; http?: HttpContext },
  b: { seq: number; http?: HttpContext; request?: RequestEntry },
): boolean {
  if (a.seq >= b.seq) return false;
  if (index.transport === 'stdio') return true;
  if (sameStream(a, b)) return true;
  return b.request !== undefined && b.request.seq > a.seq;
}

/** Requests of `method` from `sender` whose params name `taskId`. */
export function taskRequests(index: TraceIndex, method: string, sender?: Side): RequestEntry[] {
  return index.requests.filter((r) => r.method === method && (sender === undefined || r.sender === sender));
}

/** The request that created a task, and the method it wrapped (tools/call, elicitation/create, ...). */
export function underlyingMethod(rec: TaskRecord | undefined): string | undefined {
  return rec?.created?.request.method;
}

/**
 * Whether a harness fault touched a request or its answer: a fault naming the request (or an
 * answer with its id, in the other direction), or acting on its HTTP exchange (a cut stream, a
 * truncated body). Such a request says nothing about how its receiver or sender behaves.
 */
export function faultTouches(index: TraceIndex, req: RequestEntry): boolean {
  return index.faults.some((f) => {
    if (f.http && req.http && f.http.exchange === req.http.exchange && (f.http.sessionId === undefined || f.http.sessionId === req.session))
      return true;
    if (!f.msg || f.msg.id !== req.id) return false;
    return f.dir === req.dir ? f.msg.method === req.method : !('method' in f.msg);
  });
}

/** Whether any harness fault happened between two times (it may explain a silence there). */
export function faultBetween(index: TraceIndex, from: number, to: number): boolean {
  return index.faults.some((f) => f.t >= from && f.t <= to);
}

/** Where the sender's side of a message counts from: when a delay fault took it, or when it was recorded. */
export function sentAt(entry: Entry): { seq: number; t: number } {
  return entry.heldFrom ?? { seq: entry.seq, t: entry.t };
}

/** Requests open (sent, not yet answered) at `seq`. */
export function openAt(index: TraceIndex, seq: number, filter: (r: RequestEntry) => boolean): RequestEntry[] {
  return index.requests.filter((r) => r.seq < seq && (r.response === undefined || r.response.seq > seq) && filter(r));
}
