/**
 * A cell's trace → its normalised conversation (conversation.ts). Only what genuinely varies
 * between two runs of the same cell is touched; each rule is listed in src/diff/README.md:
 *
 * - renamed by first appearance: JSON-RPC ids (per sender: `c1`…, `s1`…), task ids (`task1`…,
 *   also inside text such as error messages), progress tokens (`p1`…), HTTP session ids
 *   (`session1`…, which appear only inside text once the HTTP context is folded), HTTP exchanges
 *   (named by what opened them, not by arrival number) and SSE event ids (numbered per stream);
 * - masked: `createdAt` / `lastUpdatedAt` when they are ISO 8601 times (a malformed one stays
 *   visible), the recorder's `t`, a process's pid and argv (the argv holds the run folder);
 * - folded: HTTP stream-open/close and bare responses become the status (and, when abnormal, how
 *   the stream ended) of the step that opened the exchange;
 * - dropped: SSE comments and keep-alives (their number is timing);
 * - key order: object keys are sorted, so it never matters and goldens do not churn.
 *
 * Pairing requests with responses is the trace index's (src/judge/trace-index.ts).
 */
import { buildIndex, type Entry, isObject, type JsonObject } from '../judge/trace-index.js';
import type { HttpContext, MessageEvent, TraceEvent } from '../vocabulary/trace.js';
import type { Conversation, Sender, Step, Via } from './conversation.js';
import { Namer, TextRenamer } from './rename.js';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
const TIME_KEYS = new Set(['createdAt', 'lastUpdatedAt']);
/** The one way an SSE stream ends that is not worth a line in every step. */
const NORMAL_END = 'server ended the stream';
/**
 * A race, not a fact (race 1 in README.md): the Python client (httpx) closes a POST's SSE stream
 * as soon as it has read the response, and either side may end the GET stream at teardown. So a
 * client close is kept only on a POST stream that had not yet carried a response (the client
 * gave up waiting), and on a GET the server had not answered yet (race 8, compared in races.ts).
 */
export const CLIENT_CLOSED = 'client closed the connection before the response ended';

interface Names {
  /** Ids of requests sent by the client (c2s) and by the server (s2c). */
  clientIds: Namer;
  serverIds: Namer;
  tasks: Namer;
  progress: Namer;
  sessions: Namer;
  text: TextRenamer;
}

interface Exchange {
  number: number;
  method: string;
  name: string;
  /** Status of the reply (the first server event on the exchange that has one). */
  status?: number;
  reply?: string;
  cut?: string;
  /** A client `request` event (a bodiless GET or DELETE, or a body that is not JSON). */
  request?: { seq: number; detail?: string };
  /** Whether a message or raw event travelled in the request body. */
  hasBody: boolean;
  /** Where its SSE stream opened. */
  openSeq?: number;
  /** Whether a response travelled on it (server side). */
  answered?: boolean;
  firstBody?: TraceEvent;
  /** The HTTP session it belongs to (Mcp-Session-Id), when known. */
  session?: string;
  /** How many SSE event ids this exchange's stream has carried (they are numbered per stream). */
  events: number;
}

export function normalise(trace: readonly TraceEvent[], transport?: 'stdio' | 'http'): Conversation {
  const events = [...trace].sort((a, b) => a.seq - b.seq);
  const tp = transport ?? inferTransport(events);
  const index = buildIndex(events, tp);
  const entryBySeq = new Map<number, Entry>(index.entries.map((e) => [e.seq, e]));
  const names = collectNames(events);
  const exchanges = collectExchanges(events, names, entryBySeq);
  const eventIds = nameEventIds(events, exchanges);

  const steps: Step[] = [];
  const ctx: Context = { names, sessions: names.sessions.size > 1, exchanges, eventIds, entryBySeq };
  for (const ev of events) {
    const step = stepOf(ev, ctx);
    if (step) steps.push(step);
  }
  return { transport: tp, steps };
}

export function inferTransport(events: readonly TraceEvent[]): 'stdio' | 'http' {
  for (const ev of events) {
    if (ev.kind === 'message' || ev.kind === 'raw') return ev.transport;
    if (ev.kind === 'http') return 'http';
  }
  return 'stdio';
}

// ---------------------------------------------------------------------------------------------
// Pass 1: names by first appearance, in trace order.

function collectNames(events: readonly TraceEvent[]): Names {
  const names: Names = {
    clientIds: new Namer('c'),
    serverIds: new Namer('s'),
    tasks: new Namer('task'),
    progress: new Namer('p'),
    sessions: new Namer('session'),
    text: new TextRenamer(),
  };
  // How often each progress token occurs: one that a single message carries (no progress
  // notification ever names it) has no identity to keep, and is not numbered (`PROGRESS_UNUSED`).
  // TS callToolStream sends a fresh token with every tasks/get, so numbering those would shift
  // every later token by the number of polls, which is timing.
  const tokenUses = new Map<string, number>();
  const count = (v: unknown, key?: string): void => {
    if (key === 'progressToken' && (typeof v === 'string' || typeof v === 'number')) {
      tokenUses.set(String(v), (tokenUses.get(String(v)) ?? 0) + 1);
      return;
    }
    if (Array.isArray(v)) for (const x of v) count(x);
    else if (isObject(v)) for (const k of Object.keys(v)) count(v[k], k);
  };
  for (const ev of events) if (ev.kind === 'message') count(ev.msg);
  const walk = (v: unknown, key?: string): void => {
    if (key === 'taskId' && typeof v === 'string') {
      names.text.add(v, names.tasks.name(v));
      return;
    }
    if (key === 'progressToken' && (typeof v === 'string' || typeof v === 'number')) {
      if ((tokenUses.get(String(v)) ?? 0) > 1) names.progress.name(v);
      return;
    }
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (isObject(v)) for (const k of Object.keys(v)) walk(v[k], k);
  };
  for (const ev of events) {
    const http = 'http' in ev ? ev.http : undefined;
    if (http?.sessionId !== undefined) names.text.add(http.sessionId, names.sessions.name(http.sessionId));
    if (ev.kind !== 'message') continue;
    const id = ev.msg.id;
    if (typeof id === 'string' || typeof id === 'number') idNamer(names, ev, typeof ev.msg.method === 'string').name(id);
    walk(ev.msg);
  }
  return names;
}

/** The namer for a message's id: a request is named in its sender's series, a response in its requester's. */
function idNamer(names: Names, ev: MessageEvent, isRequest: boolean): Namer {
  const requester = isRequest ? ev.dir : ev.dir === 'c2s' ? 's2c' : 'c2s';
  return requester === 'c2s' ? names.clientIds : names.serverIds;
}

function collectExchanges(events: readonly TraceEvent[], names: Names, entryBySeq: Map<number, Entry>): Map<number, Exchange> {
  const byNumber = new Map<number, Exchange>();
  const get = (http: HttpContext) => {
    let ex = byNumber.get(http.exchange);
    if (!ex) {
      ex = { number: http.exchange, method: http.method, name: '', hasBody: false, events: 0 };
      byNumber.set(http.exchange, ex);
    }
    return ex;
  };
  for (const ev of events) {
    if (ev.kind === 'process' || !ev.http) continue;
    const ex = get(ev.http);
    if (ev.http.sessionId !== undefined) ex.session ??= ev.http.sessionId;
    if (ev.dir === 's2c' && ex.status === undefined && ev.http.status !== undefined) ex.status = ev.http.status;
    if (ev.kind === 'http') {
      if (ev.event === 'request') ex.request = { seq: ev.seq, ...(ev.detail !== undefined ? { detail: ev.detail } : {}) };
      else if (ev.event === 'stream-open') ex.openSeq ??= ev.seq;
      else if (ev.event === 'response' && ev.detail !== undefined) ex.reply = ev.detail;
      else if (ev.event === 'stream-close' && ev.detail !== undefined && ev.detail !== NORMAL_END) ex.cut = ev.detail;
    } else if (ev.dir === 'c2s' && !ex.hasBody) {
      ex.hasBody = true;
      ex.firstBody = ev;
    } else if (ev.dir === 's2c' && entryBySeq.get(ev.seq)?.kind === 'response') {
      ex.answered = true;
    }
  }
  // A GET the client hung up on before the server answered keeps its cut: race 8 (races.ts).
  for (const ex of byNumber.values())
    if (ex.cut === CLIENT_CLOSED && (ex.answered || (ex.method === 'GET' && ex.status !== undefined))) delete ex.cut;
  // Named by what opened them, so a GET stream opening before or after a POST renames nothing.
  const counts = new Map<string, number>();
  const numbered = (base: string, always: boolean) => {
    const n = (counts.get(base) ?? 0) + 1;
    counts.set(base, n);
    return n === 1 && !always ? base : `${base}#${n}`;
  };
  for (const ex of [...byNumber.values()].sort((a, b) => a.number - b.number)) {
    const body = ex.firstBody;
    const entry = body ? entryBySeq.get(body.seq) : undefined;
    // With several sessions, a bodiless exchange is numbered within its session: two sessions
    // closing (DELETE) or listening (GET) at once race, and arrival order is not what differs.
    if (ex.method !== 'POST' || !body)
      ex.name = numbered(names.sessions.size > 1 && ex.session ? `${ex.method} ${names.sessions.name(ex.session)}` : ex.method, true);
    else if (body.kind !== 'message' || !entry) ex.name = numbered('POST raw', true);
    else if (entry.kind === 'request') ex.name = `POST ${idNamer(names, body, true).name(entry.id)}`;
    else if (entry.kind === 'response')
      ex.name = entry.id === null ? numbered('POST answer', true) : `POST answer ${idNamer(names, body, false).name(entry.id)}`;
    else ex.name = numbered(`POST ${entry.method}`, false);
  }
  return byNumber;
}

/**
 * SSE event ids, numbered per stream (the stream is the step's `via`), so streams interleaving
 * differently rename nothing. Each id keeps the name of its stream too, for a Last-Event-ID.
 */
function nameEventIds(events: readonly TraceEvent[], exchanges: Map<number, Exchange>): Map<string, { n: string; stream: string }> {
  const out = new Map<string, { n: string; stream: string }>();
  for (const ev of events) {
    if (ev.kind === 'process' || ev.http?.eventId === undefined || out.has(ev.http.eventId)) continue;
    const ex = exchanges.get(ev.http.exchange)!;
    out.set(ev.http.eventId, { n: String(++ex.events), stream: ex.name });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pass 2: one step per event that means something.

interface Context {
  names: Names;
  /** Whether the trace has several HTTP sessions, so steps must say which one they belong to. */
  sessions: boolean;
  exchanges: Map<number, Exchange>;
  eventIds: Map<string, { n: string; stream: string }>;
  entryBySeq: Map<number, Entry>;
}

function stepOf(ev: TraceEvent, ctx: Context): Step | undefined {
  switch (ev.kind) {
    case 'message':
      return messageStep(ev, ctx);
    case 'raw': {
      const step: Step = { seq: ev.seq, from: sender(ev.dir), raw: ctx.names.text.apply(ev.raw), reason: ev.error };
      const via = ev.http ? viaOf(ev.http, ev.dir, ctx) : undefined;
      if (via) step.via = via;
      return step;
    }
    case 'http':
      return httpStep(ev, ctx);
    case 'process': {
      // pid and argv differ on every run (argv holds the run folder); the command is driver.json's.
      const step: Step = { seq: ev.seq, from: ev.role, process: ev.event };
      if (ev.event === 'exit') {
        step.code = ev.code ?? null;
        step.signal = ev.signal ?? null;
      }
      if (ev.detail !== undefined) step.detail = ev.detail;
      return step;
    }
  }
}

function messageStep(ev: MessageEvent, ctx: Context): Step {
  const { names } = ctx;
  const entry = ctx.entryBySeq.get(ev.seq);
  const step: Step = { seq: ev.seq, from: sender(ev.dir) };
  const msg = ev.msg;
  if (entry?.kind === 'request') {
    step.request = entry.method;
    step.id = idNamer(names, ev, true).name(entry.id);
  } else if (entry?.kind === 'notification') {
    step.notification = entry.method;
  } else if (entry?.kind === 'response') {
    step.response = entry.request?.method ?? '?';
    step.id = entry.id === null ? null : idNamer(names, ev, false).name(entry.id);
  } else {
    // Neither request, response nor notification (e.g. an id alone): keep it whole, as text.
    return {
      seq: ev.seq,
      from: step.from,
      raw: JSON.stringify(value(msg, names)),
      reason: 'not a JSON-RPC request, response or notification',
    };
  }
  if ('params' in msg) step.params = paramsOf(msg, step, names);
  if ('result' in msg) step.result = value(msg.result, names);
  if ('error' in msg) step.error = value(msg.error, names);
  const other: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(msg)) {
    if (k === 'jsonrpc' ? v !== '2.0' : !['id', 'method', 'params', 'result', 'error'].includes(k)) other[k] = value(v, names);
  }
  if (Object.keys(other).length) step.other = sortKeys(other);
  if (ev.batch) step.batch = true;
  const via = ev.http ? viaOf(ev.http, ev.dir, ctx, entry) : undefined;
  if (via) step.via = via;
  return step;
}

/** A cancellation names the request it cancels by the sender's own id: rename it in that series. */
function paramsOf(msg: JsonObject, step: Step, names: Names): unknown {
  const params = value(msg.params, names);
  const raw = isObject(msg.params) ? msg.params.requestId : undefined;
  if (step.notification === 'notifications/cancelled' && isObject(params) && (typeof raw === 'string' || typeof raw === 'number'))
    params.requestId = (step.from === 'client' ? names.clientIds : names.serverIds).name(raw);
  return params;
}

function viaOf(http: HttpContext, dir: 'c2s' | 's2c', ctx: Context, entry?: Entry): Via | undefined {
  const ex = ctx.exchanges.get(http.exchange)!;
  const via: Via = {};
  if (http.stream !== undefined) via.stream = http.stream;
  if (ctx.sessions && http.sessionId !== undefined) via.session = ctx.names.sessions.name(http.sessionId);
  if (dir === 'c2s') {
    if (ex.status !== undefined) via.status = ex.status;
    if (ex.reply !== undefined) via.reply = ctx.names.text.apply(ex.reply);
    if (ex.cut !== undefined) via.cut = ex.cut;
  } else {
    const ownPost = entry?.kind === 'response' && entry.request?.http?.exchange === http.exchange;
    if (!ownPost) via.on = ex.name;
    if (http.eventId !== undefined) via.eventId = ctx.eventIds.get(http.eventId)!.n;
  }
  return Object.keys(via).length ? via : undefined;
}

function httpStep(ev: Extract<TraceEvent, { kind: 'http' }>, ctx: Context): Step | undefined {
  const ex = ctx.exchanges.get(ev.http.exchange)!;
  if (ev.event === 'proxy-error') {
    // The port of the server the proxy could not reach differs on every run.
    return { seq: ev.seq, from: 'server', http: 'proxy-error', detail: (ev.detail ?? '').replace(/:\d{2,5}\b/g, ':<port>') };
  }
  // Everything else belongs to an exchange: the step that opened it carries its status and ending.
  // A bodiless request (GET, DELETE) is a step of its own, since no message opened the exchange;
  // it sits where its stream opened (the server had accepted it: what the delivery race needs,
  // races.ts), or where the request was made when no stream opened.
  if (ex.hasBody || ev.seq !== (ex.openSeq ?? ex.request?.seq)) return undefined;
  const step: Step = { seq: ev.seq, from: 'client', http: ex.name };
  if (ex.status !== undefined) step.status = ex.status;
  const detail = ex.request?.detail;
  if (detail !== undefined) {
    const last = /^last-event-id: (.*)$/.exec(detail);
    const ref = last ? ctx.eventIds.get(last[1]!) : undefined;
    if (last) step.detail = ref ? `last-event-id: ${ref.n}` : 'last-event-id: (not seen in this trace)';
    else step.detail = ctx.names.text.apply(detail);
    if (ref) step.via = { on: ref.stream };
  }
  const via: Via = { ...step.via };
  if (ex.reply !== undefined) via.reply = ctx.names.text.apply(ex.reply);
  if (ex.cut !== undefined) via.cut = ex.cut;
  if (Object.keys(via).length) step.via = via;
  return step;
}

function sender(dir: 'c2s' | 's2c'): Sender {
  return dir === 'c2s' ? 'client' : 'server';
}

/** A progress token no other message names (see collectNames). */
export const PROGRESS_UNUSED = '<token used once>';

/** A JSON value with ids renamed, times masked and keys sorted. */
function value(v: unknown, names: Names, key?: string): unknown {
  if (typeof v === 'string') {
    if (key === 'taskId') return names.tasks.name(v);
    if (key === 'progressToken') return names.progress.known(v) ?? PROGRESS_UNUSED;
    if (key !== undefined && TIME_KEYS.has(key) && ISO_TIME.test(v)) return '<time>';
    return names.text.apply(v);
  }
  if (typeof v === 'number' && key === 'progressToken') return names.progress.known(v) ?? PROGRESS_UNUSED;
  if (Array.isArray(v)) return v.map((x) => value(x, names));
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = value(v[k], names, k);
    return out;
  }
  return v;
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
