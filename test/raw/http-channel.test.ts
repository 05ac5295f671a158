import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpChannel } from '../../drivers/raw/http-channel.js';
import { Peer } from '../../drivers/raw/peer.js';

interface Seen {
  method: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A tiny Streamable HTTP server: enough of the transport to exercise the raw client's channel. */
async function tinyServer() {
  const seen: Seen[] = [];
  const getStreams: http.ServerResponse[] = [];
  let answerWaiter: ((body: Record<string, unknown>) => void) | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', headers: req.headers, body });
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('event: message\ndata: {"jsonrpc":"2.0","method":"notifications/tasks/status","params":{"taskId":"g"}}\n\n');
        getStreams.push(res);
        return;
      }
      if (req.method === 'DELETE') return res.writeHead(200).end();
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(body);
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        return res.end('{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}');
      }
      if (!('method' in msg)) {
        answerWaiter?.(msg);
        return res.writeHead(202).end();
      }
      if (!('id' in msg)) return res.writeHead(202).end();
      switch (msg.method) {
        case 'initialize':
          res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'S1' });
          return res.end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { protocolVersion: '2025-11-25', capabilities: {} } }));
        case 'early':
          // Like a server that hands out a session id on an error answer: not the session.
          res.writeHead(400, { 'content-type': 'application/json', 'mcp-session-id': 'BOGUS' });
          return res.end('{"jsonrpc":"2.0","id":"server-error","error":{"code":-32600,"message":"Missing session ID"}}');
        case 'gone':
          res.writeHead(404, { 'content-type': 'text/plain' });
          return res.end('no such session');
        case 'tools/call': {
          // SSE: a server request first, split across writes, then the response once it is answered.
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write('data: {"jsonrpc":"2.0","id":0,"method":"elicitation/cre');
          setTimeout(() => res.write('ate","params":{"message":"?"}}\n'), 20);
          setTimeout(() => res.write('\n'), 40);
          answerWaiter = (answer) => {
            res.write(`data: ${JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { answered: answer.result } })}\n\n`);
            res.end();
          };
          return;
        }
        default:
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { echo: msg.method } }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
  return {
    url,
    seen,
    close: () =>
      new Promise<void>((r) => {
        for (const s of getStreams) s.end();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

function connect(url: URL) {
  const incoming: { method: string; answer?: unknown }[] = [];
  const peer = new Peer('main', {
    answer: async (method) =>
      method === 'elicitation/create' ? { result: { action: 'accept' } } : { error: { code: -32601, message: 'no' } },
    incoming: (r) => incoming.push(r),
  });
  const channel = new HttpChannel(url, peer);
  peer.attach(channel);
  return { peer, channel, incoming };
}

describe('raw client over Streamable HTTP', () => {
  it('POSTs with both Accept types, keeps the session id of initialize and sends the protocol version after it', async () => {
    const s = await tinyServer();
    stop = s.close;
    const { peer, channel } = connect(s.url);
    const init = await peer.request('initialize', {}, 2000);
    expect(init).toMatchObject({ ok: true, result: { protocolVersion: '2025-11-25' }, http: { status: 200 } });
    expect(channel.sessionId).toBe('S1');
    channel.setProtocolVersion('2025-11-25');
    expect(await peer.notify('notifications/initialized', undefined)).toMatchObject({ ok: true, http: { status: 202 } });
    const post = s.seen.filter((x) => x.method === 'POST');
    expect(post[0]!.headers.accept).toBe('application/json, text/event-stream');
    expect(post[0]!.headers['mcp-session-id']).toBeUndefined();
    expect(post[0]!.headers['mcp-protocol-version']).toBeUndefined();
    expect(post[1]!.headers['mcp-session-id']).toBe('S1');
    expect(post[1]!.headers['mcp-protocol-version']).toBe('2025-11-25');
    await channel.close();
    const del = s.seen.find((x) => x.method === 'DELETE');
    expect(del?.headers['mcp-session-id']).toBe('S1');
  });

  it('does not take a session id from an error answer to another request', async () => {
    const s = await tinyServer();
    stop = s.close;
    const { peer, channel } = connect(s.url);
    const early = await peer.request('early', undefined, 2000);
    expect(early).toMatchObject({ ok: false, error: { code: -32600, httpStatus: 400 } });
    expect(channel.sessionId).toBeUndefined();
    await peer.request('initialize', {}, 2000);
    expect(channel.sessionId).toBe('S1');
    await channel.close();
  });

  it('reads an SSE answer incrementally: answers the server request on it, then gets its own response', async () => {
    const s = await tinyServer();
    stop = s.close;
    const { peer, channel, incoming } = connect(s.url);
    await peer.request('initialize', {}, 2000);
    const reply = await peer.request('tools/call', { name: 'x' }, 3000);
    expect(reply).toMatchObject({
      ok: true,
      result: { answered: { action: 'accept' } },
      http: { status: 200, contentType: 'text/event-stream' },
    });
    expect(incoming.map((i) => i.method)).toEqual(['elicitation/create']);
    const answer = s.seen.find((x) => x.method === 'POST' && x.body.includes('"result"'));
    expect(JSON.parse(answer!.body)).toEqual({ jsonrpc: '2.0', id: 0, result: { action: 'accept' } });
    await channel.close();
  });

  it('opens the GET stream once initialized and hands on what arrives there', async () => {
    const s = await tinyServer();
    stop = s.close;
    const { peer, channel, incoming } = connect(s.url);
    await peer.request('initialize', {}, 2000);
    channel.initialized();
    channel.initialized();
    for (let i = 0; i < 50 && !incoming.length; i++) await new Promise((r) => setTimeout(r, 10));
    expect(incoming).toEqual([{ at: expect.any(Number), method: 'notifications/tasks/status', params: { taskId: 'g' } }]);
    const gets = s.seen.filter((x) => x.method === 'GET');
    expect(gets).toHaveLength(1);
    expect(gets[0]!.headers.accept).toBe('text/event-stream');
    expect(gets[0]!.headers['mcp-session-id']).toBe('S1');
    await channel.close();
  });

  it('reports an HTTP error without a JSON-RPC body with its status and no code', async () => {
    const s = await tinyServer();
    stop = s.close;
    const { peer, channel } = connect(s.url);
    const reply = await peer.request('gone', undefined, 2000);
    expect(reply).toMatchObject({ ok: false, error: { code: null, httpStatus: 404, message: 'HTTP 404: no such session' } });
    await channel.close();
  });

  it('sendRaw posts the exact text and records the parse error the server answers', async () => {
    const s = await tinyServer();
    stop = s.close;
    const { peer, channel } = connect(s.url);
    const reply = await peer.sendRaw('{"jsonrpc":"2.0",', 2000);
    expect(s.seen.at(-1)!.body).toBe('{"jsonrpc":"2.0",');
    expect(reply).toMatchObject({ ok: false, error: { code: -32700 }, http: { status: 400 } });
    const accepted = await peer.sendRaw('{"jsonrpc":"2.0","method":"notifications/x"}', 2000);
    expect(accepted).toMatchObject({ ok: true, http: { status: 202 } });
    await channel.close();
  });

  it('a request to a server that is not there fails locally, without a code', async () => {
    const { peer, channel } = connect(new URL('http://127.0.0.1:9/mcp'));
    const reply = await peer.request('tasks/list', undefined, 500);
    expect(reply).toMatchObject({ ok: false, error: { code: null, local: true } });
    await channel.close();
  });
});
