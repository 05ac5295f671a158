/**
 * The HTTP proxy's recording helpers: header filtering, body decoding, and the trace events for
 * a complete body or one SSE item. No I/O besides the trace.
 */
import zlib from 'node:zlib';
import type { Direction, HttpContext, HttpEvent } from '../vocabulary/trace.js';
import type { SseItem } from './sse-parser.js';
import type { TraceWriter } from './trace-writer.js';

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

/** Filters a rawHeaders list (name, value, name, value...), keeping case and order; `also` drops more. */
export function forwardHeaders(raw: string[], host?: string, also: string[] = []): string[] {
  const drop = new Set([...HOP_BY_HOP, ...also]);
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

export function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function isSse(contentType: string | undefined): boolean {
  return contentType !== undefined && /^\s*text\/event-stream\b/i.test(contentType);
}

/** A body to parse as JSON: declared JSON (any `+json` too), or undeclared. */
export function isJsonish(contentType: string | undefined): boolean {
  return contentType === undefined || /\bjson\b/i.test(contentType);
}

/** Streaming decoder for a Content-Encoding, for the recorder's copy only. */
export function decompressor(encoding: string | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
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

export function hasEncoding(encoding: string | undefined): boolean {
  const e = encoding?.trim().toLowerCase();
  return e !== undefined && e !== '' && e !== 'identity';
}

export function decodeBody(body: Buffer, encoding: string | undefined): string {
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

export function withoutStream(c: HttpContext): HttpContext {
  const { stream: _s, ...rest } = c;
  return rest;
}

export function httpEvent(trace: TraceWriter, dir: Direction, event: HttpEvent['event'], http: HttpContext, detail?: string) {
  return trace.write({ kind: 'http', dir, event, http, ...(detail !== undefined ? { detail } : {}) });
}

/** A complete non-SSE body: its JSON-RPC messages, a raw event, or an http `response` event. */
export function recordBody(trace: TraceWriter, dir: Direction, body: Buffer, encoding: string | undefined, base: HttpContext): void {
  if (body.length === 0) {
    httpEvent(trace, dir, dir === 'c2s' ? 'request' : 'response', withoutStream(base));
    return;
  }
  let text: string;
  try {
    text = decodeBody(body, encoding);
  } catch (err) {
    trace.write({
      kind: 'raw',
      dir,
      transport: 'http',
      raw: body.toString('latin1'),
      error: `content-encoding: ${(err as Error).message}`,
      http: base,
    });
    return;
  }
  if (isJsonish(base.contentType)) trace.writeJsonText(text, { dir, transport: 'http', http: base });
  else httpEvent(trace, dir, dir === 'c2s' ? 'request' : 'response', withoutStream(base), text);
}

/** One item of an SSE stream (see README.md: comments, priming events, other event types, messages). */
export function recordSse(trace: TraceWriter, item: SseItem, base: HttpContext): void {
  switch (item.type) {
    case 'comment':
      httpEvent(trace, 's2c', 'comment', base, item.text);
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
        httpEvent(trace, 's2c', 'comment', http, `SSE event without data (${fields.filter(Boolean).join(', ')})`);
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
