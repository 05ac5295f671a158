/**
 * The Streamable HTTP recording proxy: against a scriptable fake upstream (node:http, no SDK),
 * then end to end between a TS SDK client and a TS SDK server.
 */

import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTaskMessageQueue, InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { TaskRequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  CreateTaskResultSchema,
  ElicitRequestSchema,
  ElicitResultSchema,
  isInitializeRequest,
  ListToolsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import getPort from 'get-port';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HttpProxy, startHttpProxy } from '../../src/record/http-proxy.js';
import type { HttpEvent, MessageEvent, TraceEvent } from '../../src/vocabulary/trace.js';
import { type FakeUpstream, fakeUpstream, request, signal, sleep, tempTrace, until } from './proxy-fixtures.js';

// ---------------------------------------------------------------------------------------------
// Fake-upstream tests
// ---------------------------------------------------------------------------------------------

const J = (o: unknown) => JSON.stringify(o);
const init = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
};
const POST_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

let up: FakeUpstream;
let proxy: HttpProxy;
let trace: ReturnType<typeof tempTrace>;

const byKind = <K extends TraceEvent['kind']>(k: K) => trace.read().filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === k);
const sseHead = (res: ServerResponse, extra: Record<string, string> = {}) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...extra });
  res.flushHeaders();
};

describe('http proxy against a fake upstream', () => {
  beforeEach(async () => {
    up = await fakeUpstream();
    trace = tempTrace();
    proxy = await startHttpProxy({ target: up.url, port: 0, trace: trace.writer });
  });
  afterEach(async () => {
    await proxy.close();
    await up.close();
    trace.writer.close();
  });

  it('binds 127.0.0.1 and keeps the target path', () => {
    expect(proxy.url).toBe(`http://127.0.0.1:${proxy.port}/mcp`);
  });

  it('forwards a JSON exchange byte for byte and records both messages', async () => {
    const answer = J({
      jsonrpc: '2.0',
      id: 0,
      result: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 's', version: '1' } },
    });
    up.handler = (_req, res) => {
      res.writeHead(200, 'Fine', { 'Content-Type': 'application/json', 'Mcp-Session-Id': 'sess-1', 'X-Server': 'yes' });
      res.end(answer);
    };
    const body = J(init);
    const r = await request(proxy.url, {
      headers: {
        ...POST_HEADERS,
        'X-Custom': 'c1',
        'MCP-Protocol-Version': '2025-11-25',
        Connection: 'keep-alive, X-Drop',
        'X-Drop': 'hop',
      },
      body,
    }).done;
    expect(r.status).toBe(200);
    expect(r.text).toBe(answer);
    expect(r.headers['mcp-session-id']).toBe('sess-1');
    expect(r.headers['x-server']).toBe('yes');
    expect(r.headers['content-type']).toBe('application/json');

    const seen = up.seen[0]!;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/mcp');
    expect(seen.body.toString()).toBe(body);
    expect(seen.headers['x-custom']).toBe('c1');
    expect(seen.headers['mcp-protocol-version']).toBe('2025-11-25');
    expect(seen.headers.accept).toBe('application/json, text/event-stream');
    expect(seen.headers.host).toBe(`127.0.0.1:${up.port}`); // rewritten to the target
    expect(seen.headers['x-drop']).toBeUndefined(); // named in Connection: hop-by-hop
    expect(seen.rawHeaders).toContain('X-Custom'); // header case kept

    const ev = trace.read();
    expect(ev.map((e) => [e.kind, 'dir' in e ? e.dir : undefined])).toEqual([
      ['message', 'c2s'],
      ['message', 's2c'],
    ]);
    const [c2s, s2c] = ev as MessageEvent[];
    expect(c2s!.msg).toEqual(init);
    expect(c2s!.transport).toBe('http');
    expect(c2s!.http).toEqual({ exchange: 0, method: 'POST', path: '/mcp', contentType: 'application/json', stream: 'request' });
    expect(s2c!.msg).toEqual(JSON.parse(answer));
    // The session id of an initialize comes from the response header.
    expect(s2c!.http).toEqual({
      exchange: 0,
      method: 'POST',
      path: '/mcp',
      status: 200,
      contentType: 'application/json',
      sessionId: 'sess-1',
      stream: 'json',
    });
    expect(s2c!.t).toBeGreaterThanOrEqual(c2s!.t);

    // Second exchange: the session id travels in the request header.
    up.handler = (_req, res) => {
      res.writeHead(202);
      res.end();
    };
    await request(proxy.url, {
      headers: { ...POST_HEADERS, 'Mcp-Session-Id': 'sess-1' },
      body: J({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    }).done;
    expect(up.seen[1]!.headers['mcp-session-id']).toBe('sess-1');
    const last = trace.read().slice(2);
    expect(last[0]).toMatchObject({ kind: 'message', dir: 'c2s', http: { exchange: 1, sessionId: 'sess-1', stream: 'request' } });
  });

  it('records a 202 as an http response event', async () => {
    up.handler = (_req, res) => {
      res.writeHead(202);
      res.end();
    };
    const note = { jsonrpc: '2.0', method: 'notifications/initialized' };
    const r = await request(proxy.url, { headers: { ...POST_HEADERS, 'mcp-session-id': 's' }, body: J(note) }).done;
    expect(r.status).toBe(202);
    expect(r.body.length).toBe(0);
    const ev = trace.read();
    expect(ev).toHaveLength(2);
    expect(ev[0]).toMatchObject({ kind: 'message', dir: 'c2s', msg: note });
    expect(ev[1]).toEqual({
      seq: 1,
      t: ev[1]!.t,
      kind: 'http',
      dir: 's2c',
      event: 'response',
      http: { exchange: 0, method: 'POST', path: '/mcp', status: 202, sessionId: 's' },
    });
  });

  it('streams SSE without buffering: the client has event 1 before the server sends event 2', async () => {
    const order: string[] = [];
    const gotFirst = signal();
    const e1 = { jsonrpc: '2.0', id: 0, method: 'elicitation/create', params: { message: 'name?' } };
    const e2 = { jsonrpc: '2.0', id: 5, result: { content: [] } };
    up.handler = async (_req, res) => {
      sseHead(res);
      res.write(`event: message\ndata: ${J(e1)}\n\n`);
      order.push('server sent 1');
      const arrived = await gotFirst.promise; // false after 2 s if the proxy held event 1 back
      order.push(arrived ? 'server saw client got 1' : 'server timed out waiting');
      res.write(`event: message\ndata: ${J(e2)}\n\n`);
      order.push('server sent 2');
      res.end();
    };
    let received = '';
    const r = await request(proxy.url, {
      headers: POST_HEADERS,
      body: J({ jsonrpc: '2.0', id: 5, method: 'tasks/result', params: { taskId: 'x' } }),
      onChunk: (c) => {
        received += c.toString();
        if (received.includes('elicitation/create') && !order.includes('client got 1')) {
          order.push('client got 1');
          gotFirst.resolve();
        }
      },
    }).done;
    expect(order).toEqual(['server sent 1', 'client got 1', 'server saw client got 1', 'server sent 2']);
    expect(r.text).toBe(`event: message\ndata: ${J(e1)}\n\nevent: message\ndata: ${J(e2)}\n\n`);
    const ev = trace.read();
    expect(ev.map((e) => (e.kind === 'http' ? e.event : e.kind))).toEqual(['message', 'stream-open', 'message', 'message', 'stream-close']);
    const http = { exchange: 0, method: 'POST', path: '/mcp', status: 200, contentType: 'text/event-stream', stream: 'post-sse' };
    expect(ev[1]).toMatchObject({ dir: 's2c', http });
    expect(ev[2]).toMatchObject({ dir: 's2c', msg: e1, http });
    expect(ev[3]).toMatchObject({ dir: 's2c', msg: e2, http });
    expect((ev[2] as MessageEvent).http!.eventId).toBeUndefined();
  });

  it('parses SSE split across chunk boundaries, CRLF, CR, multi-line data and split UTF-8', async () => {
    const m1 = { jsonrpc: '2.0', method: 'notifications/message', params: { data: 'héllo ✓ 😀' } };
    const m2 = { jsonrpc: '2.0', id: 1, result: {} };
    const m3 = { jsonrpc: '2.0', id: 2, result: { ok: true } };
    // m1 as two data lines (joined with \n, still valid JSON), CRLF endings; m2 with CR endings; m3 LF.
    const text =
      `event: message\r\ndata: {"jsonrpc":"2.0","method":"notifications/message",\r\ndata: "params":{"data":"héllo ✓ 😀"}}\r\n\r\n` +
      `data: ${J(m2)}\r\r` +
      `data:${J(m3)}\n\n`;
    const bytes = Buffer.from(text, 'utf8');
    // Cut points: inside "event:", between every \r and \n, inside multibyte characters, inside JSON.
    const cuts = new Set<number>([3, 17, 40]);
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0d || bytes[i]! >= 0x80) cuts.add(i + 1);
    const pieces: Buffer[] = [];
    let prev = 0;
    for (const c of [...cuts].sort((a, b) => a - b)) {
      if (c > prev && c < bytes.length) {
        pieces.push(bytes.subarray(prev, c));
        prev = c;
      }
    }
    pieces.push(bytes.subarray(prev));
    expect(pieces.length).toBeGreaterThan(15);
    up.handler = async (_req, res) => {
      sseHead(res);
      for (const p of pieces) {
        res.write(p);
        await sleep(1); // separate TCP writes, so the proxy sees separate chunks
      }
      res.end();
    };
    const r = await request(proxy.url, { headers: POST_HEADERS, body: J({ jsonrpc: '2.0', id: 1, method: 'ping' }) }).done;
    expect(r.body.equals(bytes)).toBe(true);
    const msgs = byKind('message').filter((e) => e.dir === 's2c');
    expect(msgs.map((e) => e.msg)).toEqual([m1, m2, m3]);
    expect(byKind('raw')).toEqual([]);
  });

  it('records SSE event ids, priming events and comments', async () => {
    const m = { jsonrpc: '2.0', id: 3, result: {} };
    up.handler = (_req, res) => {
      sseHead(res);
      res.write(`id: ev-0\nretry: 1000\ndata:\n\n`); // priming event (2025-11-25)
      res.write(`: keep-alive\n\n`);
      res.write(`id: ev-1\nevent: message\ndata: ${J(m)}\n\n`);
      res.write(`data: ${J({ jsonrpc: '2.0', method: 'notifications/x' })}\n\n`); // no id of its own
      res.end();
    };
    await request(proxy.url, { headers: POST_HEADERS, body: J({ jsonrpc: '2.0', id: 3, method: 'ping' }) }).done;
    const ev = trace.read().slice(2, -1); // after the request message and stream-open, before stream-close
    expect(ev).toHaveLength(4);
    expect(ev[0]).toMatchObject({ kind: 'raw', raw: '', http: { eventId: 'ev-0', stream: 'post-sse' } });
    expect((ev[0] as { error: string }).error).toMatch(/priming.*retry: 1000/);
    expect(ev[1]).toMatchObject({ kind: 'http', event: 'comment', detail: 'keep-alive', http: { stream: 'post-sse' } });
    expect((ev[1] as HttpEvent).http.eventId).toBeUndefined();
    expect(ev[2]).toMatchObject({ kind: 'message', msg: m, http: { eventId: 'ev-1' } });
    expect(ev[3]).toMatchObject({ kind: 'message', msg: { method: 'notifications/x' } });
    expect((ev[3] as MessageEvent).http!.eventId).toBeUndefined();
  });

  it('keeps a non-message SSE event type and an unterminated last event as raw', async () => {
    up.handler = (_req, res) => {
      sseHead(res);
      res.write(`event: other\ndata: ${J({ jsonrpc: '2.0', method: 'n' })}\n\n`);
      res.end(`data: {"jsonrpc":"2.0","id":9,`); // stream ends mid-event
    };
    await request(proxy.url, { headers: POST_HEADERS, body: J({ jsonrpc: '2.0', id: 9, method: 'ping' }) }).done;
    const raws = byKind('raw');
    expect(raws).toHaveLength(2);
    expect(raws[0]!.error).toMatch(/event type "other"/);
    expect(raws[1]).toMatchObject({ raw: 'data: {"jsonrpc":"2.0","id":9,', dir: 's2c' });
  });

  it('records the GET stream: request, open (headers reach the client before any event), message, close', async () => {
    const headersArrived = signal();
    const note = { jsonrpc: '2.0', method: 'notifications/tasks/status', params: { taskId: 't', status: 'working' } };
    let headersFirst: boolean | undefined;
    up.handler = async (_req, res) => {
      sseHead(res, { 'mcp-session-id': 'sess-g' });
      headersFirst = await headersArrived.promise; // false after 2 s if the proxy held the headers back
      res.write(`event: message\ndata: ${J(note)}\n\n`);
      await sleep(20);
      res.end(); // server closes the stream: the client's response must end
    };
    const r = await request(proxy.url, {
      method: 'GET',
      headers: { accept: 'text/event-stream', 'mcp-session-id': 'sess-g', 'last-event-id': 'ev-9' },
      onResponse: () => headersArrived.resolve(),
    }).done;
    expect(headersFirst).toBe(true);
    expect(r.status).toBe(200);
    expect(r.text).toBe(`event: message\ndata: ${J(note)}\n\n`);
    expect(up.seen[0]!.headers['last-event-id']).toBe('ev-9');
    const ev = trace.read();
    expect(ev.map((e) => (e.kind === 'http' ? `${e.dir} ${e.event}` : `${e.kind}`))).toEqual([
      'c2s request',
      's2c stream-open',
      'message',
      's2c stream-close',
    ]);
    expect(ev[0]).toMatchObject({ http: { method: 'GET', sessionId: 'sess-g' }, detail: 'last-event-id: ev-9' });
    expect(ev[2]).toMatchObject({ dir: 's2c', msg: note, http: { method: 'GET', stream: 'get-sse', sessionId: 'sess-g', status: 200 } });
    expect(ev[3]).toMatchObject({ detail: 'server ended the stream', http: { stream: 'get-sse' } });
  });

  it('records a DELETE as request and response events', async () => {
    up.handler = (_req, res) => {
      res.writeHead(200);
      res.end();
    };
    const r = await request(proxy.url, { method: 'DELETE', headers: { 'mcp-session-id': 'sess-d' } }).done;
    expect(r.status).toBe(200);
    expect(up.seen[0]).toMatchObject({ method: 'DELETE' });
    expect(up.seen[0]!.headers['mcp-session-id']).toBe('sess-d');
    const ev = trace.read();
    expect(ev).toMatchObject([
      { kind: 'http', dir: 'c2s', event: 'request', http: { exchange: 0, method: 'DELETE', sessionId: 'sess-d' } },
      { kind: 'http', dir: 's2c', event: 'response', http: { exchange: 0, method: 'DELETE', status: 200, sessionId: 'sess-d' } },
    ]);
  });

  it('passes a 404 with a text body and records it, body in detail', async () => {
    up.handler = (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Session not found');
    };
    const r = await request(proxy.url, {
      headers: { ...POST_HEADERS, 'mcp-session-id': 'gone' },
      body: J({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    }).done;
    expect(r.status).toBe(404);
    expect(r.text).toBe('Session not found');
    const ev = trace.read();
    expect(ev[1]).toEqual({
      seq: 1,
      t: ev[1]!.t,
      kind: 'http',
      dir: 's2c',
      event: 'response',
      detail: 'Session not found',
      http: { exchange: 0, method: 'POST', path: '/mcp', status: 404, contentType: 'text/plain', sessionId: 'gone' },
    });
  });

  it('records a 400 with a JSON-RPC error body as a message', async () => {
    const err = { jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: Server not initialized' }, id: null };
    up.handler = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(J(err));
    };
    await request(proxy.url, { headers: POST_HEADERS, body: J({ jsonrpc: '2.0', id: 1, method: 'ping' }) }).done;
    expect(trace.read()[1]).toMatchObject({ kind: 'message', dir: 's2c', msg: err, http: { status: 400, stream: 'json' } });
  });

  it('records invalid JSON bodies as raw events, both ways, and still forwards them', async () => {
    up.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"jsonrpc": "2.0", oops');
    };
    const r = await request(proxy.url, { headers: POST_HEADERS, body: '{not json' }).done;
    expect(up.seen[0]!.body.toString()).toBe('{not json');
    expect(r.text).toBe('{"jsonrpc": "2.0", oops');
    const ev = trace.read();
    expect(ev).toHaveLength(2);
    expect(ev[0]).toMatchObject({ kind: 'raw', dir: 'c2s', raw: '{not json', http: { stream: 'request' } });
    expect(ev[1]).toMatchObject({ kind: 'raw', dir: 's2c', raw: '{"jsonrpc": "2.0", oops', http: { stream: 'json', status: 200 } });
    expect((ev[0] as { error: string }).error).not.toBe('');
  });

  it('forwards compressed bodies untouched and records their decoded messages', async () => {
    const m1 = { jsonrpc: '2.0', id: 1, result: { big: 'x'.repeat(2000) } };
    const m2 = { jsonrpc: '2.0', method: 'notifications/x' };
    const json = gzipSync(J(m1));
    const sse = gzipSync(`data: ${J(m2)}\n\ndata: ${J(m1)}\n\n`);
    up.handler = (req, res) => {
      const isSse = req.headers['x-want'] === 'sse';
      res.writeHead(200, { 'content-type': isSse ? 'text/event-stream' : 'application/json', 'content-encoding': 'gzip' });
      res.end(isSse ? sse : json);
    };
    const body = J({ jsonrpc: '2.0', id: 1, method: 'ping' });
    const r1 = await request(proxy.url, { headers: { ...POST_HEADERS, 'accept-encoding': 'gzip' }, body }).done;
    const r2 = await request(proxy.url, { headers: { ...POST_HEADERS, 'accept-encoding': 'gzip', 'x-want': 'sse' }, body }).done;
    expect(r1.body.equals(json)).toBe(true);
    expect(r2.body.equals(sse)).toBe(true);
    await until(
      () => trace.read().filter((e) => e.kind === 'http' && e.event === 'stream-close').length === 1,
      3000,
      'the gzip SSE stream to be recorded',
    );
    const s2c = byKind('message').filter((e) => e.dir === 's2c');
    expect(s2c.map((e) => [e.http!.stream, e.msg])).toEqual([
      ['json', m1],
      ['post-sse', m2],
      ['post-sse', m1],
    ]);
    const last = trace.read().at(-1)!;
    expect(last).toMatchObject({ kind: 'http', event: 'stream-close' }); // after the stream's messages
  });

  it('splits batch arrays into one event per message', async () => {
    const batch = [
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } },
    ];
    up.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(J([{ jsonrpc: '2.0', id: 1, result: {} }]));
    };
    await request(proxy.url, { headers: POST_HEADERS, body: J(batch) }).done;
    const msgs = byKind('message');
    expect(msgs.map((m) => [m.dir, m.msg, m.batch])).toEqual([
      ['c2s', batch[0], true],
      ['c2s', batch[1], true],
      ['s2c', { jsonrpc: '2.0', id: 1, result: {} }, true],
    ]);
    expect(msgs.every((m) => m.http!.exchange === 0)).toBe(true);
  });

  it('answers 502 and records a proxy-error when the upstream is down', async () => {
    const dead = await fakeUpstream();
    const deadUrl = dead.url;
    await dead.close();
    const p2 = await startHttpProxy({ target: deadUrl, port: 0, trace: trace.writer });
    try {
      const r = await request(p2.url, { headers: POST_HEADERS, body: J({ jsonrpc: '2.0', id: 1, method: 'ping' }) }).done;
      expect(r.status).toBe(502);
      expect(r.text).toMatch(/ECONNREFUSED/);
      const ev = trace.read();
      expect(ev[0]).toMatchObject({ kind: 'message', dir: 'c2s' });
      expect(ev[1]).toMatchObject({ kind: 'http', event: 'proxy-error', dir: 's2c', http: { status: 502, exchange: 0 } });
      expect((ev[1] as HttpEvent).detail).toMatch(/ECONNREFUSED/);
    } finally {
      await p2.close();
    }
  });

  it('propagates a client abort to the upstream request', async () => {
    let upstreamClosed = false;
    up.handler = (_req, res) => {
      sseHead(res);
      res.write(': hello\n\n');
      res.on('close', () => (upstreamClosed = true));
    };
    const { req, done } = request(proxy.url, { method: 'GET', headers: { accept: 'text/event-stream' }, onChunk: () => req.destroy() });
    await done.catch(() => undefined);
    await until(() => upstreamClosed, 3000, 'the upstream to see the abort');
    await until(() => trace.read().some((e) => e.kind === 'http' && e.event === 'stream-close'), 3000, 'stream-close');
    const close = trace.read().find((e): e is HttpEvent => e.kind === 'http' && e.event === 'stream-close')!;
    expect(close.detail).toMatch(/client closed/);
    expect(close.http.stream).toBe('get-sse');
  });

  it('breaks the client response when the upstream dies mid-stream', async () => {
    up.handler = (req, res) => {
      sseHead(res);
      res.write(`data: ${J({ jsonrpc: '2.0', method: 'n' })}\n\n`);
      setTimeout(() => req.socket.destroy(), 20);
    };
    const { done } = request(proxy.url, { headers: POST_HEADERS, body: J({ jsonrpc: '2.0', id: 1, method: 'x' }) });
    await expect(done).rejects.toThrow(/aborted|socket hang up|ECONNRESET/);
    await until(() => trace.read().some((e) => e.kind === 'http' && e.event === 'stream-close'), 3000, 'stream-close');
    const ev = trace.read();
    expect(ev.find((e) => e.kind === 'http' && e.event === 'stream-close')).toMatchObject({ detail: /before the response ended/ });
  });

  it('retries once on a kept-alive upstream socket the server had closed', async () => {
    // The upstream drops every connection after its first response, without telling the proxy.
    const perSocket = new Map<unknown, number>();
    up.handler = (req, res) => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      if (n > 1) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(J({ jsonrpc: '2.0', id: 1, result: {} }));
    };
    for (let i = 0; i < 3; i++) {
      const r = await request(proxy.url, { headers: POST_HEADERS, body: J({ jsonrpc: '2.0', id: 1, method: 'ping' }) }).done;
      expect(r.status).toBe(200);
    }
    expect(trace.read().filter((e) => e.kind === 'message')).toHaveLength(6);
    expect(trace.read().some((e) => e.kind === 'http' && e.event === 'proxy-error')).toBe(false);
  });

  it('close() ends open GET streams promptly', async () => {
    up.handler = (_req, res) => {
      sseHead(res);
      res.write(': open\n\n');
    };
    let gotChunk = false;
    const { done } = request(proxy.url, { method: 'GET', headers: { accept: 'text/event-stream' }, onChunk: () => (gotChunk = true) });
    const settled = done.then(
      () => 'ended',
      () => 'errored',
    );
    await until(() => gotChunk, 3000, 'the stream to open');
    const t0 = Date.now();
    await proxy.close();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await settled).toMatch(/ended|errored/);
  });
});

// ---------------------------------------------------------------------------------------------
// End to end: TS SDK client -> proxy -> TS SDK server, elicitation inside a task
// ---------------------------------------------------------------------------------------------

/** A stateful Streamable HTTP server (one low-level Server per session) with an eliciting task tool. */
async function sdkServer(port: number) {
  const taskStore = new InMemoryTaskStore();
  const transports = new Map<string, StreamableHTTPServerTransport>();

  const buildServer = () => {
    const server = new Server(
      { name: 'e2e-server', version: '1.0.0' },
      {
        capabilities: { tools: {}, tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } },
        taskStore,
        taskMessageQueue: new InMemoryTaskMessageQueue(),
      },
    );
    server.setRequestHandler(ListToolsRequestSchema, async () => ({
      tools: [{ name: 'ask', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } }],
    }));
    server.setRequestHandler(CallToolRequestSchema, async (_req, extra) => {
      const store = extra.taskStore!;
      const task = await store.createTask({ ttl: 60_000, pollInterval: 50 });
      void (async () => {
        const answer = await extra.sendRequest(
          {
            method: 'elicitation/create',
            params: {
              mode: 'form',
              message: 'Your name?',
              requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
            },
          },
          ElicitResultSchema,
          { relatedTask: { taskId: task.taskId } } as unknown as TaskRequestOptions,
        );
        await store.updateTaskStatus(task.taskId, 'working');
        await store.storeTaskResult(task.taskId, 'completed', {
          content: [{ type: 'text', text: `hello ${String(answer.content?.name)}` }],
        });
      })().catch((err: unknown) =>
        store.storeTaskResult(task.taskId, 'failed', { content: [{ type: 'text', text: String(err) }], isError: true }).catch(() => {}),
      );
      return { task };
    });
    return server;
  };

  const httpServer = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined;
    const sid = one(req.headers['mcp-session-id']);
    let t = sid ? transports.get(sid) : undefined;
    if (!t && !sid && req.method === 'POST' && isInitializeRequest(body)) {
      const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void transports.set(id, created),
      });
      created.onclose = () => {
        if (created.sessionId) transports.delete(created.sessionId);
      };
      await buildServer().connect(created);
      t = created;
    }
    if (!t) {
      res.writeHead(sid ? 404 : 400, { 'content-type': 'text/plain' }).end(sid ? 'unknown session' : 'no session');
      return;
    }
    await t.handleRequest(req, res, body);
  });
  const sockets = new Set<import('node:net').Socket>();
  httpServer.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => httpServer.listen(port, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: async () => {
      for (const t of transports.values()) await t.close().catch(() => {});
      taskStore.cleanup();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => httpServer.close(() => r()));
    },
  };
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

describe('http proxy end to end with the TS SDK', () => {
  it('records the queued elicitation on the tasks/result POST SSE stream, and the run completes', async () => {
    const server = await sdkServer(await getPort({ host: '127.0.0.1' }));
    const tr = tempTrace();
    const p = await startHttpProxy({ target: server.url, port: await getPort({ host: '127.0.0.1' }), trace: tr.writer });
    const client = new Client({ name: 'e2e-client', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { name: 'Ada' } }));
    const transport = new StreamableHTTPClientTransport(new URL(p.url));
    try {
      await client.connect(transport);
      const created = await client.request({ method: 'tools/call', params: { name: 'ask', arguments: {} } }, CreateTaskResultSchema, {
        task: { ttl: 60_000 },
      });
      const taskId = created.task.taskId;
      let status = created.task.status;
      for (let i = 0; i < 100 && status === 'working'; i++) {
        await sleep(20);
        status = (await client.experimental.tasks.getTask(taskId)).status;
      }
      expect(status).toBe('input_required');
      const result = await client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema);
      expect(result.content).toEqual([{ type: 'text', text: 'hello Ada' }]);
      await transport.terminateSession(); // DELETE
    } finally {
      await client.close();
      await p.close();
      await server.close();
      tr.writer.close();
    }

    const ev = tr.read();
    const msgs = ev.filter((e): e is MessageEvent => e.kind === 'message');
    expect(msgs.every((m) => m.transport === 'http' && m.http !== undefined)).toBe(true);
    expect(ev.some((e) => e.kind === 'raw')).toBe(false);

    const resultReq = msgs.find((m) => m.dir === 'c2s' && m.msg.method === 'tasks/result')!;
    expect(resultReq).toBeDefined();
    const elicit = msgs.find((m) => m.dir === 's2c' && m.msg.method === 'elicitation/create')!;
    expect(elicit).toBeDefined();
    expect(elicit.http!.stream).toBe('post-sse');
    expect(elicit.http!.exchange).toBe(resultReq.http!.exchange);
    expect(elicit.http!.method).toBe('POST');
    expect(elicit.http!.sessionId).toBeDefined();
    expect((elicit.msg.params as Record<string, Record<string, unknown>>)._meta!['io.modelcontextprotocol/related-task']).toBeDefined();

    // The client's answer goes on a POST of its own, answered 202.
    const answer = msgs.find((m) => m.dir === 'c2s' && m.msg.id === elicit.msg.id && 'result' in m.msg)!;
    expect(answer.http!.stream).toBe('request');
    expect(answer.http!.exchange).not.toBe(resultReq.http!.exchange);
    expect(answer.seq).toBeGreaterThan(elicit.seq);
    expect(ev.find((e) => e.kind === 'http' && e.event === 'response' && e.http.exchange === answer.http!.exchange)).toMatchObject({
      http: { status: 202 },
    });

    // The final tasks/result response closes the same SSE stream, after the elicitation.
    const final = msgs.find((m) => m.dir === 's2c' && m.msg.id === resultReq.msg.id && m.http!.exchange === resultReq.http!.exchange)!;
    expect(final.http!.stream).toBe('post-sse');
    expect(final.seq).toBeGreaterThan(answer.seq);
    expect(
      ev.find((e) => e.kind === 'http' && e.event === 'stream-close' && e.http.exchange === resultReq.http!.exchange)!.seq,
    ).toBeGreaterThan(final.seq);

    // Other facts of the run: CreateTaskResult on the tools/call POST SSE, the GET stream,
    // status notifications only there, the DELETE.
    const call = msgs.find((m) => m.dir === 'c2s' && m.msg.method === 'tools/call')!;
    const createResult = msgs.find((m) => m.dir === 's2c' && m.msg.id === call.msg.id && m.http!.exchange === call.http!.exchange)!;
    expect(createResult.http!.stream).toBe('post-sse');
    expect(ev.some((e) => e.kind === 'http' && e.event === 'stream-open' && e.http.stream === 'get-sse')).toBe(true);
    const statuses = msgs.filter((m) => m.msg.method === 'notifications/tasks/status');
    expect(statuses.every((m) => m.http!.stream === 'get-sse')).toBe(true);
    expect(ev.some((e) => e.kind === 'http' && e.dir === 'c2s' && e.event === 'request' && e.http.method === 'DELETE')).toBe(true);
  });
});
