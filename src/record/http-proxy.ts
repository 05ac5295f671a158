/**
 * The Streamable HTTP recorder: a reverse proxy on 127.0.0.1 between an MCP client and an MCP
 * server. Requests and responses pass through unchanged (method, path, headers, status, body),
 * minus hop-by-hop headers; `Host` is rewritten to the target's, so the server sees what it would
 * see with no proxy. SSE is never buffered: each chunk from the server is written to the client
 * as it arrives, and a parser on the side records each event.
 *
 * What is recorded (see README.md in this folder for the format and examples):
 * - c2s `message` events for each JSON-RPC message of a request body, once the body is complete;
 * - s2c `message` events for each JSON-RPC message of a JSON response or an SSE event;
 * - `http` events for what carries no JSON-RPC message: a request without a body (GET, DELETE),
 *   a response without one (202, a DELETE's 200, a 404 with a text body, in `detail`), SSE
 *   streams opening and closing, SSE comments (keep-alives), and proxy errors (then 502);
 * - `raw` events for bodies or SSE data that do not parse as JSON.
 * Each carries `http` context: exchange number, method, path, status, content type, session id,
 * stream and SSE event id.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import http from 'node:http';
import type { Socket } from 'node:net';
import zlib from 'node:zlib';
import type { Direction, HttpContext, HttpEvent, HttpStream } from '../vocabulary/trace.js';
import { type SseItem, SseParser } from './sse-parser.js';
import type { TraceWriter } from './trace-writer.js';

export interface HttpProxyOptions {
  /** The server's MCP endpoint, e.g. http://127.0.0.1:5001/mcp (http only). */
  target: string;
  /** Port to listen on (127.0.0.1 only); 0 picks a free one. */
  port: number;
  trace: TraceWriter;
}

export interface HttpProxy {
  /** The proxy's MCP endpoint: the target's path and query on the proxy's port. */
  url: string;
  port: number;
  /** Stops listening, destroys open connections (GET streams included) and upstream requests. */
  close(): Promise<void>;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1), never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Filters a rawHeaders list (name, value, name, value...), keeping case and order. */
function forwardHeaders(raw: string[], host?: string): string[] {
  const drop = new Set(HOP_BY_HOP);
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === 'connection') {
      for (const token of raw[i + 1]!.split(',')) drop.add(token.trim().toLowerCase());
    }
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (drop.has(lower)) continue;
    out.push(name, lower === 'host' && host !== undefined ? host : raw[i + 1]!);
  }
  return out;
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isSse(contentType: string | undefined): boolean {
  return contentType !== undefined && /^\s*text\/event-stream\b/i.test(contentType);
}

/** A body to parse as JSON: declared JSON (any `+json` too), or undeclared. */
function isJsonish(contentType: string | undefined): boolean {
  return contentType === undefined || /\bjson\b/i.test(contentType);
}

/** Streaming decoder for a Content-Encoding, for the recorder's copy only. */
function decompressor(encoding: string | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

function decodeBody(body: Buffer, encoding: string | undefined): string {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.gunzipSync(body).toString('utf8');
    case 'deflate':
      return zlib.inflateSync(body).toString('utf8');
    case 'br':
      return zlib.brotliDecompressSync(body).toString('utf8');
    default:
      return body.toString('utf8');
  }
}

/** Connection failures on a kept-alive socket the server had just closed: safe to retry once. */
const STALE_SOCKET_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

export async function startHttpProxy(opts: HttpProxyOptions): Promise<HttpProxy> {
  const target = new URL(opts.target);
  if (target.protocol !== 'http:') throw new Error(`http proxy: only http: targets are supported, got ${opts.target}`);
  const trace = opts.trace;
  const agent = new http.Agent({ keepAlive: true });
  const sockets = new Set<Socket>();
  const upstreams = new Set<http.ClientRequest>();
  let nextExchange = 0;
  let closing = false;

  const server = http.createServer({ noDelay: true }, (req, res) => handle(req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const exchange = nextExchange++;
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const reqSession = one(req.headers['mcp-session-id']);
    const reqType = one(req.headers['content-type']);
    const headers = forwardHeaders(req.rawHeaders, target.host);

    /** HTTP context, without the keys whose value is unknown. */
    const ctx = (extra: Partial<HttpContext>): HttpContext => {
      const c: HttpContext = { exchange, method, path };
      for (const [k, v] of Object.entries(extra)) if (v !== undefined) (c as Record<string, unknown>)[k] = v;
      return c;
    };
    const httpEvent = (dir: Direction, event: HttpEvent['event'], http: HttpContext, detail?: string) =>
      trace.write({ kind: 'http', dir, event, http, ...(detail !== undefined ? { detail } : {}) });

    // ---- client -> server ----
    const bodyChunks: Buffer[] = [];
    let bodyDone = false;
    let responded = false; // response headers received from upstream
    let clientGone = false;
    let upstreamDone = false;
    let retried = false;
    let upReq!: http.ClientRequest;
    /** HTTP context of the response, once its headers arrived. */
    let resCtx: HttpContext | undefined;

    const recordRequest = () => {
      const body = Buffer.concat(bodyChunks);
      const c = ctx({ contentType: reqType, sessionId: reqSession, stream: body.length > 0 ? 'request' : undefined });
      const lastEventId = one(req.headers['last-event-id']);
      if (body.length === 0) {
        httpEvent('c2s', 'request', c, lastEventId !== undefined ? `last-event-id: ${lastEventId}` : undefined);
        return;
      }
      let text: string;
      try {
        text = decodeBody(body, one(req.headers['content-encoding']));
      } catch (err) {
        trace.write({
          kind: 'raw',
          dir: 'c2s',
          transport: 'http',
          raw: body.toString('latin1'),
          error: `content-encoding: ${(err as Error).message}`,
          http: c,
        });
        return;
      }
      if (isJsonish(reqType)) trace.writeJsonText(text, { dir: 'c2s', transport: 'http', http: c });
      else httpEvent('c2s', 'request', c, text);
    };

    const startUpstream = () => {
      const r = http.request({
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method,
        path,
        headers,
        setHost: false,
        agent,
      });
      upReq = r;
      upstreams.add(r);
      r.on('socket', (s) => s.setNoDelay(true));
      r.on('close', () => upstreams.delete(r));
      r.on('response', (upRes) => onResponse(upRes));
      r.on('error', (err: NodeJS.ErrnoException) => {
        if (r === upReq) onUpstreamError(err); // not the request a retry replaced
      });
      for (const chunk of bodyChunks) r.write(chunk);
      if (bodyDone) r.end();
    };

    req.on('data', (chunk: Buffer) => {
      bodyChunks.push(chunk);
      if (upReq.destroyed) return;
      if (!upReq.write(chunk)) {
        req.pause();
        upReq.once('drain', () => req.resume());
      }
    });
    req.on('end', () => {
      bodyDone = true;
      recordRequest(); // before the upstream can answer, so the trace keeps causal order
      if (!upReq.destroyed) upReq.end();
    });
    req.on('error', () => {}); // a client reset shows up as res 'close' below

    res.on('close', () => {
      if (upstreamDone || res.writableFinished) return;
      // The client went away before the response was complete: abort upstream too.
      clientGone = true;
      upReq.destroy();
      if (!closing) {
        httpEvent(
          's2c',
          'stream-close',
          resCtx ?? ctx({ sessionId: reqSession }),
          'client closed the connection before the response ended',
        );
      }
    });

    // ---- server -> client ----

    function onUpstreamError(err: NodeJS.ErrnoException): void {
      if (clientGone || closing) return;
      if (!responded && !retried && upReq.reusedSocket && STALE_SOCKET_ERRORS.has(err.code ?? '')) {
        retried = true;
        if (req.isPaused()) req.resume(); // it may have been waiting for the dead request's 'drain'
        startUpstream();
        return;
      }
      upstreamDone = true;
      const detail = `${err.code ? `${err.code}: ` : ''}${err.message}`;
      if (!responded) {
        httpEvent('s2c', 'proxy-error', ctx({ status: 502, sessionId: reqSession }), `upstream ${target.host}: ${detail}`);
        if (!res.headersSent) {
          res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
          res.end(`mcp-interop proxy: upstream ${target.host} unreachable: ${detail}\n`);
        } else {
          res.destroy();
        }
      }
      // After the response started, the response's own 'close' handler records the abort.
    }

    function onResponse(upRes: IncomingMessage): void {
      responded = true;
      const status = upRes.statusCode ?? 0;
      const resType = one(upRes.headers['content-type']);
      const sessionId = reqSession ?? one(upRes.headers['mcp-session-id']);
      const encoding = one(upRes.headers['content-encoding']);
      const sse = isSse(resType);
      const stream: HttpStream = sse ? (method === 'GET' ? 'get-sse' : 'post-sse') : 'json';
      const base = ctx({ status, contentType: resType, sessionId, stream });
      resCtx = sse ? base : withoutStream(base);

      if (clientGone || res.destroyed) {
        upRes.destroy();
        return;
      }
      res.writeHead(status, upRes.statusMessage, forwardHeaders(upRes.rawHeaders));

      let bodyStarted = false;
      // The recorder's side of the body: `chunk` as bytes arrive, `end(why)` once they stop.
      let side: { chunk(b: Buffer): void; end(why: string): void };
      if (sse) {
        // A stream may stay silent for a long time: the client must see it open. The headers go
        // with the first chunk when that arrives at once (it usually shares the headers' packet).
        setImmediate(() => {
          if (!bodyStarted && !res.destroyed && !res.writableEnded) res.flushHeaders();
        });
        httpEvent('s2c', 'stream-open', base);
        const parser = new SseParser((item) => recordSse(item, base));
        const unzip = decompressor(encoding);
        if (unzip) {
          let why = '';
          unzip.on('data', (b: Buffer) => parser.push(b));
          unzip.on('end', () => {
            parser.end();
            httpEvent('s2c', 'stream-close', base, why);
          });
          unzip.on('error', (err) =>
            trace.write({ kind: 'raw', dir: 's2c', transport: 'http', raw: '', error: `content-encoding: ${err.message}`, http: base }),
          );
          side = {
            chunk: (b) => unzip.write(b),
            end: (w) => {
              why = w;
              unzip.end();
            },
          };
        } else {
          side = {
            chunk: (b) => parser.push(b),
            end: (why) => {
              parser.end();
              httpEvent('s2c', 'stream-close', base, why);
            },
          };
        }
      } else {
        const chunks: Buffer[] = [];
        side = {
          chunk: (b) => chunks.push(b),
          end: (why) => {
            recordBody(Buffer.concat(chunks), encoding, base);
            if (!upRes.complete) httpEvent('s2c', 'stream-close', withoutStream(base), why);
          },
        };
      }

      upRes.on('data', (chunk: Buffer) => {
        bodyStarted = true;
        if (!res.destroyed && !res.write(chunk)) {
          upRes.pause();
          res.once('drain', () => upRes.resume());
        }
        side.chunk(chunk);
      });
      upRes.on('end', () => {
        upstreamDone = true;
        res.end();
        side.end('server ended the stream');
      });
      upRes.on('error', () => {}); // reported by 'close' below
      upRes.on('close', () => {
        if (upRes.complete || clientGone || closing) return;
        upstreamDone = true;
        res.destroy(); // the client sees the same broken response, not a clean end
        side.end('server connection closed before the response ended');
      });
    }

    function recordBody(body: Buffer, encoding: string | undefined, base: HttpContext): void {
      if (body.length === 0) {
        httpEvent('s2c', 'response', withoutStream(base));
        return;
      }
      let text: string;
      try {
        text = decodeBody(body, encoding);
      } catch (err) {
        trace.write({
          kind: 'raw',
          dir: 's2c',
          transport: 'http',
          raw: body.toString('latin1'),
          error: `content-encoding: ${(err as Error).message}`,
          http: base,
        });
        return;
      }
      if (isJsonish(base.contentType)) trace.writeJsonText(text, { dir: 's2c', transport: 'http', http: base });
      else httpEvent('s2c', 'response', withoutStream(base), text);
    }

    function recordSse(item: SseItem, base: HttpContext): void {
      switch (item.type) {
        case 'comment':
          httpEvent('s2c', 'comment', base, item.text);
          return;
        case 'incomplete':
          trace.write({
            kind: 'raw',
            dir: 's2c',
            transport: 'http',
            raw: item.text,
            error: 'SSE stream ended inside an event (no blank line after it)',
            http: base,
          });
          return;
        case 'event': {
          const http = item.id !== undefined ? { ...base, eventId: item.id } : base;
          if (item.data === undefined) {
            // A block with only id/event/retry fields: nothing is dispatched to the client.
            const fields = [
              item.id !== undefined ? `id: ${item.id}` : '',
              item.event !== undefined ? `event: ${item.event}` : '',
              item.retry !== undefined ? `retry: ${item.retry}` : '',
            ];
            httpEvent('s2c', 'comment', http, `SSE event without data (${fields.filter(Boolean).join(', ')})`);
          } else if (item.event !== undefined && item.event !== 'message') {
            trace.write({
              kind: 'raw',
              dir: 's2c',
              transport: 'http',
              raw: item.data,
              error: `SSE event type "${item.event}" (not "message"; MCP clients ignore it)`,
              http,
            });
          } else if (item.data === '') {
            trace.write({
              kind: 'raw',
              dir: 's2c',
              transport: 'http',
              raw: '',
              error: `SSE event with empty data (priming event${item.retry !== undefined ? `, retry: ${item.retry}` : ''})`,
              http,
            });
          } else {
            trace.writeJsonText(item.data, { dir: 's2c', transport: 'http', http });
          }
          return;
        }
      }
    }

    startUpstream();
  }

  function withoutStream(c: HttpContext): HttpContext {
    const { stream: _s, ...rest } = c;
    return rest;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;

  return {
    url: `http://127.0.0.1:${port}${target.pathname}${target.search}`,
    port,
    close: async () => {
      if (closing) return;
      closing = true;
      for (const r of upstreams) r.destroy();
      for (const s of sockets) s.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
