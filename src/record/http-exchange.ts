/**
 * What the HTTP proxy's fault handlers share: the proxy-wide state (`ProxyCore`) and one HTTP
 * exchange's state (`Exchange`). The plain recording path lives in http-proxy.ts; the fault
 * paths in http-fault-request.ts and http-fault-response.ts work on these objects.
 */
import type http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault } from '../vocabulary/scenario.js';
import type { Direction, HttpContext, HttpEvent } from '../vocabulary/trace.js';
import type { FaultHit, FaultPlan, MessageInfo } from './fault-plan.js';
import type { Settler } from './settle.js';
import { type SseItem, SseParser } from './sse-parser.js';
import type { TraceWriter } from './trace-writer.js';

export type Hit<K extends Fault['kind']> = FaultHit<Extract<Fault, { kind: K }>>;

export interface ProxyCore {
  trace: TraceWriter;
  plan: FaultPlan;
  settler?: Settler;
  target: URL;
  /** The proxy is shutting down: nothing more is recorded for broken connections. */
  closing(): boolean;
  httpEvent(dir: Direction, event: HttpEvent['event'], c: HttpContext, detail?: string): void;
  /** Classifies a message (pairing responses with requests) and tells the settler. */
  observe(dir: Direction, msg: Record<string, unknown>, scope: string): MessageInfo | undefined;
  /** restartServer: runs the restart; requests arriving meanwhile wait for it. */
  restart(hit: Hit<'restartServer'>, info: MessageInfo): void;
  /** moveToGetStream: delivers an SSE block on the session's GET stream (now, or once one opens). */
  moveToGet(session: string | undefined, block: string): void;
  /** A live GET stream of a session, to receive moved blocks; returns how to unregister it. */
  registerGet(session: string, inject: (block: string) => void): () => void;
  /** closeGetStream acts once per fault and session: true the first time. */
  firstGetOf(index: number, session: string): boolean;
  /** A request upstream with the proxy's agent (a restart replaces it), tracked for close(). */
  upstreamRequest(options: http.RequestOptions): http.ClientRequest;
  /** A number for an exchange the proxy makes up itself (garbage). */
  newExchange(): number;
}

export interface Exchange {
  id: number;
  method: string;
  path: string;
  reqSession: string | undefined;
  reqType: string | undefined;
  /** Message pairing scope: the session (ids are unique per session). */
  scope: string;
  req: IncomingMessage;
  res: ServerResponse;
  ctx(extra: Partial<HttpContext>): HttpContext;
  upReq?: http.ClientRequest;
  upstreamDone: boolean;
  clientGone: boolean;
  /** The proxy itself gave up the upstream request (a fault cut it): its errors mean nothing. */
  abandoned: boolean;
  /** cutStream: this request's response stream is cut after that many events. */
  cut?: { hit: Hit<'cutStream'>; info: MessageInfo };
  /** A c2s message of this exchange asks for a restart once its answer has gone back. */
  restartAfter?: { hit: Hit<'restartServer'>; info: MessageInfo };
}

/** An HTTP context for exchange `exchange`, without the keys whose value is unknown. */
export function contextOf(exchange: number, method: string, path: string, extra: Partial<HttpContext>): HttpContext {
  const c: HttpContext = { exchange, method, path };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (c as Record<string, unknown>)[k] = v;
  return c;
}

/** SSE `data:` lines carrying `text` (a multi-line text becomes several data lines). */
export function sseData(text: string): string {
  return `${text
    .split(/\r\n|\r|\n/)
    .map((l) => `data: ${l}`)
    .join('\n')}\n\n`;
}

/** The items of one SSE block, parsed on the side (never fed to the recording parser). */
export function parseBlock(block: string, final: boolean): SseItem[] {
  const items: SseItem[] = [];
  const p = new SseParser((item) => items.push(item));
  p.push(block);
  if (final) p.end();
  return items;
}

/** The first hit of a kind among several messages' hits, with its message. */
export function firstHit<K extends Fault['kind']>(
  hits: readonly FaultHit[][],
  infos: readonly (MessageInfo | undefined)[],
  kind: K,
): { hit: Hit<K>; info: MessageInfo } | undefined {
  for (const [i, mine] of hits.entries()) {
    const hit = mine.find((h) => h.fault.kind === kind);
    if (hit && infos[i]) return { hit: hit as Hit<K>, info: infos[i]! };
  }
  return undefined;
}
