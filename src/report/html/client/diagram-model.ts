/**
 * A cell's trace as rows of a sequence diagram (pure: no DOM, tested in Node). One row per trace
 * event, in recorder order, plus the client's steps from observations.jsonl placed by time; each
 * row knows its direction, its HTTP exchange and stream, the track that exchange is drawn on,
 * the row of its request or response, and whether it is a task side-channel message.
 */
import type { TraceEvent } from '../../../vocabulary/trace.js';

export type RowKind =
  | 'request'
  | 'response'
  | 'notification'
  | 'message'
  | 'raw'
  | 'http'
  | 'process'
  | 'fault'
  | 'step'
  | 'bad-line'
  | 'omitted';
export type Lane = 'client' | 'server' | 'middle';

export interface Row {
  i: number;
  seq?: number;
  /** Milliseconds since the first event. */
  t?: number;
  dir?: 'c2s' | 's2c';
  /** Where a marker (not an arrow) sits: process, fault and step rows. */
  lane?: Lane;
  kind: RowKind;
  label: string;
  summary: string;
  /** Hover text: the HTTP context (status, session id, stream, content type, event id). */
  title: string;
  exchange?: number;
  stream?: string;
  track?: number;
  /** Row index of the request this answers, or of the response that answers it. */
  partner?: number;
  latencyMs?: number;
  /** Elicitation/sampling (and the client's answers) delivered for a task, e.g. on the tasks/result stream. */
  sideChannel?: boolean;
  /** The task named by `_meta["io.modelcontextprotocol/related-task"]`. */
  relatedTask?: string;
  error?: boolean;
  /** What this row shows, for the detail panel. */
  event?: TraceEvent;
  observation?: { line: number; record: Record<string, unknown> };
}

export interface Exchange {
  id: number;
  track: number;
  first: number;
  last: number;
  /** `POST #3 tools/call`, `GET #2`. */
  label: string;
  /** post-sse, get-sse, json, or plain (no body: 202, DELETE). */
  kind: string;
  /** The method of the request that opened it, when it had a JSON-RPC body. */
  method?: string;
}

export interface Diagram {
  rows: Row[];
  exchanges: Map<number, Exchange>;
  tracks: number;
  /** Row index → exchange id per track (-1 where the track is idle), row-major. */
  occupancy: Int32Array;
  bySeq: Map<number, number>;
  byObservation: Map<number, number>;
  durationMs: number;
}

export const RELATED_TASK = 'io.modelcontextprotocol/related-task';
const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};
export const STREAM_TEXT: Record<string, string> = {
  request: 'request body (client POST)',
  json: 'JSON response',
  'post-sse': 'SSE stream answering a POST',
  'get-sse': 'the GET SSE stream',
};

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One line of JSON, cut at `max` characters. */
export function compact(v: unknown, max = 160): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

export function relatedTaskOf(msg: Json): string | undefined {
  for (const holder of [msg.params, msg.result]) {
    const meta = isObj(holder) && isObj(holder._meta) ? holder._meta : undefined;
    const rt = meta?.[RELATED_TASK];
    if (isObj(rt)) return typeof rt.taskId === 'string' ? rt.taskId : '?';
  }
  return undefined;
}

function httpTitle(ev: TraceEvent): string {
  const http = 'http' in ev ? ev.http : undefined;
  if (!http) return '';
  const parts = [`${http.method} ${http.path} · exchange #${http.exchange}`];
  if (http.stream) parts.push(`stream: ${STREAM_TEXT[http.stream] ?? http.stream}`);
  if (http.status !== undefined) parts.push(`HTTP status: ${http.status}${STATUS_TEXT[http.status] ? ` ${STATUS_TEXT[http.status]}` : ''}`);
  if (http.contentType) parts.push(`content type: ${http.contentType}`);
  parts.push(`session id: ${http.sessionId ?? '(none)'}`);
  if (http.eventId) parts.push(`SSE event id: ${http.eventId}`);
  return parts.join('\n');
}

/** A task's status in a result or notification, for the one-line summary. */
function statusHint(msg: Json): string {
  const r = isObj(msg.result) ? msg.result : isObj(msg.params) ? msg.params : undefined;
  const task = r && isObj(r.task) ? r.task : r;
  return task && typeof task.status === 'string' ? `status ${task.status}` : '';
}

function messageRow(ev: Extract<TraceEvent, { kind: 'message' }>): Omit<Row, 'i'> {
  const msg = ev.msg;
  const hasId = 'id' in msg && msg.id !== undefined && msg.id !== null;
  const method = typeof msg.method === 'string' ? msg.method : undefined;
  const relatedTask = relatedTaskOf(msg);
  const base = { seq: ev.seq, dir: ev.dir, event: ev, title: httpTitle(ev), ...(relatedTask !== undefined ? { relatedTask } : {}) };
  const http = ev.http ? { exchange: ev.http.exchange, ...(ev.http.stream ? { stream: ev.http.stream } : {}) } : {};
  if (method !== undefined) {
    const params = msg.params;
    const augmented = isObj(params) && 'task' in params;
    return {
      ...base,
      ...http,
      kind: hasId ? 'request' : 'notification',
      label: `${method}${augmented ? ' (task)' : ''}${hasId ? ` [${compact(msg.id, 20)}]` : ''}`,
      summary: [statusHint(msg), params === undefined ? '' : compact(params)].filter(Boolean).join(' · '),
    };
  }
  if (hasId && ('result' in msg || 'error' in msg)) {
    const err = isObj(msg.error) ? msg.error : undefined;
    return {
      ...base,
      ...http,
      kind: 'response',
      label: err ? `error ${compact(err.code, 12)} [${compact(msg.id, 20)}]` : `result [${compact(msg.id, 20)}]`,
      summary: err ? compact(err.message ?? err) : [statusHint(msg), compact(msg.result)].filter(Boolean).join(' · '),
      ...(err ? { error: true } : {}),
    };
  }
  return { ...base, ...http, kind: 'message', label: 'JSON-RPC message?', summary: compact(msg), error: true };
}

function eventRow(ev: TraceEvent): Omit<Row, 'i'> {
  switch (ev.kind) {
    case 'message':
      return messageRow(ev);
    case 'raw': {
      const priming = ev.error.startsWith('SSE event with empty data');
      return {
        seq: ev.seq,
        dir: ev.dir,
        event: ev,
        title: [httpTitle(ev), ev.error].filter(Boolean).join('\n'),
        ...(ev.http ? { exchange: ev.http.exchange, ...(ev.http.stream ? { stream: ev.http.stream } : {}) } : {}),
        kind: 'raw',
        label: priming ? 'SSE priming event' : 'raw (not JSON-RPC)',
        summary: `${compact(ev.raw, 120)} — ${ev.error}`,
        ...(priming ? {} : { error: true }),
      };
    }
    case 'http': {
      const h = ev.http;
      const status = h.status !== undefined ? `${h.status}${STATUS_TEXT[h.status] ? ` ${STATUS_TEXT[h.status]}` : ''}` : '';
      const label = {
        request: `${h.method} ${h.path}`,
        response: `HTTP ${status}`,
        'stream-open': `SSE open · ${status}`,
        'stream-close': 'stream closed',
        comment: 'SSE comment',
        'proxy-error': `proxy error · ${status}`,
      }[ev.event];
      return {
        seq: ev.seq,
        dir: ev.dir,
        event: ev,
        title: httpTitle(ev),
        exchange: h.exchange,
        ...(h.stream ? { stream: h.stream } : {}),
        kind: 'http',
        label,
        summary: ev.detail ?? '',
        ...(ev.event === 'proxy-error' || (h.status !== undefined && h.status >= 400) ? { error: true } : {}),
      };
    }
    case 'process':
      return {
        seq: ev.seq,
        event: ev,
        lane: ev.role,
        kind: 'process',
        title: ev.argv ? ev.argv.join(' ') : '',
        label: `${ev.role} ${ev.event}${ev.pid !== undefined ? ` pid ${ev.pid}` : ''}`,
        summary:
          ev.event === 'exit'
            ? `code ${ev.code ?? 'none'}${ev.signal ? `, signal ${ev.signal}` : ''}`
            : (ev.detail ?? ev.argv?.join(' ') ?? ''),
        ...(ev.event === 'error' || (ev.event === 'exit' && (ev.code ?? 0) !== 0) ? { error: true } : {}),
      };
    case 'fault':
      return {
        seq: ev.seq,
        event: ev,
        lane: 'middle',
        ...(ev.dir ? { dir: ev.dir } : {}),
        ...(ev.http ? { exchange: ev.http.exchange } : {}),
        kind: 'fault',
        title: [`fault #${ev.index}: ${ev.fault}`, httpTitle(ev)].filter(Boolean).join('\n'),
        label: `fault: ${ev.fault}`,
        summary: ev.detail,
      };
    default: {
      const unknown = ev as { seq: number; kind: string };
      return {
        seq: unknown.seq,
        kind: 'bad-line',
        lane: 'middle',
        title: '',
        label: `unknown event kind "${unknown.kind}"`,
        summary: compact(ev),
        error: true,
      };
    }
  }
}

export interface StepInfo {
  line: number;
  record: Record<string, unknown>;
  name: string;
}

function stepRow(s: StepInfo, t0: number): Omit<Row, 'i'> {
  const r = s.record;
  const ok = r.ok === true;
  const err = isObj(r.error) ? r.error : undefined;
  const started = typeof r.startedAt === 'number' ? r.startedAt : undefined;
  const ended = typeof r.endedAt === 'number' ? r.endedAt : undefined;
  return {
    kind: 'step',
    lane: 'client',
    ...(started !== undefined ? { t: started - t0 } : {}),
    label: `step ${s.name} ${ok ? '✓' : '✗'}`,
    summary: err
      ? `error: ${compact(err.message, 140)}`
      : statusHint({ result: r.task ?? r.result }) || (r.result === undefined ? '' : compact(r.result, 120)),
    title: `client step ${s.name} (${String(r.kind)})${started !== undefined && ended !== undefined ? `, took ${(ended - started).toFixed(1)} ms` : ''}`,
    observation: { line: s.line, record: r },
    ...(ok ? {} : { error: true }),
  };
}

/** Steps first sorted by start; each goes before the first trace event at or after its start. */
function merge(events: TraceEvent[], steps: StepInfo[]): (TraceEvent | StepInfo)[] {
  const start = (s: StepInfo) => (typeof s.record.startedAt === 'number' ? s.record.startedAt : Number.POSITIVE_INFINITY);
  const queue = [...steps].sort((a, b) => start(a) - start(b));
  const out: (TraceEvent | StepInfo)[] = [];
  for (const ev of events) {
    while (queue.length && start(queue[0]!) <= ev.t) out.push(queue.shift()!);
    out.push(ev);
  }
  out.push(...queue);
  return out;
}

/**
 * Joins responses to requests by requester and id, the first unanswered one; among several, the
 * one on the same HTTP exchange (a POST's own response), else the same session.
 */
function joinPairs(rows: Row[]): void {
  const open = new Map<string, number[]>();
  const sessionOf = (row: Row) => (row.event?.kind === 'message' ? row.event.http?.sessionId : undefined);
  for (const row of rows) {
    const ev = row.event;
    if (ev?.kind !== 'message' || (row.kind !== 'request' && row.kind !== 'response')) continue;
    const requester = row.kind === 'request' ? row.dir : row.dir === 's2c' ? 'c2s' : 's2c';
    const key = `${requester}|${compact(ev.msg.id, 200)}`;
    const list = open.get(key) ?? [];
    if (row.kind === 'request') {
      list.push(row.i);
      open.set(key, list);
      continue;
    }
    if (!list.length) continue;
    const session = sessionOf(row);
    let idx = row.exchange !== undefined ? list.findIndex((r) => rows[r]!.exchange === row.exchange) : -1;
    if (idx < 0 && session !== undefined) idx = list.findIndex((r) => sessionOf(rows[r]!) === session);
    const found = list.splice(Math.max(idx, 0), 1)[0]!;
    const req = rows[found]!;
    req.partner = row.i;
    row.partner = found;
    if (req.t !== undefined && row.t !== undefined) row.latencyMs = row.t - req.t;
    row.label = `${row.label} ↩ ${String((req.event as { msg: Json }).msg.method)}`;
  }
}

/** Exchanges on tracks: an exchange occupies its track from its first row to its last; tracks are reused when free. */
function layoutExchanges(rows: Row[]): { exchanges: Map<number, Exchange>; tracks: number } {
  const exchanges = new Map<number, Exchange>();
  for (const row of rows) {
    if (row.exchange === undefined || row.kind === 'fault') continue;
    const ev = row.event as { http?: { method: string } } | undefined;
    let x = exchanges.get(row.exchange);
    if (!x) {
      x = { id: row.exchange, track: 0, first: row.i, last: row.i, label: `${ev?.http?.method ?? 'HTTP'} #${row.exchange}`, kind: 'plain' };
      exchanges.set(row.exchange, x);
    }
    x.last = row.i;
    if (row.stream === 'post-sse' || row.stream === 'get-sse' || (row.stream === 'json' && x.kind === 'plain')) x.kind = row.stream;
    if (row.kind === 'request' && row.dir === 'c2s' && x.method === undefined) {
      x.method = String((row.event as { msg: Json }).msg.method);
      x.label = `${x.label} ${x.method}`;
    }
  }
  const ends: number[] = [];
  for (const x of [...exchanges.values()].sort((a, b) => a.first - b.first)) {
    let track = ends.findIndex((end) => end < x.first);
    if (track < 0) track = ends.push(0) - 1;
    ends[track] = x.last;
    x.track = track;
  }
  for (const row of rows) if (row.exchange !== undefined) row.track = exchanges.get(row.exchange)?.track;
  return { exchanges, tracks: ends.length };
}

/**
 * Side-channel messages: requests the server sends the client for a task (related-task metadata,
 * or delivered on the SSE stream of a tasks/result POST, or over stdio while a tasks/result is
 * open), and the client's answers to them; notifications on a tasks/result stream too.
 */
function markSideChannel(rows: Row[], exchanges: Map<number, Exchange>): void {
  const openResults = new Set<number>();
  for (const row of rows) {
    if (row.kind === 'request' && row.dir === 'c2s' && (row.event as { msg: Json }).msg.method === 'tasks/result') openResults.add(row.i);
    if (row.kind === 'response' && row.dir === 's2c' && row.partner !== undefined) openResults.delete(row.partner);
    if (row.dir !== 's2c' || (row.kind !== 'request' && row.kind !== 'notification')) continue;
    const onResultStream =
      row.stream === 'post-sse' && row.exchange !== undefined && exchanges.get(row.exchange)?.method === 'tasks/result';
    const stdioWhileOpen = row.exchange === undefined && row.kind === 'request' && openResults.size > 0;
    if (onResultStream || stdioWhileOpen || (row.kind === 'request' && row.relatedTask !== undefined)) row.sideChannel = true;
  }
  for (const row of rows)
    if (row.kind === 'response' && row.partner !== undefined && rows[row.partner]!.sideChannel) row.sideChannel = true;
}

export function buildDiagram(
  trace: TraceEvent[],
  steps: StepInfo[] = [],
  badLines: { line: number; text: string }[] = [],
  omitted?: { afterSeq: number; count: number },
): Diagram {
  let t0 = Number.POSITIVE_INFINITY;
  let tEnd = Number.NEGATIVE_INFINITY;
  for (const t of [...trace.map((e) => e.t), ...steps.map((s) => s.record.startedAt)]) {
    if (typeof t !== 'number') continue;
    t0 = Math.min(t0, t);
    tEnd = Math.max(tEnd, t);
  }
  if (t0 === Number.POSITIVE_INFINITY) t0 = tEnd = 0;
  const rows: Row[] = [];
  const bySeq = new Map<number, number>();
  const byObservation = new Map<number, number>();
  let gap = omitted;
  for (const item of merge(trace, steps)) {
    if (gap && 'kind' in item && item.seq > gap.afterSeq) {
      rows.push({
        i: rows.length,
        kind: 'omitted',
        lane: 'middle',
        label: `… ${gap.count.toLocaleString('en')} trace events left out`,
        summary: 'a very long trace: this page shows its first and last events; trace.jsonl has all of them',
        title: `events after seq ${gap.afterSeq} and before seq ${item.seq}`,
      });
      gap = undefined;
    }
    const i = rows.length;
    if ('kind' in item) {
      rows.push({ ...eventRow(item), t: item.t - t0, i });
      bySeq.set(item.seq, i);
    } else {
      rows.push({ ...stepRow(item, t0), i });
      byObservation.set(item.line, i);
    }
  }
  for (const b of badLines)
    rows.push({
      i: rows.length,
      kind: 'bad-line',
      lane: 'middle',
      label: `trace.jsonl line ${b.line} is not a trace event`,
      summary: compact(b.text, 160),
      title: b.text,
      error: true,
    });
  joinPairs(rows);
  const { exchanges, tracks } = layoutExchanges(rows);
  markSideChannel(rows, exchanges);
  const occupancy = new Int32Array(rows.length * Math.max(tracks, 1)).fill(-1);
  for (const x of exchanges.values()) for (let r = x.first; r <= x.last; r++) occupancy[r * tracks + x.track] = x.id;
  return { rows, exchanges, tracks, occupancy, bySeq, byObservation, durationMs: tEnd - t0 };
}

/** `+12.3 ms`, `+1.234 s`. */
export function relTime(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 1000 ? `+${ms.toFixed(1)} ms` : `+${(ms / 1000).toFixed(3)} s`;
}
