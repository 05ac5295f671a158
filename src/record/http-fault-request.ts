/**
 * Faults on what the client sends, in the HTTP proxy: the request body is complete; garbage goes
 * to the server first (a POST of its own), dropped messages are withheld (the proxy answers 202
 * for notifications and responses; a dropped request is never answered), a truncated body is cut
 * and both connections closed, a delayed one waits; cutStream and restartServer mark the exchange
 * for its response. Recorded as http-proxy.ts records everything, plus `fault` events.
 */
import type http from 'node:http';
import { sleep } from './clock.js';
import { recordFault, which } from './fault-events.js';
import { delayOf, describeMessage, hitOf, type MessageInfo, messagesOf, tryParse } from './fault-plan.js';
import { contextOf, type Exchange, firstHit, type Hit, type ProxyCore } from './http-exchange.js';
import { decodeBody, forwardHeaders, isJsonish, isSse, one, recordBody, recordSse } from './http-record.js';
import { SseParser } from './sse-parser.js';

export interface RequestIO {
  body: Buffer;
  /** Records the body as it is forwarded (message events). */
  record(body: Buffer): void;
  /** Sends the body upstream (with these headers, when the body changed). */
  forward(body: Buffer, headers?: string[]): http.ClientRequest;
  /** Starts the upstream request without ending it (a body cut short). */
  forwardOpen(): http.ClientRequest;
}

export async function applyRequestFaults(core: ProxyCore, ex: Exchange, io: RequestIO): Promise<void> {
  const { trace, plan } = core;
  const { req, res } = ex;
  let text: string | undefined;
  if (io.body.length && isJsonish(ex.reqType)) {
    try {
      text = decodeBody(io.body, one(req.headers['content-encoding']));
    } catch {
      text = undefined; // recorded as raw when forwarded
    }
  }
  const { items, batch } = messagesOf(text !== undefined ? tryParse(text) : undefined);
  const infos = items.map((m) => core.observe('c2s', m, ex.scope));
  const c = ex.ctx({ contentType: ex.reqType, sessionId: ex.reqSession, stream: 'request' });
  const hits = infos.map((info) => (info ? plan.evaluate(info, { transport: 'http', stream: 'request' }) : []));

  for (const [i, mine] of hits.entries()) {
    for (const hit of mine) if (hit.fault.kind === 'garbage') await sendGarbage(core, ex, hit as Hit<'garbage'>, infos[i]!);
  }
  const keep = items.map((_, i) => {
    const drop = hitOf(hits[i]!, 'drop');
    if (drop) recordFault(trace, drop, `dropped ${describeMessage(infos[i]!)}${which(drop)}`, { dir: 'c2s', msg: items[i], http: c });
    return !drop;
  });
  const kept = items.filter((_, i) => keep[i]);
  if (items.length && !kept.length) {
    if (infos.some((info) => info?.type === 'request')) return; // never answered: the client waits until it gives up
    // A notification or response: the server would have said 202.
    res.writeHead(202).end();
    ex.upstreamDone = true;
    core.httpEvent('s2c', 'response', ex.ctx({ status: 202, sessionId: ex.reqSession }), 'answered by the proxy: the message was dropped');
    return;
  }
  let body = io.body;
  let headers: string[] | undefined;
  if (kept.length < items.length) {
    body = Buffer.from(JSON.stringify(batch ? kept : kept[0]));
    headers = [
      ...forwardHeaders(req.rawHeaders, core.target.host, ['content-length', 'content-encoding']),
      'Content-Length',
      String(body.length),
    ];
  }
  const keptHits = hits.filter((_, i) => keep[i]);
  const keptInfos = infos.filter((_, i) => keep[i]);

  const trunc = firstHit(keptHits, keptInfos, 'truncate');
  if (trunc) {
    truncateRequest(core, ex, io, body, trunc.hit, trunc.info);
    return;
  }
  const delays = keptHits.flat().filter((h) => h.fault.kind === 'delay');
  const delayMs = delayOf(delays);
  if (delayMs > 0) {
    for (const h of delays) {
      const info = keptInfos[keptHits.findIndex((m) => m.includes(h))]!;
      recordFault(trace, h, `held ${describeMessage(info)} for ${delayOf([h])} ms${which(h)}`, { dir: 'c2s', msg: info.msg, http: c });
    }
    await sleep(delayMs);
    if (ex.clientGone || core.closing()) return;
  }
  ex.cut = firstHit(keptHits, keptInfos, 'cutStream');
  ex.restartAfter = firstHit(keptHits, keptInfos, 'restartServer');
  io.record(body);
  io.forward(body, headers);
}

/** truncate: the server gets the first bytes of the body, then the connection closes; so does the client's. */
function truncateRequest(core: ProxyCore, ex: Exchange, io: RequestIO, body: Buffer, hit: Hit<'truncate'>, info: MessageInfo): void {
  const c = ex.ctx({ contentType: ex.reqType, sessionId: ex.reqSession, stream: 'request' });
  const n = Math.min(hit.fault.bytes, body.length);
  const part = body.subarray(0, n);
  recordFault(
    core.trace,
    hit,
    `cut the request body carrying ${describeMessage(info)} to ${n} of ${body.length} bytes and closed the connection${which(hit)}`,
    { dir: 'c2s', msg: info.msg, http: c },
  );
  core.trace.write({
    kind: 'raw',
    dir: 'c2s',
    transport: 'http',
    raw: part.toString('utf8'),
    error: 'body cut short by the proxy (truncate fault)',
    http: c,
  });
  ex.abandoned = true;
  const r = io.forwardOpen();
  r.on('error', () => {});
  r.write(part, () => setTimeout(() => r.destroy(), 20));
  ex.upstreamDone = true;
  ex.res.destroy();
  core.httpEvent('s2c', 'stream-close', ex.ctx({ sessionId: ex.reqSession }), 'the proxy closed the connection (truncate fault)');
}

/** garbage: a POST of its own to the server, with the request's headers, just before it; its answer goes nowhere but the trace. */
async function sendGarbage(core: ProxyCore, ex: Exchange, hit: Hit<'garbage'>, info: MessageInfo): Promise<void> {
  const { trace, target } = core;
  const g = core.newExchange();
  const gctx = (extra: Parameters<typeof contextOf>[3]) => contextOf(g, 'POST', ex.path, extra);
  const text = hit.fault.garbage;
  const c = gctx({ contentType: ex.reqType, sessionId: ex.reqSession, stream: 'request' });
  recordFault(trace, hit, `sent a body that is not JSON to the server just before ${describeMessage(info)}${which(hit)}`, {
    dir: 'c2s',
    msg: info.msg,
    http: c,
  });
  trace.writeJsonText(text, { dir: 'c2s', transport: 'http', http: c });
  const body = Buffer.from(text);
  const headers = [
    ...forwardHeaders(ex.req.rawHeaders, target.host, ['content-length', 'content-encoding']),
    'Content-Length',
    String(body.length),
  ];
  await new Promise<void>((resolve) => {
    const r = core.upstreamRequest({
      hostname: target.hostname,
      port: target.port,
      method: 'POST',
      path: ex.path,
      headers,
      setHost: false,
    });
    const timer = setTimeout(() => r.destroy(), 2000);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    r.on('response', (up) => {
      const type = one(up.headers['content-type']);
      const base = gctx({ status: up.statusCode, contentType: type, sessionId: ex.reqSession, stream: isSse(type) ? 'post-sse' : 'json' });
      const chunks: Buffer[] = [];
      const parser = isSse(type) ? new SseParser((item) => recordSse(trace, item, base)) : undefined;
      up.on('data', (b: Buffer) => (parser ? parser.push(b) : chunks.push(b)));
      up.on('error', () => {});
      up.on('close', () => {
        if (parser) {
          parser.end();
          core.httpEvent(
            's2c',
            'stream-close',
            base,
            up.complete ? 'server ended the stream' : 'the proxy stopped waiting for the answer to its garbage',
          );
        } else recordBody(trace, 's2c', Buffer.concat(chunks), one(up.headers['content-encoding']), base);
        done();
      });
    });
    r.on('error', (err: NodeJS.ErrnoException) => {
      core.httpEvent(
        's2c',
        'proxy-error',
        gctx({ status: 502, sessionId: ex.reqSession }),
        `upstream ${target.host}: ${err.code ?? ''} ${err.message}`.trim(),
      );
      done();
    });
    r.end(body);
  });
}
