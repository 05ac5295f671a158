/**
 * The normalised conversation: what a cell said on the wire, with everything that varies between
 * two runs of the same cell renamed or masked (see normalise.ts). It is the input of the diff and,
 * written as YAML, the golden trace of a cell (golden.ts), so its shape is kept small and readable:
 * one step per wire event, named by what it is (`request: tasks/get`, `notification: …`).
 */
import type { HttpStream } from '../vocabulary/trace.js';

export type Sender = 'client' | 'server';

/** Where a message travelled on Streamable HTTP (absent on stdio). */
export interface Via {
  /** request (a client POST body), json, post-sse, get-sse. */
  stream?: HttpStream;
  /**
   * The HTTP exchange a server message travelled on, named by what opened it (`POST c3`: the POST
   * carrying request c3; `GET#1`: the first GET stream). Omitted for a response on the POST of
   * the request it answers, which is the usual case.
   */
  on?: string;
  /** The HTTP status answering a client POST (on the client's step). */
  status?: number;
  /** The text body of a non-SSE, non-JSON reply (a 404's "Session not found"). */
  reply?: string;
  /** How the stream ended when that was not the server ending it normally. */
  cut?: string;
  /** The SSE event id, numbered per stream ("2": the second id on that stream). */
  eventId?: string;
  /** The HTTP session, only when the trace has more than one (a re-initialised client). */
  session?: string;
}

export interface Step {
  /** The trace event number; absent in goldens (it varies between runs and means nothing there). */
  seq?: number;
  from: Sender;
  // Exactly one of these six says what the step is.
  request?: string;
  /** A response, named by the method of the request it answers ("?" when that is not in the trace). */
  response?: string;
  notification?: string;
  /** Bytes that were not a JSON-RPC message (raw event): the text. */
  raw?: string;
  /** An HTTP exchange that carried no message (GET stream, DELETE, proxy error): its name (`GET#1`). */
  http?: string;
  /** The recorded peer process: spawn, exit or error. */
  process?: string;

  /** Canonical JSON-RPC id (`c1`… for client requests, `s1`… for server requests). */
  id?: string | null;
  params?: unknown;
  result?: unknown;
  error?: unknown;
  /** Top-level fields of the message other than the usual ones (and `jsonrpc` unless "2.0"). */
  other?: Record<string, unknown>;
  batch?: true;
  via?: Via;
  /**
   * raw: why it is not a message; http: the detail (a Last-Event-ID, given as the event's number
   * on its stream, which is then the step's `via.on`).
   */
  reason?: string;
  detail?: string;
  status?: number;
  code?: number | null;
  signal?: string | null;
}

export type StepKind = 'request' | 'response' | 'notification' | 'raw' | 'http' | 'process';

export function kindOf(step: Step): StepKind {
  if (step.request !== undefined) return 'request';
  if (step.response !== undefined) return 'response';
  if (step.notification !== undefined) return 'notification';
  if (step.raw !== undefined) return 'raw';
  if (step.http !== undefined) return 'http';
  return 'process';
}

/** A cell's normalised conversation, with what is needed to read it. */
export interface Conversation {
  transport: 'stdio' | 'http';
  steps: Step[];
}

/** An exchange named by the message that opened it: `POST c3`, `POST answer s1` (normalise.ts). */
export const POST_REF = /^(POST (?:answer )?)([cs]\d+)$/;

/** `via.on` with the request id it names mapped by `rename` (unchanged when it names none). */
export function renamePostRef(on: string, rename: (id: string) => string): string {
  return on.replace(POST_REF, (_, prefix: string, id: string) => `${prefix}${rename(id)}`);
}
