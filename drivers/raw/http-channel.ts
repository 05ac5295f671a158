/**
 * Streamable HTTP (MCP 2025-11-25, basic/transports), by hand: every message is a POST with
 * `Accept: application/json, text/event-stream`; the answer is a JSON body or an SSE stream
 * read incrementally (messages are handed on as each event arrives), or a 202. The
 * Mcp-Session-Id the server gives on initialize and the negotiated MCP-Protocol-Version go on
 * every later request. Once initialized, a GET opens the server's SSE stream (reopened a few
 * times if the server ends it); close() DELETEs the session.
 */
import http, { type IncomingMessage } from 'node:http';
import { SseParser } from '../../src/record/sse-parser.js';
import { errorMessage, log } from '../common.js';
import type { Channel, ChannelEvents, Exchange, ExchangeEnd } from './channel.js';
import { isObject, messagesOf, tryParse } from './jsonrpc.js';

/** How many times the GET stream is opened again after the server ended it. */
const GET_REOPENS = 5;
/** Wait before reopening when the stream gave no `retry:` (ms). */
const GET_RETRY_MS = 500;
const DELETE_TIMEOUT_MS = 2000;

/** Whether a message text is an initialize request (its answer carries the session id). */
function isInitialize(text: string): boolean {
  const parsed = tryParse(text);
  return parsed.ok && isObject(parsed.value) && parsed.value.method === 'initialize' && 'id' in parsed.value;
}

function header(res: IncomingMessage, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export class HttpChannel implements Channel {
  sessionId: string | undefined;
  private protocolVersion: string | undefined;
  private readonly agent = new http.Agent({ keepAlive: true });
  private readonly requests = new Set<http.ClientRequest>();
  private closing = false;
  private getOpened = false;
  private getReopens = 0;

  constructor(
    private readonly url: URL,
    private readonly events: ChannelEvents,
  ) {}

  private headers(extra: Record<string, string>): Record<string, string> {
    return {
      ...extra,
      ...(this.sessionId !== undefined && { 'mcp-session-id': this.sessionId }),
      ...(this.protocolVersion !== undefined && { 'mcp-protocol-version': this.protocolVersion }),
    };
  }

  private start(
    method: string,
    headers: Record<string, string>,
    onResponse: (res: IncomingMessage) => void,
    onError: (e: Error) => void,
    initialize = false,
  ) {
    const req = http.request(this.url, { method, agent: this.agent, headers });
    this.requests.add(req);
    req.on('close', () => this.requests.delete(req));
    req.on('response', (res) => {
      const sid = header(res, 'mcp-session-id');
      // The session id is the one the server assigns "on the HTTP response containing the
      // InitializeResult" (a header on an error answer to another request is not one), and
      // later headers never replace it.
      const ok = (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300;
      if (initialize && ok && this.sessionId === undefined && sid !== undefined) this.sessionId = sid;
      onResponse(res);
    });
    req.on('error', onError);
    return req;
  }

  /** Reads a response body: SSE events as they come, or the whole JSON / text body. */
  private readBody(res: IncomingMessage, messages: unknown[], onRetry?: (ms: number) => void): Promise<string | undefined> {
    const type = header(res, 'content-type') ?? '';
    return new Promise((resolve) => {
      if (type.startsWith('text/event-stream')) {
        const parser = new SseParser((item) => {
          if (item.type === 'event') {
            if (item.retry !== undefined) onRetry?.(item.retry);
            if (item.data === undefined || item.data === '') return;
            if (item.event !== undefined && item.event !== 'message') {
              log('sse-event-ignored', { event: item.event, data: item.data });
              return;
            }
            this.take(item.data, messages);
          } else if (item.type === 'incomplete') {
            this.events.onUnparsable(item.text, 'SSE event not terminated by a blank line when the stream ended');
          }
        });
        res.on('data', (chunk: Buffer) => parser.push(chunk));
        res.on('end', () => {
          parser.end();
          resolve(undefined);
        });
        res.on('error', () => resolve(undefined));
        res.on('close', () => resolve(undefined));
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      const finish = () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (body.trim() === '') return resolve(undefined);
        const parsed = tryParse(body);
        if (parsed.ok) {
          for (const m of messagesOf(parsed.value)) messages.push(m);
          this.events.onMessage(parsed.value);
          return resolve(undefined);
        }
        resolve(body);
      };
      res.on('end', finish);
      res.on('error', finish);
    });
  }

  private take(data: string, messages: unknown[]): void {
    const parsed = tryParse(data);
    if (!parsed.ok) {
      this.events.onUnparsable(data, parsed.error);
      return;
    }
    for (const m of messagesOf(parsed.value)) messages.push(m);
    this.events.onMessage(parsed.value);
  }

  send(text: string): Exchange {
    const exchange: Exchange = { done: Promise.resolve({ messages: [] }) };
    exchange.done = new Promise<ExchangeEnd>((resolve) => {
      const messages: unknown[] = [];
      const headers = this.headers({ 'content-type': 'application/json', accept: 'application/json, text/event-stream' });
      const req = this.start(
        'POST',
        headers,
        (res) => {
          const status = res.statusCode ?? 0;
          const contentType = header(res, 'content-type');
          exchange.head = { status, ...(contentType !== undefined && { contentType }) };
          void this.readBody(res, messages).then((body) =>
            resolve({ status, ...(contentType !== undefined && { contentType }), messages, ...(body !== undefined && { text: body }) }),
          );
        },
        (err) => resolve({ messages, failure: errorMessage(err) }),
        isInitialize(text),
      );
      req.end(text);
    });
    return exchange;
  }

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }

  initialized(): void {
    if (this.getOpened) return;
    this.getOpened = true;
    this.openGetStream();
  }

  private openGetStream(): void {
    if (this.closing || this.sessionId === undefined) return;
    let retryMs = GET_RETRY_MS;
    const req = this.start(
      'GET',
      this.headers({ accept: 'text/event-stream' }),
      (res) => {
        const type = header(res, 'content-type') ?? '';
        if (res.statusCode !== 200 || !type.startsWith('text/event-stream')) {
          // 405: the server offers no GET stream, which the transport allows.
          log('get-stream-refused', { status: res.statusCode, contentType: type });
          res.resume();
          return;
        }
        log('get-stream-open', {});
        void this.readBody(res, [], (ms) => (retryMs = ms)).then(() => {
          log('get-stream-closed', {});
          if (this.closing || this.getReopens >= GET_REOPENS) return;
          this.getReopens++;
          setTimeout(() => this.openGetStream(), retryMs).unref();
        });
      },
      (err) => {
        if (!this.closing) log('get-stream-error', { error: errorMessage(err) });
      },
    );
    req.end();
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const req of this.requests) req.destroy();
    if (this.sessionId !== undefined) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          req.destroy();
          resolve();
        }, DELETE_TIMEOUT_MS);
        const req = this.start(
          'DELETE',
          this.headers({}),
          (res) => {
            res.resume();
            res.on('end', () => {
              clearTimeout(timer);
              resolve();
            });
          },
          () => {
            clearTimeout(timer);
            resolve();
          },
        );
        req.end();
      });
    }
    for (const req of this.requests) req.destroy();
    this.agent.destroy();
  }
}
