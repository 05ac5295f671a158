/**
 * Wire trace events: one JSON object per line in a cell's trace.jsonl, appended by the recorder
 * (the stdio tap or the HTTP proxy) while the cell runs. One format for both transports.
 *
 * - `message`: one JSON-RPC message (a batch array is split into one event per element).
 * - `raw`: bytes that did not parse as JSON (kept, never dropped), with the parse error.
 * - `http`: an HTTP exchange fact that carries no JSON-RPC message (a 202, a 404, a DELETE, a
 *   GET stream opening or closing, an SSE comment), so HTTP errors are in the trace too.
 * - `process`: the recorded peer process starting or exiting (stdio tap).
 * - `fault`: a fault the scenario asked for, applied by the recorder or runner (what and to which message).
 *
 * `t` is milliseconds on the machine's monotonic clock (see observation.ts).
 */
import { z } from 'zod';

export const Direction = z.enum(['c2s', 's2c']);
export type Direction = z.infer<typeof Direction>;

/** Which HTTP channel a message travelled on. */
export const HttpStream = z.enum([
  'request', // body of a client POST
  'json', // application/json response to a POST
  'post-sse', // SSE stream answering a POST
  'get-sse', // the standalone GET SSE stream
]);
export type HttpStream = z.infer<typeof HttpStream>;

export const HttpContext = z.strictObject({
  /** Sequence number of the HTTP exchange (request/response pair) within the cell. */
  exchange: z.number().int().nonnegative(),
  method: z.string(),
  path: z.string(),
  status: z.number().int().optional(),
  contentType: z.string().optional(),
  sessionId: z.string().optional(),
  stream: HttpStream.optional(),
  eventId: z.string().optional(),
});
export type HttpContext = z.infer<typeof HttpContext>;

const base = { seq: z.number().int().nonnegative(), t: z.number() };

export const MessageEvent = z.strictObject({
  ...base,
  kind: z.literal('message'),
  dir: Direction,
  transport: z.enum(['stdio', 'http']),
  msg: z.record(z.string(), z.unknown()),
  /** Set when the message was one element of a JSON-RPC batch array. */
  batch: z.boolean().optional(),
  http: HttpContext.optional(),
});
export const RawEvent = z.strictObject({
  ...base,
  kind: z.literal('raw'),
  dir: Direction,
  transport: z.enum(['stdio', 'http']),
  raw: z.string(),
  error: z.string(),
  http: HttpContext.optional(),
});
export const HttpEvent = z.strictObject({
  ...base,
  kind: z.literal('http'),
  dir: Direction,
  /** What happened: request, response, stream-open, stream-close, comment, proxy-error. */
  event: z.enum(['request', 'response', 'stream-open', 'stream-close', 'comment', 'proxy-error']),
  http: HttpContext,
  detail: z.string().optional(),
});
export const ProcessEvent = z.strictObject({
  ...base,
  kind: z.literal('process'),
  /** Which process: the server driver (stdio tap). */
  role: z.enum(['server', 'client']),
  event: z.enum(['spawn', 'exit', 'error']),
  pid: z.number().int().optional(),
  argv: z.array(z.string()).optional(),
  code: z.number().int().nullable().optional(),
  signal: z.string().nullable().optional(),
  detail: z.string().optional(),
});

export const FaultEvent = z.strictObject({
  ...base,
  kind: z.literal('fault'),
  /** The fault's kind (drop, delay, cutStream, ...) and its index in the scenario's `faults`. */
  fault: z.string(),
  index: z.number().int().nonnegative(),
  /** What was done, in words (`dropped the response to tasks/get #2`). */
  detail: z.string(),
  dir: Direction.optional(),
  /** The message affected, when there is one: its JSON-RPC content. */
  msg: z.record(z.string(), z.unknown()).optional(),
  http: HttpContext.optional(),
});

export const TraceEvent = z.discriminatedUnion('kind', [MessageEvent, RawEvent, HttpEvent, ProcessEvent, FaultEvent]);
export type TraceEvent = z.infer<typeof TraceEvent>;
export type MessageEvent = z.infer<typeof MessageEvent>;
export type RawEvent = z.infer<typeof RawEvent>;
export type HttpEvent = z.infer<typeof HttpEvent>;
export type ProcessEvent = z.infer<typeof ProcessEvent>;
export type FaultEvent = z.infer<typeof FaultEvent>;

/** Distributive Omit, so each union member keeps its own fields. */
export type TraceEventInput = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'seq' | 't'> : never) : never;
