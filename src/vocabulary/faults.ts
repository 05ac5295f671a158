/**
 * Faults a scenario puts on the wire on purpose (`faults:` in a scenario), applied by the harness's
 * recorder or runner, never by the drivers (which stay honest SDK users). Every fault applied is
 * recorded in the trace as a `fault` event, so readers and the judge know what was done and when.
 *
 * Like actions and steps, each fault is one kind key per object: `- drop: {method: tasks/get, nth: 1}`.
 */
import { z } from 'zod';

const Ms = z.number().int().nonnegative();

/** Which messages a fault applies to; every field given must match. */
export const MessageMatch = z
  .strictObject({
    /** JSON-RPC method (for a response: the method of the request it answers). */
    method: z.string().min(1).optional(),
    /** request, response or notification. */
    type: z.enum(['request', 'response', 'notification']).optional(),
    /** c2s (client to server) or s2c. */
    direction: z.enum(['c2s', 's2c']).optional(),
    /** Only the nth matching message (1-based); absent = every matching message. */
    nth: z.number().int().min(1).optional(),
  })
  .meta({ description: 'Which messages: every field given must match.', examples: [{ method: 'tasks/get', type: 'response', nth: 1 }] });
export type MessageMatch = z.infer<typeof MessageMatch>;

export const DropFault = z.strictObject({
  kind: z.literal('drop'),
  /** Messages to drop (never delivered to the peer). */
  drop: MessageMatch,
});
export const DelayFault = z.strictObject({
  kind: z.literal('delay'),
  /** Hold matching messages this long before delivering them (order within a stream is kept). */
  delay: Ms,
  match: MessageMatch.default({}),
});
export const CutStreamFault = z.strictObject({
  kind: z.literal('cutStream'),
  /** HTTP: the request whose SSE response stream is cut (closed by the proxy) ... */
  cutStream: MessageMatch,
  /** ... after this many SSE events of it were delivered. */
  afterEvents: z.number().int().nonnegative().default(0),
});
export const CloseGetStreamFault = z.strictObject({
  kind: z.literal('closeGetStream'),
  /** HTTP: close the client's GET SSE stream this many ms after it opened. */
  closeGetStream: Ms,
});
export const MoveToGetStreamFault = z.strictObject({
  kind: z.literal('moveToGetStream'),
  /** HTTP: server→client requests that match travel on the GET SSE stream instead of the POST's SSE stream they were sent on. */
  moveToGetStream: MessageMatch,
});
export const RestartServerFault = z.strictObject({
  kind: z.literal('restartServer'),
  /** HTTP: stop the server and start a fresh one at the same URL, when this message has been delivered (tasks in memory are gone). */
  restartServer: MessageMatch,
});
export const GarbageFault = z.strictObject({
  kind: z.literal('garbage'),
  /** A line that is not JSON, sent to the receiver of `before` just before it (stdio: a line; HTTP: a POST body). */
  garbage: z.string().min(1),
  before: MessageMatch,
});
export const TruncateFault = z.strictObject({
  kind: z.literal('truncate'),
  /** HTTP: the body carrying a matching message is cut short (to `bytes` bytes) and the connection closed. */
  truncate: MessageMatch,
  bytes: z.number().int().nonnegative().default(10),
});

export const FAULT_KINDS = [
  'drop',
  'delay',
  'cutStream',
  'closeGetStream',
  'moveToGetStream',
  'restartServer',
  'garbage',
  'truncate',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The faults each transport can apply; a scenario with one its transport lacks is unsupported there. */
export const FAULT_TRANSPORTS: Record<FaultKind, readonly ('stdio' | 'http')[]> = {
  drop: ['stdio', 'http'],
  delay: ['stdio', 'http'],
  cutStream: ['http'],
  closeGetStream: ['http'],
  moveToGetStream: ['http'],
  // stdio: the client SDK owns the server process (it spawned it); a fresh process would be a new
  // connection the client never initialized, which is not a restart of the same server.
  restartServer: ['http'],
  garbage: ['stdio', 'http'],
  truncate: ['http'],
};

export const FAULT_MEMBERS = [
  DropFault,
  DelayFault,
  CutStreamFault,
  CloseGetStreamFault,
  MoveToGetStreamFault,
  RestartServerFault,
  GarbageFault,
  TruncateFault,
] as const;
