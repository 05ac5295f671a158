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
 * - `raw` events for bodies or SSE data that do not parse as JSON;
 * - `fault` events for the scenario's faults when they are applied (http-fault-request.ts,
 *   http-fault-response.ts: with faults, bodies are read whole and SSE goes event by event).
 * Each carries `http` context: exchange number, method, path, status, content type, session id,
 * stream and SSE event id. With `settle`, the client's hang-up reaches the server only once the
 * conversation has settled (settle.ts).
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import http from 'node:http';
import type { Socket } from 'node:net';
import type { Fault } from '../vocabulary/scenario.js';
import type { Direction, HttpContext, HttpEvent, HttpStream } from '../vocabulary/trace.js';
import { recordFault, which } from './fault-events.js';
import { describeMessage, FaultPlan, type MessageInfo, MessageTracker, messagesOf, tryParse } from './fault-plan.js';
import { contextOf, type Exchange, type Hit, type ProxyCore } from './http-exchange.js';
import { applyRequestFaults } from './http-fault-request.js';
import { jsonWhole, sseByEvent } from './http-fault-response.js';
import {
  decodeBody,
  decompressor,
  forwardHeaders,
  hasEncoding,
  isJsonish,
  isSse,
  one,
  recordBody,
  recordSse,
  withoutStream,
  httpEvent as writeHttpEvent,
} from './http-record.js';
import { type SettleResult, Settler } from './settle.js';
import { type SseItem, SseParser } from './sse-parser.js';
import type { TraceWriter } from './trace-writer.js';

export interface HttpProxyOptions {
  /** The server's MCP endpoint, e.g. http://127.0.0.1:5001/mcp (http only). */
  target: string;
  /** Port to listen on (127.0.0.1 only); 0 picks a free one. */
  port: number;
  trace: TraceWriter;
  /** The scenario's faults; none (the default) makes a plain recording proxy. */
  faults?: readonly Fault[];
  /**
   * For `restartServer`: stop the server and start a fresh one at the same URL; resolves once it
   * is ready (requests arriving meanwhile wait). Without it the fault is recorded as not applied.
   */
  restartServer?: (reason: string) => Promise<void>;
  /**
   * Teardown settle (settle.ts): hold a DELETE, and keep the server side of a GET stream the
   * client closed, until the conversation has settled; `settle()` waits for the same. Off by default.
   */
  settle?: { quietMs: number; maxMs: number };
}

export interface HttpProxy {
  /** The proxy's MCP endpoint: the target's path and query on the proxy's port. */
  url: string;
  port: number;
  /** Resolves once the conversation has settled (at once when settle is off). */
  settle(): Promise<SettleResult>;
  /** Stops listening, destroys open connections (GET streams included) and upstream requests. */
  close(): Promise<void>;
}

/** Connection failures on a kept-alive socket the server had just closed: safe to retry once. */
const STALE_SOCKET_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

export async function startHttpProxy(opts: HttpProxyOptions): Promise<HttpProxy> {
  const target = new URL(opts.target);
  if (target.protocol !== 'http:') throw new Error(`http proxy: only http: targets are supported, got ${opts.target}`);
  const trace = opts.trace;
  const newAgent = () => new http.Agent({ keepAlive: true });
  let agent = newAgent();
  const sockets = new Set<Socket>();
  const upstreams = new Set<http.ClientRequest>();
  let nextExchange = 0;
  let closing = false;

  const plan = new FaultPlan(opts.faults ?? []);
  const faulty = !plan.empty;
  const tracker = new MessageTracker();
  const settler = opts.settle ? new Settler(opts.settle) : undefined;
  /** A server restart in progress: requests wait for it. */
  let restarting: Promise<void> | undefined;
  /** Live GET streams (event by event) by session, for moveToGetStream. */
  const getStreams = new Map<string, (block: string) => void>();
  /** Moved messages waiting for their session's GET stream to open. */
  const pendingMoves = new Map<string, string[]>();
  /** Upstream GET streams the client closed, kept open until the conversation settles (settle.ts). */
  const lingering = new Map<string, Set<() => void>>();
  /** closeGetStream acts on the first GET stream of each session. */
  const getStreamsClosed = new Set<string>();

  const httpEvent = (dir: Direction, event: HttpEvent['event'], c: HttpContext, detail?: string) => {
    writeHttpEvent(trace, dir, event, c, detail);
  };

  const core: ProxyCore = {
    trace,
    plan,
    ...(settler ? { settler } : {}),
    target,
    closing: () => closing,
    httpEvent,
    observe(dir, msg, scope) {
      const info = tracker.info(dir, msg, scope);
      if (info) settler?.observe(info);
      return info;
    },
    restart,
    moveToGet(session, block) {
      const key = session ?? '';
      const live = getStreams.get(key);
      if (live) live(block);
      else pendingMoves.set(key, [...(pendingMoves.get(key) ?? []), block]);
    },
    registerGet(session, inject) {
      getStreams.set(session, inject);
      for (const block of pendingMoves.get(session) ?? []) inject(block);
      pendingMoves.delete(session);
      return () => {
        if (getStreams.get(session) === inject) getStreams.delete(session);
      };
    },
    firstGetOf(index, session) {
      const key = `${index}|${session}`;
      if (getStreamsClosed.has(key)) return false;
      getStreamsClosed.add(key);
      return true;
    },
    upstreamRequest(options) {
      const r = http.request({ ...options, agent });
      upstreams.add(r);
      r.on('close', () => upstreams.delete(r));
      return r;
    },
    newExchange: () => nextExchange++,
  };

  const server = http.createServer({ noDelay: true }, (req, res) => handle(req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  function restart(hit: Hit<'restartServer'>, info: MessageInfo): void {
    const detail = `${describeMessage(info)}${which(hit)}`;
    if (!opts.restartServer) {
      recordFault(trace, hit, `not applied: no server process to restart after ${detail}`, { dir: info.dir, msg: info.msg });
      return;
    }
    const run = async () => {
      recordFault(trace, hit, `restarting the server after ${detail}`, { dir: info.dir, msg: info.msg });
      // Kept-alive sockets lead to the old process.
      const old = agent;
      agent = newAgent();
      old.destroy();
      try {
        await opts.restartServer!(detail);
        recordFault(trace, hit, 'the fresh server is ready: requests go to it from now on', { dir: info.dir });
      } catch (err) {
        recordFault(trace, hit, `the fresh server did not start: ${(err as Error).message}`, { dir: info.dir });
      }
    };
    const next = (restarting ?? Promise.resolve()).then(run, run);
    restarting = next;
    void next.finally(() => {
      if (restarting === next) restarting = undefined;
    });
  }

  /** A new GET of the session: the one left open after the client closed it must go first (one GET stream per session). */
  function killLingering(scope: string): void {
    for (const kill of [...(lingering.get(scope) ?? [])]) kill();
  }

  /** Keeps the server side of a GET stream the client closed open until the settle ends (or 1.2 s, or a new GET). */
  function linger(scope: string, r: http.ClientRequest): void {
    const set = lingering.get(scope) ?? new Set<() => void>();
    lingering.set(scope, set);
    const kill = () => {
      set.delete(kill);
      clearTimeout(timer);
      r.destroy();
    };
    const timer = setTimeout(kill, opts.settle!.maxMs + opts.settle!.quietMs);
    set.add(kill);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const id = nextExchange++;
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const reqSession = one(req.headers['mcp-session-id']);
    const ex: Exchange = {
      id,
      method,
      path,
      reqSession,
      reqType: one(req.headers['content-type']),
      scope: reqSession ?? '',
      req,
      res,
      ctx: (extra) => contextOf(id, method, path, extra),
      upstreamDone: false,
      clientGone: false,
      abandoned: false,
    };
    const { ctx, reqType, scope } = ex;
    let headers = forwardHeaders(req.rawHeaders, target.host);
    settler?.touch();

    // ---- client -> server ----
    // With faults (or a DELETE to hold until the conversation settled) the body is read whole and
    // forwarded after the faults have had their say; otherwise it is streamed as it arrives.
    const buffered = faulty || (method === 'DELETE' && settler !== undefined);
    const bodyChunks: Buffer[] = [];
    let sendChunks: Buffer[] = bodyChunks;
    let bodyDone = false;
    let responded = false; // response headers received from upstream
    let retried = false;
    /** HTTP context of the response, once its headers arrived. */
    let resCtx: HttpContext | undefined;

    const recordRequest = (body: Buffer, observed = false) => {
      if (settler && !observed && body.length && isJsonish(reqType) && !hasEncoding(one(req.headers['content-encoding']))) {
        for (const m of messagesOf(tryParse(body.toString('utf8'))).items) core.observe('c2s', m, scope);
      }
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
      ex.upReq = r;
      upstreams.add(r);
      r.on('socket', (s) => s.setNoDelay(true));
      r.on('close', () => upstreams.delete(r));
      r.on('response', (upRes) => onResponse(upRes));
      r.on('error', (err: NodeJS.ErrnoException) => {
        if (r === ex.upReq) onUpstreamError(err); // not the request a retry replaced
      });
      for (const chunk of sendChunks) r.write(chunk);
      if (bodyDone) r.end();
      return r;
    };

    req.on('data', (chunk: Buffer) => {
      bodyChunks.push(chunk);
      const up = ex.upReq;
      if (buffered || !up || up.destroyed) return;
      if (!up.write(chunk)) {
        req.pause();
        up.once('drain', () => req.resume());
      }
    });
    req.on('end', () => {
      bodyDone = true;
      if (buffered) {
        void dispatch();
        return;
      }
      recordRequest(Buffer.concat(bodyChunks)); // before the upstream can answer, so the trace keeps causal order
      if (ex.upReq && !ex.upReq.destroyed) ex.upReq.end();
    });
    req.on('error', () => {}); // a client reset shows up as res 'close' below

    res.on('close', () => {
      if (ex.restartAfter) restart(ex.restartAfter.hit, ex.restartAfter.info);
      ex.restartAfter = undefined;
      if (ex.upstreamDone || res.writableFinished) return;
      // The client went away before the response was complete.
      ex.clientGone = true;
      settler?.touch();
      if (!closing) {
        httpEvent(
          's2c',
          'stream-close',
          resCtx ?? ctx({ sessionId: reqSession }),
          'client closed the connection before the response ended',
        );
      }
      // Likely the client hanging up at the end: the server may still be sending on its GET
      // stream. Keep the server side open until the conversation settles.
      if (settler && method === 'GET' && responded && ex.upReq && !closing) linger(scope, ex.upReq);
      else ex.upReq?.destroy(); // abort upstream too
    });

    /** Buffered mode: the whole body is here. */
    async function dispatch(): Promise<void> {
      if (restarting) await restarting;
      if (method === 'DELETE' && settler) await settler.settled(); // the session's last words first
      if (method === 'GET') killLingering(scope);
      if (ex.clientGone || closing) return;
      const body = Buffer.concat(bodyChunks);
      if (!faulty) {
        recordRequest(body);
        startUpstream();
        return;
      }
      await applyRequestFaults(core, ex, {
        body,
        record: (b) => recordRequest(b, true),
        forward: (b, h) => {
          sendChunks = [b];
          if (h) headers = h;
          return startUpstream();
        },
        forwardOpen: () => {
          sendChunks = [];
          bodyDone = false;
          return startUpstream();
        },
      });
    }

    // ---- server -> client ----

    function onUpstreamError(err: NodeJS.ErrnoException): void {
      if (ex.clientGone || closing || ex.abandoned) return;
      if (!responded && !retried && ex.upReq?.reusedSocket && STALE_SOCKET_ERRORS.has(err.code ?? '')) {
        retried = true;
        if (req.isPaused()) req.resume(); // it may have been waiting for the dead request's 'drain'
        startUpstream();
        return;
      }
      ex.upstreamDone = true;
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

      if (ex.clientGone || res.destroyed) {
        upRes.destroy();
        return;
      }
      // With faults, a body the proxy can read is handled message by message; a compressed one
      // passes unchanged (faults do not apply to it).
      if (faulty && !hasEncoding(encoding)) {
        if (sse) sseByEvent(core, ex, upRes, base, status);
        else jsonWhole(core, ex, upRes, base, status);
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
        const parser = new SseParser((item) => recordSseItem(item, base));
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
            recordJsonBody(Buffer.concat(chunks), encoding, base);
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
        ex.upstreamDone = true;
        res.end();
        side.end('server ended the stream');
      });
      upRes.on('error', () => {}); // reported by 'close' below
      upRes.on('close', () => {
        if (upRes.complete || ex.clientGone || closing) return;
        ex.upstreamDone = true;
        res.destroy(); // the client sees the same broken response, not a clean end
        side.end('server connection closed before the response ended');
      });
    }

    /** Records the messages of a JSON body, and tells the settler about them. */
    function recordJsonBody(body: Buffer, encoding: string | undefined, base: HttpContext): void {
      if (settler && body.length && isJsonish(base.contentType) && !hasEncoding(encoding)) {
        for (const m of messagesOf(tryParse(body.toString('utf8'))).items) core.observe('s2c', m, scope);
      }
      recordBody(trace, 's2c', body, encoding, base);
    }

    function recordSseItem(item: SseItem, base: HttpContext): void {
      if (settler && item.type === 'event' && item.data)
        for (const m of messagesOf(tryParse(item.data)).items) core.observe('s2c', m, scope);
      recordSse(trace, item, base);
    }

    if (!buffered) {
      if (method === 'GET') killLingering(scope);
      startUpstream();
    }
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
    settle: async () => (settler ? settler.settled() : { waitedMs: 0, open: [], unanswered: 0 }),
    close: async () => {
      if (closing) return;
      closing = true;
      for (const set of lingering.values()) for (const kill of [...set]) kill();
      for (const r of upstreams) r.destroy();
      for (const s of sockets) s.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
