/**
 * Faults on what the server answers, in the HTTP proxy. An SSE response is forwarded event by
 * event (same bytes, as soon as each event is complete) so that one event can be dropped, held,
 * moved to the GET stream, preceded by garbage or cut short, and the stream cut after N events
 * (cutStream) or, for a GET stream, closed after a while (closeGetStream). A JSON response is
 * read whole, then forwarded, re-serialised without a dropped message, held, or cut short.
 */
import type { IncomingMessage } from 'node:http';
import type { HttpContext } from '../vocabulary/trace.js';
import { sleep } from './clock.js';
import { recordFault, which } from './fault-events.js';
import { delayOf, describeMessage, type FaultHit, hitOf, type MessageInfo, messagesOf, tryParse } from './fault-plan.js';
import { type Exchange, firstHit, type Hit, type ProxyCore, parseBlock, sseData } from './http-exchange.js';
import { forwardHeaders, isJsonish, recordBody, recordSse, withoutStream } from './http-record.js';
import { ReleaseQueue } from './release-queue.js';
import { SseBlockSplitter } from './sse-blocks.js';
import { type SseItem, SseParser } from './sse-parser.js';

export function sseByEvent(core: ProxyCore, ex: Exchange, upRes: IncomingMessage, base: HttpContext, status: number): void {
  const { trace, plan } = core;
  const { res } = ex;
  // Events may be dropped, added or cut: the body's length is no longer the server's (chunked instead).
  res.writeHead(status, upRes.statusMessage, forwardHeaders(upRes.rawHeaders, undefined, ['content-length']));
  res.flushHeaders();
  core.httpEvent('s2c', 'stream-open', base);
  const parser = new SseParser((item) => recordSse(trace, item, base));
  const splitter = new SseBlockSplitter();
  const out = new ReleaseQueue();
  let delivered = 0;
  let stopped = false; // cut or truncated by a fault
  const session = base.sessionId;

  const stopUpstream = () => {
    stopped = true;
    ex.abandoned = true;
    ex.upstreamDone = true;
    ex.upReq?.destroy();
  };
  const cutNow = () => {
    const cut = ex.cut;
    if (stopped || !cut) return;
    recordFault(
      trace,
      cut.hit,
      `closed the SSE stream answering ${describeMessage(cut.info)} after ${delivered} event(s)${which(cut.hit)}`,
      {
        dir: 's2c',
        msg: cut.info.msg,
        http: base,
      },
    );
    stopUpstream();
    res.end();
    core.httpEvent('s2c', 'stream-close', base, 'closed by the proxy (cutStream fault)');
  };
  const forward = (block: string, isEvent: boolean) => {
    if (stopped) return;
    if (!res.destroyed) res.write(block);
    parser.push(block);
    if (isEvent) delivered++;
    if (ex.cut && delivered >= ex.cut.hit.fault.afterEvents) cutNow();
  };
  if (ex.cut && ex.cut.hit.fault.afterEvents === 0) cutNow();

  if (ex.method === 'GET' && session !== undefined) {
    const unregister = core.registerGet(session, (block) => out.push(0, () => forward(block, true)));
    res.on('close', unregister);
    for (const hit of plan.ofKind('closeGetStream')) {
      if (!core.firstGetOf(hit.index, session)) continue;
      const ms = hit.fault.closeGetStream;
      setTimeout(() => {
        if (stopped || ex.clientGone || core.closing() || res.writableEnded) return;
        recordFault(trace, hit, `closed the GET stream ${ms} ms after it opened${which(hit)}`, { dir: 's2c', http: base });
        stopUpstream();
        res.end();
        core.httpEvent('s2c', 'stream-close', base, 'closed by the proxy (closeGetStream fault)');
      }, ms);
    }
  }

  const onBlock = (block: string, final: boolean) => {
    const items = parseBlock(block, final);
    const isEvent = items.some((i) => i.type === 'event');
    const ev = items.find((i): i is Extract<SseItem, { type: 'event' }> => i.type === 'event' && !!i.data);
    const msgs = ev && (ev.event === undefined || ev.event === 'message') ? messagesOf(tryParse(ev.data!)).items : [];
    const infos = msgs.map((m) => core.observe('s2c', m, ex.scope)).filter((i): i is MessageInfo => i !== undefined);
    if (!infos.length) {
      out.push(0, () => forward(block, isEvent));
      return;
    }
    const hits = infos.map((info) => plan.evaluate(info, { transport: 'http', stream: base.stream }));
    const infoOf = (h: FaultHit) => infos[hits.findIndex((m) => m.includes(h))]!;
    // A batch in one SSE event is dropped or moved only as a whole.
    const drops = infos.map((info, i) => ({ hit: hitOf(hits[i]!, 'drop'), info }));
    if (drops.every((d) => d.hit)) {
      for (const d of drops)
        recordFault(trace, d.hit!, `dropped ${describeMessage(d.info)}${which(d.hit!)}`, { dir: 's2c', msg: d.info.msg, http: base });
      return;
    }
    const move = firstHit(hits, infos, 'moveToGetStream');
    if (move && ex.method !== 'GET') {
      recordFault(trace, move.hit, `moved ${describeMessage(move.info)} from this POST's SSE stream to the GET stream${which(move.hit)}`, {
        dir: 's2c',
        msg: move.info.msg,
        http: base,
      });
      core.moveToGet(session, block);
      return;
    }
    const delays = hits.flat().filter((h) => h.fault.kind === 'delay');
    const delayMs = delayOf(delays);
    for (const h of delays)
      recordFault(trace, h, `held ${describeMessage(infoOf(h))} for ${delayOf([h])} ms${which(h)}`, {
        dir: 's2c',
        msg: infoOf(h).msg,
        http: base,
      });
    for (const h of hits.flat()) {
      if (h.fault.kind !== 'garbage') continue;
      const g = h as Hit<'garbage'>;
      out.push(delayMs, () => {
        if (stopped) return;
        recordFault(trace, g, `sent an SSE event whose data is not JSON just before ${describeMessage(infoOf(g))}${which(g)}`, {
          dir: 's2c',
          msg: infoOf(g).msg,
          http: base,
        });
        forward(sseData(g.fault.garbage), true);
      });
    }
    const trunc = firstHit(hits, infos, 'truncate');
    if (trunc) {
      out.push(delayMs, () => {
        if (stopped) return;
        const bytes = Buffer.from(block);
        const n = Math.min(trunc.hit.fault.bytes, bytes.length);
        recordFault(
          trace,
          trunc.hit,
          `cut the SSE event carrying ${describeMessage(trunc.info)} to ${n} of ${bytes.length} bytes and closed the connection${which(trunc.hit)}`,
          { dir: 's2c', msg: trunc.info.msg, http: base },
        );
        const part = bytes.subarray(0, n);
        trace.write({
          kind: 'raw',
          dir: 's2c',
          transport: 'http',
          raw: part.toString('utf8'),
          error: 'SSE event cut short by the proxy (truncate fault)',
          http: base,
        });
        stopUpstream();
        if (!res.destroyed) res.write(part, () => res.destroy());
        core.httpEvent('s2c', 'stream-close', base, 'the proxy closed the connection (truncate fault)');
      });
      return;
    }
    const again = firstHit(hits, infos, 'restartServer');
    out.push(delayMs, () => {
      forward(block, isEvent);
      if (again) core.restart(again.hit, again.info);
    });
  };

  upRes.on('data', (chunk: Buffer) => {
    for (const block of splitter.push(chunk)) onBlock(block, false);
  });
  upRes.on('end', () => {
    ex.upstreamDone = true;
    const rest = splitter.flush();
    if (rest !== undefined) onBlock(rest, true);
    out.push(0, () => {
      if (stopped) return;
      res.end();
      parser.end();
      core.httpEvent('s2c', 'stream-close', base, 'server ended the stream');
    });
  });
  upRes.on('error', () => {});
  upRes.on('close', () => {
    if (upRes.complete || ex.clientGone || core.closing() || stopped) return;
    ex.upstreamDone = true;
    out.flush();
    res.destroy();
    parser.end();
    core.httpEvent('s2c', 'stream-close', base, 'server connection closed before the response ended');
  });
}

export function jsonWhole(core: ProxyCore, ex: Exchange, upRes: IncomingMessage, base: HttpContext, status: number): void {
  const { trace, plan } = core;
  const { res } = ex;
  const chunks: Buffer[] = [];
  const plain = withoutStream(base);
  upRes.on('data', (chunk: Buffer) => chunks.push(chunk));
  upRes.on('error', () => {});
  upRes.on('close', () => {
    if (upRes.complete || ex.clientGone || core.closing()) return;
    ex.upstreamDone = true;
    res.destroy();
    recordBody(trace, 's2c', Buffer.concat(chunks), undefined, base);
    core.httpEvent('s2c', 'stream-close', plain, 'server connection closed before the response ended');
  });
  upRes.on('end', () => {
    ex.upstreamDone = true;
    void deliver(Buffer.concat(chunks));
  });

  const send = (body: Buffer, rewritten: boolean) => {
    const h = forwardHeaders(upRes.rawHeaders, undefined, rewritten ? ['content-length'] : []);
    if (rewritten) h.push('Content-Length', String(body.length));
    res.writeHead(status, upRes.statusMessage, h);
    res.end(body);
    recordBody(trace, 's2c', body, undefined, base);
  };
  const cutJson = () => {
    const cut = ex.cut!;
    recordFault(trace, cut.hit, `closed the connection answering ${describeMessage(cut.info)} before its JSON body${which(cut.hit)}`, {
      dir: 's2c',
      msg: cut.info.msg,
      http: plain,
    });
    res.destroy();
    core.httpEvent('s2c', 'stream-close', plain, 'closed by the proxy (cutStream fault)');
  };

  async function deliver(body: Buffer): Promise<void> {
    const parsed = body.length && isJsonish(base.contentType) ? tryParse(body.toString('utf8')) : undefined;
    const { items, batch } = messagesOf(parsed);
    const infos = items.map((m) => core.observe('s2c', m, ex.scope));
    const cutFirst = ex.cut && ex.cut.hit.fault.afterEvents === 0;
    if (!infos.some(Boolean)) return cutFirst ? cutJson() : send(body, false);
    const hits = infos.map((info) => (info ? plan.evaluate(info, { transport: 'http', stream: 'json' }) : []));
    const keep = items.map((_, i) => {
      const drop = hitOf(hits[i]!, 'drop');
      if (drop) recordFault(trace, drop, `dropped ${describeMessage(infos[i]!)}${which(drop)}`, { dir: 's2c', msg: items[i], http: plain });
      return !drop;
    });
    const kept = items.filter((_, i) => keep[i]);
    if (!kept.length) return; // nothing to deliver: the client waits until it gives up
    const flat = hits.filter((_, i) => keep[i]).flat();
    const infoOf = (h: FaultHit) => infos[hits.findIndex((m) => m.includes(h))]!;
    for (const h of flat) {
      if (h.fault.kind === 'garbage' || h.fault.kind === 'moveToGetStream')
        recordFault(trace, h, `not applied to ${describeMessage(infoOf(h))}: a JSON response has room for one body only${which(h)}`, {
          dir: 's2c',
          msg: infoOf(h).msg,
          http: plain,
        });
    }
    const delays = flat.filter((h) => h.fault.kind === 'delay');
    const delayMs = delayOf(delays);
    for (const h of delays)
      recordFault(trace, h, `held ${describeMessage(infoOf(h))} for ${delayOf([h])} ms${which(h)}`, {
        dir: 's2c',
        msg: infoOf(h).msg,
        http: plain,
      });
    if (delayMs > 0) {
      await sleep(delayMs);
      if (ex.clientGone || core.closing()) return;
    }
    const out = kept.length < items.length ? Buffer.from(JSON.stringify(batch ? kept : kept[0])) : body;
    const trunc = flat.find((h) => h.fault.kind === 'truncate') as Hit<'truncate'> | undefined;
    if (trunc) {
      const n = Math.min(trunc.fault.bytes, out.length);
      recordFault(
        trace,
        trunc,
        `cut the response body carrying ${describeMessage(infoOf(trunc))} to ${n} of ${out.length} bytes and closed the connection${which(trunc)}`,
        { dir: 's2c', msg: infoOf(trunc).msg, http: plain },
      );
      const part = out.subarray(0, n);
      trace.write({
        kind: 'raw',
        dir: 's2c',
        transport: 'http',
        raw: part.toString('utf8'),
        error: 'body cut short by the proxy (truncate fault)',
        http: base,
      });
      res.writeHead(status, upRes.statusMessage, forwardHeaders(upRes.rawHeaders));
      res.write(part, () => res.destroy());
      core.httpEvent('s2c', 'stream-close', plain, 'the proxy closed the connection (truncate fault)');
      return;
    }
    if (cutFirst) return cutJson();
    send(out, out !== body);
    const again = flat.find((h) => h.fault.kind === 'restartServer') as Hit<'restartServer'> | undefined;
    if (again) core.restart(again, infoOf(again));
  }
}
