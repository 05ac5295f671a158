/**
 * Which of a scenario's faults apply to a message on the wire. Pure bookkeeping shared by the
 * stdio tap and the HTTP proxy: each message is evaluated once, when the recorder first sees it,
 * against every fault; each fault counts its own matches (`nth` is the nth match of that fault
 * alone). A response carries no method, so the plan pairs it with its request by the request's
 * direction and id (within one scope: an HTTP session), as the judge's trace index does.
 */
import type { FaultKind, MessageMatch } from '../vocabulary/faults.js';
import type { Fault } from '../vocabulary/scenario.js';
import type { Direction } from '../vocabulary/trace.js';

export type JsonObject = Record<string, unknown>;
export type MessageType = 'request' | 'response' | 'notification';

/** One JSON-RPC message as a fault sees it. */
export interface MessageInfo {
  dir: Direction;
  type: MessageType;
  /** The message's method; for a response, the method of the request it answers (when known). */
  method?: string;
  id?: string | number | null;
  msg: JsonObject;
  /** For a response: the request it answers (when known). */
  request?: JsonObject;
}

/** Where a message travels, for faults that only make sense on some channels. */
export interface Channel {
  transport: 'stdio' | 'http';
  /** HTTP: the stream (request body, JSON response, POST SSE, GET SSE). */
  stream?: 'request' | 'json' | 'post-sse' | 'get-sse';
}

export interface FaultHit<F extends Fault = Fault> {
  fault: F;
  /** Index in the scenario's `faults`. */
  index: number;
  /** How many messages this fault had matched, this one included. */
  count: number;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function messageType(msg: JsonObject): MessageType | undefined {
  if (typeof msg.method === 'string') return 'id' in msg && msg.id !== null && msg.id !== undefined ? 'request' : 'notification';
  if ('result' in msg || 'error' in msg) return 'response';
  return undefined;
}

/** `the response to tasks/get (id 3)`, `notifications/tasks/status`, `the request tasks/result (id 2)`. */
export function describeMessage(info: MessageInfo): string {
  const id = info.id !== undefined && info.id !== null ? ` (id ${JSON.stringify(info.id)})` : '';
  if (info.type === 'response') return `the ${'error' in info.msg ? 'error ' : ''}response to ${info.method ?? 'an unknown request'}${id}`;
  if (info.type === 'request') return `the request ${info.method}${id}`;
  return `the notification ${info.method}`;
}

/**
 * Pairs responses with requests: a request travelling `dir` is answered in the other direction
 * with the same id. Ids are unique only per sender and session, hence the scope.
 */
export class MessageTracker {
  private readonly open = new Map<string, JsonObject[]>();

  /** Classifies one message (and remembers a request until its response comes); undefined for non-messages. */
  info(dir: Direction, msg: JsonObject, scope = ''): MessageInfo | undefined {
    const type = messageType(msg);
    if (!type) return undefined;
    const id = typeof msg.id === 'string' || typeof msg.id === 'number' ? msg.id : msg.id === null ? null : undefined;
    if (type === 'request') {
      const key = `${dir}|${scope}|${JSON.stringify(id)}`;
      this.open.set(key, [...(this.open.get(key) ?? []), msg]);
      return { dir, type, method: msg.method as string, id, msg };
    }
    if (type === 'notification') return { dir, type, method: msg.method as string, msg };
    const key = `${dir === 'c2s' ? 's2c' : 'c2s'}|${scope}|${JSON.stringify(id)}`;
    const queue = this.open.get(key);
    const request = queue?.shift();
    if (queue && !queue.length) this.open.delete(key);
    return { dir, type, id, msg, ...(request ? { request, method: request.method as string } : {}) };
  }
}

/** Whether a message fits a match (every field given must fit; `nth` is counted by the plan). */
export function fits(match: MessageMatch, info: MessageInfo): boolean {
  if (match.method !== undefined && match.method !== info.method) return false;
  if (match.type !== undefined && match.type !== info.type) return false;
  if (match.direction !== undefined && match.direction !== info.dir) return false;
  return true;
}

/** The match of a fault kind, and the messages it can apply to at all (those alone count toward `nth`). */
function matchOf(fault: Fault, info: MessageInfo, channel: Channel): MessageMatch | undefined {
  switch (fault.kind) {
    case 'drop':
      return fault.drop;
    case 'delay':
      return fault.match;
    case 'garbage':
      return fault.before;
    case 'restartServer':
      return fault.restartServer;
    case 'truncate':
      return channel.transport === 'http' ? fault.truncate : undefined;
    case 'cutStream':
      // The client's request whose response stream is cut.
      return channel.transport === 'http' && info.dir === 'c2s' && info.type === 'request' ? fault.cutStream : undefined;
    case 'moveToGetStream':
      // Only what the server sends on a POST's SSE stream can be moved to the GET stream.
      return channel.transport === 'http' && info.dir === 's2c' && channel.stream === 'post-sse' ? fault.moveToGetStream : undefined;
    case 'closeGetStream':
      return undefined; // acts on the GET stream itself, not on messages
  }
}

/** The scenario's faults with their own match counters. */
export class FaultPlan {
  private readonly counts: number[];

  constructor(readonly faults: readonly Fault[]) {
    this.counts = faults.map(() => 0);
  }

  get empty(): boolean {
    return this.faults.length === 0;
  }

  has(...kinds: FaultKind[]): boolean {
    return this.faults.some((f) => kinds.includes(f.kind));
  }

  /** Faults of a kind with their indexes (for faults that are not about messages). */
  ofKind<K extends FaultKind>(kind: K): FaultHit<Extract<Fault, { kind: K }>>[] {
    return this.faults.flatMap((fault, index) =>
      fault.kind === kind ? [{ fault: fault as Extract<Fault, { kind: K }>, index, count: 0 }] : [],
    );
  }

  /**
   * Evaluates one message against every fault, once: counts a match for each fault it fits, and
   * returns the faults that apply to it now (every match, or only the nth).
   */
  evaluate(info: MessageInfo, channel: Channel): FaultHit[] {
    const hits: FaultHit[] = [];
    this.faults.forEach((fault, index) => {
      const match = matchOf(fault, info, channel);
      if (!match || !fits(match, info)) return;
      const count = ++this.counts[index]!;
      if (match.nth === undefined || match.nth === count) hits.push({ fault, index, count });
    });
    return hits;
  }
}

/** The first hit of a kind among a message's hits. */
export function hitOf<K extends FaultKind>(hits: readonly FaultHit[], kind: K): FaultHit<Extract<Fault, { kind: K }>> | undefined {
  return hits.find((h) => h.fault.kind === kind) as FaultHit<Extract<Fault, { kind: K }>> | undefined;
}

/** The longest delay among a message's hits (0 when none). */
export function delayOf(hits: readonly FaultHit[]): number {
  let ms = 0;
  for (const h of hits) if (h.fault.kind === 'delay') ms = Math.max(ms, h.fault.delay);
  return ms;
}

/** The JSON-RPC messages of a parsed body or line: one object, or each object of a batch. */
export function messagesOf(parsed: unknown): { items: JsonObject[]; batch: boolean } {
  if (Array.isArray(parsed)) return { items: parsed.filter(isObject), batch: true };
  return { items: isObject(parsed) ? [parsed] : [], batch: false };
}

export function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
