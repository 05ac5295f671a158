/**
 * Observation records: what a client driver writes, one JSON object per line, to the file the
 * harness names with --observations. The judge reads them back and validates each line with
 * these schemas, so a driver that writes something else is caught as a harness-level failure.
 *
 * Times (`at`, `startedAt`, `endedAt`) are milliseconds on the machine's monotonic clock
 * (CLOCK_MONOTONIC: Node `process.hrtime.bigint()/1e6`, Python `time.monotonic_ns()/1e6`), the
 * same clock the recorders stamp trace events with, so observations and trace line up.
 */
import { z } from 'zod';
import { CLIENT_STEP_KINDS } from './scenario.js';

const Mono = z.number();
const Json = z.unknown();

/** A JSON-RPC error as the driver saw it. `local` = raised by the SDK without a wire response. */
export const ObservedError = z.looseObject({
  code: z.number().int().nullable(),
  message: z.string(),
  data: Json.optional(),
  local: z.boolean().optional(),
});
export type ObservedError = z.infer<typeof ObservedError>;

/** First line: who is talking, and what the handshake gave. */
export const HelloRecord = z.looseObject({
  type: z.literal('hello'),
  at: Mono,
  role: z.literal('client'),
  /** The driver's implementation id (drivers/<impl>/driver.json `id`). */
  impl: z.string(),
  sdk: z.looseObject({ name: z.string(), version: z.string() }),
  protocolVersion: z.string().nullable().optional(),
  serverCapabilities: Json.optional(),
  serverInfo: Json.optional(),
  /** The client session this handshake opened (client.sessions; absent = the only one). */
  session: z.string().optional(),
  /** Over HTTP: the session's Mcp-Session-Id, when the SDK exposes it. */
  sessionId: z.string().optional(),
});

/** One per scenario step, written when the step ends (successfully or not). */
export const StepRecord = z.looseObject({
  type: z.literal('step'),
  /** Index into client.steps. */
  index: z.number().int().nonnegative(),
  kind: z.enum(CLIENT_STEP_KINDS),
  startedAt: Mono,
  endedAt: Mono,
  /** The request(s) the driver asked its SDK to send: {method, params}. Poll steps list every tasks/get. */
  sent: z.array(z.looseObject({ method: z.string(), params: Json.optional() })).default([]),
  ok: z.boolean(),
  /** The last result that came back (CreateTaskResult, Task, CallToolResult, ListTasksResult, ...). */
  result: Json.optional(),
  error: ObservedError.optional(),
  /** The task id the step acted on, when there is one. */
  taskId: z.string().optional(),
  /** The Task object the step ended with (create, get, last poll, cancel). */
  task: z.looseObject({ taskId: z.string().optional(), status: z.string().optional() }).optional(),
  /** Every status a poll step saw (one per tasks/get), or an awaitTask flow reported to its caller, with its time. */
  polls: z.array(z.looseObject({ at: Mono, status: z.string() })).optional(),
  /**
   * Who ran the polling loop of a poll/awaitTask step: the SDK's own (Python poll_task, TS
   * callToolStream) or the driver's code. Requestor checks blame the SDK's client only for its own loop.
   */
  polledBy: z.enum(['sdk', 'driver']).optional(),
  /** The session the step used (client.sessions). */
  session: z.string().optional(),
  /** awaitTask: whether a task was created (with augment auto the SDK decides). */
  created: z.boolean().optional(),
  /** callTask with repeat: every task id created, in order. */
  taskIds: z.array(z.string()).optional(),
  /** listTasks with all: each page, with the cursor it was asked with. */
  pages: z.array(z.looseObject({ cursor: z.string().optional(), result: Json })).optional(),
});
export type StepRecord = z.infer<typeof StepRecord>;

/** A request or notification the server sent to the client, and the client's answer. */
export const IncomingRecord = z.looseObject({
  type: z.literal('incoming'),
  at: Mono,
  method: z.string(),
  params: Json.optional(),
  /** For requests: what the client answered (result object), or the error it answered with. */
  answer: Json.optional(),
  answerError: ObservedError.optional(),
  /** The session it arrived on. */
  session: z.string().optional(),
  /**
   * For a task-augmented request (server→client task): the CreateTaskResult the client answered
   * at once; `answer` is then what the client stored as the task's result.
   */
  createdTask: Json.optional(),
});
export type IncomingRecord = z.infer<typeof IncomingRecord>;

/** Last line: the driver finished. `ok: false` when it stopped early on an unexpected exception. */
export const EndRecord = z.looseObject({
  type: z.literal('end'),
  at: Mono,
  ok: z.boolean(),
  error: z.string().optional(),
});

export const ObservationRecord = z.discriminatedUnion('type', [HelloRecord, StepRecord, IncomingRecord, EndRecord]);
export type ObservationRecord = z.infer<typeof ObservationRecord>;
export type HelloRecord = z.infer<typeof HelloRecord>;
export type EndRecord = z.infer<typeof EndRecord>;
