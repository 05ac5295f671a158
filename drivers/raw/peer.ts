/**
 * One client session as a JSON-RPC peer over a channel: sends requests and waits for the response
 * with the same id (or a timeout), sends notifications and exact raw text, answers the server's
 * requests through the given handler and reports every request and notification the server sent.
 */
import { monoMs } from '../../src/record/clock.js';
import type { ObservedError } from '../../src/vocabulary/index.js';
import { log } from '../common.js';
import type { Channel, ChannelEvents, ExchangeEnd } from './channel.js';
import {
  classify,
  errorResponse,
  type Incoming,
  idKey,
  isObject,
  type JsonObject,
  type JsonRpcErrorObject,
  type JsonRpcId,
  messagesOf,
  notification,
  request,
  resultResponse,
  tryParse,
} from './jsonrpc.js';

/** The HTTP facts of the exchange that carried a message (absent on stdio). */
export interface HttpInfo {
  status: number;
  contentType?: string;
}

export type Reply = ({ ok: true; result: unknown } | { ok: false; error: ObservedError }) & {
  /** The JSON-RPC response as it came, when one did. */
  response?: JsonObject;
  http?: HttpInfo;
};

/** What a server request is answered with. */
export type Answer = { result: unknown } | { error: { code: number; message: string; data?: unknown } };

/** A task-augmented request answered with a CreateTaskResult; `stored` is what the task later stored. */
export interface TaskAnswer {
  answer: Answer;
  stored: Promise<Answer>;
}

export interface IncomingFields {
  at: number;
  method: string;
  params: unknown;
  id?: JsonRpcId;
  answer?: unknown;
  answerError?: ObservedError;
  createdTask?: unknown;
}

export interface PeerHooks {
  /** Answers a request from the server (elicitation, sampling, ping, tasks/* to a receiver). */
  answer(method: string, params: unknown, id: JsonRpcId): Promise<Answer | TaskAnswer>;
  /** A request the server sent (with the answer given) or a notification. */
  incoming(record: IncomingFields): void;
}

function answerFields(answer: Answer): Pick<IncomingFields, 'answer' | 'answerError'> {
  return 'result' in answer ? { answer: answer.result } : { answerError: { code: answer.error.code, message: answer.error.message } };
}

/** Ids count up across every session of the client, so that no two requests of the cell share one. */
let nextId = 1;

function observedError(error: JsonRpcErrorObject): ObservedError {
  const code = typeof error.code === 'number' && Number.isInteger(error.code) ? error.code : null;
  return {
    code,
    message: typeof error.message === 'string' ? error.message : JSON.stringify(error.message ?? null),
    ...(error.data !== undefined && { data: error.data }),
    // A non-integer code is kept as it came, next to the null the contract's field must hold.
    ...(code === null && { wireCode: error.code ?? null }),
  };
}

function local(message: string): ObservedError {
  return { code: null, message, local: true };
}

function httpInfo(end: ExchangeEnd): HttpInfo | undefined {
  return end.status !== undefined
    ? { status: end.status, ...(end.contentType !== undefined && { contentType: end.contentType }) }
    : undefined;
}

/** Why an exchange that ended without our response will bring none: an HTTP error or a broken connection. */
function exchangeFailure(end: ExchangeEnd): { error: ObservedError; response?: JsonObject } | undefined {
  if (end.failure !== undefined) return { error: local(`the request could not be sent: ${end.failure}`) };
  if (end.status === undefined || end.status < 400) return undefined;
  for (const m of end.messages) {
    const c = classify(m);
    if (c.kind === 'response' && c.error) return { error: { ...observedError(c.error), httpStatus: end.status }, response: c.msg };
  }
  const text = end.text !== undefined ? `: ${end.text.slice(0, 300)}` : '';
  return { error: { code: null, message: `HTTP ${end.status}${text}`, httpStatus: end.status } };
}

interface Waiter {
  claims(c: Extract<Incoming, { kind: 'response' }>): boolean;
  settle(c: Extract<Incoming, { kind: 'response' }>): void;
}

function deadline<T>(ms: number, value: T): { promise: Promise<T>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(value), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

export class Peer implements ChannelEvents {
  private channel!: Channel;
  private readonly pending = new Map<string, Waiter>();
  private rawWaiter: Waiter | undefined;
  private closedReason: string | undefined;
  private readonly closeListeners = new Set<(reason: string) => void>();

  constructor(
    readonly name: string,
    private readonly hooks: PeerHooks,
  ) {}

  attach(channel: Channel): void {
    this.channel = channel;
  }

  get sessionId(): string | undefined {
    return this.channel.sessionId;
  }

  get transport(): Channel {
    return this.channel;
  }

  // --- ChannelEvents -------------------------------------------------------------------------

  onMessage(value: unknown): void {
    for (const msg of messagesOf(value)) this.dispatch(classify(msg));
  }

  onUnparsable(text: string, error: string): void {
    log('unparsable', { session: this.name, text: text.slice(0, 500), error });
  }

  onClosed(reason: string): void {
    this.closedReason = reason;
    log('channel-closed', { session: this.name, reason });
    for (const listener of this.closeListeners) listener(reason);
  }

  // --- incoming ------------------------------------------------------------------------------

  private dispatch(c: Incoming): void {
    if (c.kind === 'response') {
      if (this.rawWaiter?.claims(c)) {
        const waiter = this.rawWaiter;
        this.rawWaiter = undefined;
        waiter.settle(c);
        return;
      }
      const waiter = this.pending.get(idKey(c.id));
      if (waiter) {
        this.pending.delete(idKey(c.id));
        waiter.settle(c);
      } else log('unmatched-response', { session: this.name, msg: c.msg });
      return;
    }
    if (c.kind === 'notification') {
      this.hooks.incoming({ at: monoMs(), method: c.method, params: c.params });
      return;
    }
    if (c.kind === 'request') {
      void this.answer(c);
      return;
    }
    log('not-json-rpc', { session: this.name, msg: c.msg });
  }

  private async answer(c: Extract<Incoming, { kind: 'request' }>): Promise<void> {
    const at = monoMs();
    const got = await this.hooks.answer(c.method, c.params, c.id);
    const { answer, stored } = 'stored' in got ? got : { answer: got, stored: undefined };
    const reply =
      'result' in answer
        ? resultResponse(c.id, answer.result)
        : errorResponse(c.id, answer.error.code, answer.error.message, answer.error.data);
    const record = { at, method: c.method, params: c.params, id: c.id };
    const deferred = stored !== undefined && 'result' in answer;
    if (!deferred) this.hooks.incoming({ ...record, ...answerFields(answer) });
    const end = await this.channel.send(JSON.stringify(reply)).done;
    if (end.failure !== undefined || (end.status !== undefined && end.status >= 300)) {
      log('answer-not-accepted', { session: this.name, method: c.method, status: end.status, failure: end.failure, text: end.text });
    }
    // A task the client created for the request: recorded once it stored its result.
    if (deferred) this.hooks.incoming({ ...record, createdTask: (answer as { result: unknown }).result, ...answerFields(await stored!) });
  }

  // --- outgoing ------------------------------------------------------------------------------

  private untilClosed(): { promise: Promise<string>; cancel(): void } {
    if (this.closedReason !== undefined) return { promise: Promise.resolve(this.closedReason), cancel() {} };
    let listener: ((reason: string) => void) | undefined;
    const promise = new Promise<string>((resolve) => {
      listener = resolve;
      this.closeListeners.add(resolve);
    });
    return { promise, cancel: () => listener && this.closeListeners.delete(listener) };
  }

  /** The id the next request gets unless the step names one. */
  static takeId(): number {
    return nextId++;
  }

  /** Sends a request and waits for its response, at most `timeoutMs`. */
  async request(method: string, params: unknown, timeoutMs: number, id: JsonRpcId = Peer.takeId()): Promise<Reply> {
    const key = idKey(id);
    let settle!: (c: Extract<Incoming, { kind: 'response' }>) => void;
    const answered = new Promise<Extract<Incoming, { kind: 'response' }>>((resolve) => (settle = resolve));
    this.pending.set(key, { claims: () => true, settle });
    let http: HttpInfo | undefined;
    const exchange = this.channel.send(JSON.stringify(request(id, method, params)));
    const failed = exchange.done.then((end) => {
      http = httpInfo(end);
      return exchangeFailure(end) ?? new Promise<never>(() => {});
    });
    const timer = deadline(timeoutMs, 'timeout' as const);
    const closed = this.untilClosed();
    try {
      const outcome = await Promise.race([answered, failed, timer.promise, closed.promise]);
      // The answer may come before the exchange ends (an SSE stream still open): its headers are known.
      http ??= exchange.head;
      if (outcome === 'timeout')
        return { ok: false, error: local(`no response to ${method} within ${timeoutMs} ms`), ...(http && { http }) };
      if (typeof outcome === 'string') return { ok: false, error: local(`no response to ${method}: ${outcome}`) };
      if ('kind' in outcome) {
        const response = outcome.msg;
        if (outcome.error) return { ok: false, error: observedError(outcome.error), response, ...(http && { http }) };
        return { ok: true, result: outcome.result, response, ...(http && { http }) };
      }
      return { ok: false, error: outcome.error, ...(outcome.response && { response: outcome.response }), ...(http && { http }) };
    } finally {
      this.pending.delete(key);
      timer.cancel();
      closed.cancel();
    }
  }

  /** Sends a notification; resolves when the transport took it (HTTP: the POST's answer). */
  async notify(method: string, params: unknown): Promise<{ ok: boolean; error?: ObservedError; http?: HttpInfo }> {
    const end = await this.channel.send(JSON.stringify(notification(method, params))).done;
    const failure = exchangeFailure(end);
    const http = httpInfo(end);
    return failure ? { ok: false, error: failure.error, ...(http && { http }) } : { ok: true, ...(http && { http }) };
  }

  /**
   * Sends exact text as one message and records what comes back: the response with the id the
   * text carries (when it parses as a request), else any response with a null or unknown id (a
   * parse error, say); over HTTP the POST's own answer ends the wait (a 202, an HTTP error).
   */
  async sendRaw(text: string, timeoutMs: number): Promise<Reply & { nothing?: true }> {
    const parsed = tryParse(text);
    const ids = new Set<string>();
    if (parsed.ok)
      for (const m of messagesOf(parsed.value)) if (isObject(m) && typeof m.method === 'string' && 'id' in m) ids.add(idKey(m.id));
    let settle!: (c: Extract<Incoming, { kind: 'response' }>) => void;
    const answered = new Promise<Extract<Incoming, { kind: 'response' }>>((resolve) => (settle = resolve));
    this.rawWaiter = {
      claims: (c) => (ids.size ? ids.has(idKey(c.id)) : c.id === null || !this.pending.has(idKey(c.id))),
      settle,
    };
    const sent = this.channel.send(text);
    const exchange = sent.done;
    const timer = deadline(timeoutMs, 'timeout' as const);
    try {
      const outcome = await Promise.race([answered, exchange.then((end) => ({ end })), timer.promise]);
      if (outcome === 'timeout') return { ok: false, error: local(`nothing came back within ${timeoutMs} ms`), nothing: true };
      if ('kind' in outcome) {
        const http = sent.head;
        if (outcome.error) return { ok: false, error: observedError(outcome.error), response: outcome.msg, ...(http && { http }) };
        return { ok: true, result: outcome.result, response: outcome.msg, ...(http && { http }) };
      }
      const { end } = outcome;
      const http = httpInfo(end);
      // HTTP: the body's messages were dispatched before the exchange ended, so a response in it
      // was already claimed (the race above may still see the exchange first).
      const late = await Promise.race([answered, Promise.resolve(undefined)]);
      if (late) {
        if (late.error) return { ok: false, error: observedError(late.error), response: late.msg, ...(http && { http }) };
        return { ok: true, result: late.result, response: late.msg, ...(http && { http }) };
      }
      const failure = exchangeFailure(end);
      if (failure)
        return { ok: false, error: failure.error, ...(failure.response && { response: failure.response }), ...(http && { http }) };
      if (http === undefined) {
        // stdio: the write is done; wait for an answer for the rest of the step.
        const rest = await Promise.race([answered, timer.promise]);
        if (rest === 'timeout') return { ok: false, error: local(`nothing came back within ${timeoutMs} ms`), nothing: true };
        if (rest.error) return { ok: false, error: observedError(rest.error), response: rest.msg };
        return { ok: true, result: rest.result, response: rest.msg };
      }
      if (http.status === 202) return { ok: true, result: undefined, http };
      return { ok: false, error: local(`HTTP ${http.status} without a JSON-RPC response`), http, nothing: true };
    } finally {
      if (this.rawWaiter?.settle === settle) this.rawWaiter = undefined;
      timer.cancel();
    }
  }
}
