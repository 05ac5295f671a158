/**
 * Faults in the HTTP proxy, against a scriptable fake upstream: each fault kind where it applies,
 * and where the message does not match (then it passes unchanged), plus the teardown settle.
 */
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpProxy, type HttpProxyOptions, startHttpProxy } from '../../src/record/http-proxy.js';
import { Fault } from '../../src/vocabulary/scenario.js';
import type { FaultEvent, HttpEvent, MessageEvent, TraceEvent } from '../../src/vocabulary/trace.js';
import { type FakeUpstream, fakeUpstream, request, sleep, tempTrace, until } from './proxy-fixtures.js';

const J = (o: unknown) => JSON.stringify(o);
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': 's1' };
const get = (id: number) => ({ jsonrpc: '2.0', id, method: 'tasks/get', params: { taskId: 't' } });
const answer = (id: number) => ({ jsonrpc: '2.0', id, result: { taskId: 't', status: 'working' } });
const status = { jsonrpc: '2.0', method: 'notifications/tasks/status', params: { taskId: 't', status: 'completed' } };
const ev = (o: unknown) => `event: message\ndata: ${J(o)}\n\n`;

let up: FakeUpstream;
let proxy: HttpProxy;
let trace: ReturnType<typeof tempTrace>;

async function setup(faults: unknown[], extra: Partial<HttpProxyOptions> = {}) {
  up = await fakeUpstream();
  trace = tempTrace();
  proxy = await startHttpProxy({ target: up.url, port: 0, trace: trace.writer, faults: faults.map((f) => Fault.parse(f)), ...extra });
}
afterEach(async () => {
  await proxy?.close();
  await up?.close();
  trace?.writer.close();
});

const events = () => trace.read();
const faultsOf = (evs: TraceEvent[] = events()) => evs.filter((e): e is FaultEvent => e.kind === 'fault');
const messages = (evs: TraceEvent[] = events()) => evs.filter((e): e is MessageEvent => e.kind === 'message');
const sse = (res: ServerResponse, headers: Record<string, string> = {}) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', ...headers });
  res.flushHeaders();
};
/** An upstream that answers each POSTed request on an SSE stream, `before` events first. */
const sseAnswers =
  (before: (id: number) => unknown[] = () => []) =>
  (_req: unknown, res: ServerResponse, body: Buffer) => {
    const msg = JSON.parse(body.toString());
    if (msg.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    const text = [...before(msg.id), { jsonrpc: '2.0', id: msg.id, result: { taskId: 't', status: 'working' } }].map(ev).join('');
    // With a Content-Length, as the TS SDK server sends it: the proxy must not keep it when it changes the body.
    res.writeHead(200, { 'content-type': 'text/event-stream', 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
  };
const post = (body: unknown, headers: Record<string, string> = HEADERS) => request(proxy.url, { headers, body: J(body) });
const dataOf = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => l.slice(6));

describe('drop', () => {
  it('drops a matching SSE event from the server and records it only as a fault; the rest arrives', async () => {
    await setup([{ drop: { method: 'notifications/tasks/status' } }]);
    up.handler = sseAnswers(() => [status]);
    const r = await post(get(1)).done;
    expect(dataOf(r.text).map((d) => JSON.parse(d))).toEqual([answer(1)]);
    expect(r.headers['content-length']).toBeUndefined();
    const f = faultsOf();
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ fault: 'drop', index: 0, dir: 's2c', msg: status, http: { exchange: 0, stream: 'post-sse' } });
    expect(messages().map((m) => m.msg)).toEqual([get(1), answer(1)]);
  });

  it('passes an event that does not match unchanged', async () => {
    await setup([{ drop: { method: 'notifications/progress' } }]);
    up.handler = sseAnswers(() => [status]);
    const r = await post(get(1)).done;
    expect(dataOf(r.text).map((d) => JSON.parse(d))).toEqual([status, answer(1)]);
    expect(faultsOf()).toEqual([]);
  });

  it('drops a client notification: the server never sees it and the proxy answers 202 itself', async () => {
    await setup([{ drop: { method: 'notifications/initialized' } }]);
    up.handler = sseAnswers();
    const r = await post({ jsonrpc: '2.0', method: 'notifications/initialized' }).done;
    expect(r.status).toBe(202);
    expect(up.seen).toHaveLength(0);
    const resp = events().find((e): e is HttpEvent => e.kind === 'http' && e.event === 'response');
    expect(resp?.detail).toMatch(/answered by the proxy/);
  });

  it('drops the nth response only, in a JSON body too', async () => {
    await setup([{ drop: { method: 'tasks/get', type: 'response', nth: 1 } }]);
    up.handler = (_req, res, body) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(J(answer(JSON.parse(body.toString()).id)));
    };
    const first = post(get(1), { ...HEADERS });
    let firstDone = false;
    void first.done.then(
      () => (firstDone = true),
      () => (firstDone = true),
    );
    const second = await post(get(2)).done;
    expect(JSON.parse(second.text)).toEqual(answer(2));
    await sleep(100);
    expect(firstDone).toBe(false); // never answered: the client waits until it gives up
    first.req.destroy();
    expect(faultsOf().map((f) => f.detail)).toEqual([expect.stringMatching(/dropped the response to tasks\/get \(id 1\)/)]);
  });
});

describe('delay', () => {
  it('holds a matching server message, and what follows it on the stream', async () => {
    await setup([{ delay: 200, match: { method: 'notifications/tasks/status' } }]);
    up.handler = sseAnswers(() => [status]);
    const t0 = Date.now();
    const chunks: { at: number; text: string }[] = [];
    await request(proxy.url, {
      headers: HEADERS,
      body: J(get(1)),
      onChunk: (c) => chunks.push({ at: Date.now() - t0, text: c.toString() }),
    }).done;
    const first = chunks.find((c) => c.text.includes('notifications/tasks/status'))!;
    expect(first.at).toBeGreaterThanOrEqual(180);
    expect(chunks.findIndex((c) => c.text.includes('"id":1'))).toBeGreaterThanOrEqual(chunks.indexOf(first));
    expect(faultsOf()[0]!.detail).toMatch(/held the notification notifications\/tasks\/status for 200 ms/);
  });

  it('holds a client request before the server sees it; a request that does not match goes at once', async () => {
    await setup([{ delay: 200, match: { method: 'tasks/get', direction: 'c2s' } }]);
    up.handler = sseAnswers();
    const t0 = Date.now();
    await post(get(1)).done;
    const held = Date.now() - t0;
    const t1 = Date.now();
    await post({ jsonrpc: '2.0', id: 2, method: 'tasks/list' }).done;
    expect(held).toBeGreaterThanOrEqual(190);
    expect(Date.now() - t1).toBeLessThan(150);
  });
});

describe('cutStream', () => {
  it('closes the SSE stream answering a matching request after N events, and aborts upstream', async () => {
    await setup([{ cutStream: { method: 'tasks/result' }, afterEvents: 1 }]);
    let upstreamClosed = false;
    up.handler = (_req, res) => {
      sse(res);
      res.write(ev({ jsonrpc: '2.0', id: 0, method: 'elicitation/create', params: {} }));
      res.on('close', () => (upstreamClosed = true));
      setTimeout(() => res.end(ev({ jsonrpc: '2.0', id: 4, result: {} })), 300);
    };
    const r = await post({ jsonrpc: '2.0', id: 4, method: 'tasks/result', params: { taskId: 't' } }).done;
    expect(dataOf(r.text)).toHaveLength(1); // the elicitation, then the end of the stream: no result
    await until(() => upstreamClosed, 2000, 'upstream closed');
    expect(faultsOf()[0]).toMatchObject({ fault: 'cutStream', msg: { id: 4, method: 'tasks/result' } });
    const close = events().find((e): e is HttpEvent => e.kind === 'http' && e.event === 'stream-close');
    expect(close?.detail).toMatch(/cutStream fault/);
  });

  it('leaves the stream of another request alone', async () => {
    await setup([{ cutStream: { method: 'tasks/result' }, afterEvents: 0 }]);
    up.handler = sseAnswers();
    const r = await post(get(3)).done;
    expect(dataOf(r.text)).toHaveLength(1);
    expect(faultsOf()).toEqual([]);
  });
});

/** Opens the session's GET stream; collects what arrives on it. */
function openGet(headers: Record<string, string> = { accept: 'text/event-stream', 'mcp-session-id': 's1' }) {
  const got: string[] = [];
  let ended = false;
  const r = request(proxy.url, { method: 'GET', headers, onChunk: (c) => got.push(c.toString()) });
  r.done.then(
    () => (ended = true),
    () => (ended = true),
  );
  return { got, ended: () => ended, req: r.req };
}

describe('closeGetStream and moveToGetStream', () => {
  it('closes the first GET stream of the session after the given time', async () => {
    await setup([{ closeGetStream: 150 }]);
    up.handler = (req, res) => {
      if (req.method === 'GET') sse(res); // never ends by itself
    };
    const t0 = Date.now();
    const g = openGet();
    await until(() => g.ended(), 2000, 'GET closed');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    const g2 = openGet(); // a second GET of the session stays open
    await sleep(300);
    expect(g2.ended()).toBe(false);
    g2.req.destroy();
    expect(faultsOf().map((f) => f.fault)).toEqual(['closeGetStream']);
  });

  it('moves a matching server request from the POST stream onto the GET stream, recorded where it was delivered', async () => {
    await setup([{ moveToGetStream: { method: 'elicitation/create' } }]);
    const elicit = { jsonrpc: '2.0', id: 0, method: 'elicitation/create', params: { message: 'Name?' } };
    up.handler = (req, res, body) => {
      if (req.method === 'GET') return sse(res);
      const id = JSON.parse(body.toString()).id;
      sse(res);
      res.write(ev(elicit));
      res.end(ev({ jsonrpc: '2.0', id, method: undefined, result: {} }));
    };
    const g = openGet();
    await until(() => up.seen.some((s) => s.method === 'GET'), 2000, 'GET upstream');
    await sleep(50);
    const r = await post({ jsonrpc: '2.0', id: 4, method: 'tasks/result', params: { taskId: 't' } }).done;
    expect(r.text).not.toContain('elicitation/create');
    await until(() => g.got.join('').includes('elicitation/create'), 2000, 'elicitation on GET');
    const moved = messages().find((m) => m.msg.method === 'elicitation/create')!;
    expect(moved.http?.stream).toBe('get-sse');
    expect(faultsOf()[0]).toMatchObject({ fault: 'moveToGetStream', msg: elicit, http: { stream: 'post-sse' } });
    g.req.destroy();
  });

  it('leaves a server request that does not match on its POST stream', async () => {
    await setup([{ moveToGetStream: { method: 'sampling/createMessage' } }]);
    up.handler = sseAnswers(() => [{ jsonrpc: '2.0', id: 0, method: 'elicitation/create', params: {} }]);
    const r = await post(get(1)).done;
    expect(r.text).toContain('elicitation/create');
  });
});

describe('restartServer', () => {
  it('calls the restart after the matching answer went back, holding later requests until it is done', async () => {
    let restarted = 0;
    let release!: () => void;
    await setup([{ restartServer: { method: 'tasks/get', type: 'response', nth: 1 } }], {
      restartServer: async () => {
        restarted++;
        await new Promise<void>((r) => (release = r));
      },
    });
    up.handler = sseAnswers();
    await post(get(1)).done;
    await until(() => restarted === 1, 2000, 'restart');
    const second = post(get(2)).done;
    await sleep(100);
    expect(up.seen).toHaveLength(1); // held while the server restarts
    release();
    await second;
    expect(up.seen).toHaveLength(2);
    expect(restarted).toBe(1); // nth: 1
    expect(faultsOf().map((f) => f.detail)).toEqual([
      expect.stringMatching(/restarting the server after the response to tasks\/get \(id 1\)/),
      'the fresh server is ready: requests go to it from now on',
    ]);
  });

  it('does not restart for messages that do not match', async () => {
    let restarted = 0;
    await setup([{ restartServer: { method: 'tasks/cancel' } }], { restartServer: async () => void restarted++ });
    up.handler = sseAnswers();
    await post(get(1)).done;
    await sleep(50);
    expect(restarted).toBe(0);
  });
});

describe('garbage', () => {
  it('POSTs a non-JSON body to the server just before the matching request, and records its answer', async () => {
    await setup([{ garbage: 'not json', before: { method: 'tasks/get', direction: 'c2s' } }]);
    up.handler = (_req, res, body) => {
      if (body.toString() === 'not json') {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(J({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }));
        return;
      }
      sseAnswers()(_req, res, body);
    };
    const r = await post(get(1)).done;
    expect(dataOf(r.text).map((d) => JSON.parse(d))).toEqual([answer(1)]);
    expect(up.seen.map((s) => s.body.toString())).toEqual(['not json', J(get(1))]);
    expect(up.seen[0]!.headers['mcp-session-id']).toBe('s1');
    const evs = events();
    const raw = evs.find((e): e is Extract<TraceEvent, { kind: 'raw' }> => e.kind === 'raw' && e.dir === 'c2s');
    const parseError = messages(evs).find((m) => (m.msg.error as { code?: number } | undefined)?.code === -32700);
    expect(raw?.http?.exchange).toBe(parseError?.http?.exchange);
    expect(parseError?.http?.status).toBe(400);
  });

  it('sends the client an SSE event whose data is not JSON just before the matching server message', async () => {
    await setup([{ garbage: 'not json', before: { method: 'tasks/get', type: 'response' } }]);
    up.handler = sseAnswers(() => [status]);
    const r = await post(get(1)).done;
    expect(dataOf(r.text)).toEqual([J(status), 'not json', J(answer(1))]);
    expect(r.headers['content-length']).toBeUndefined(); // the body grew: chunked, not the server's length
  });

  it('sends nothing extra when nothing matches', async () => {
    await setup([{ garbage: 'not json', before: { method: 'tasks/cancel' } }]);
    up.handler = sseAnswers();
    const r = await post(get(1)).done;
    expect(dataOf(r.text)).toEqual([J(answer(1))]);
    expect(up.seen).toHaveLength(1);
  });
});

describe('truncate', () => {
  it('cuts the SSE event carrying the matching answer short and closes the connection', async () => {
    await setup([{ truncate: { method: 'tasks/get', type: 'response' }, bytes: 12 }]);
    up.handler = sseAnswers();
    const got: Buffer[] = [];
    await request(proxy.url, { headers: HEADERS, body: J(get(1)), onChunk: (c) => got.push(c) }).done.catch(() => {});
    expect(Buffer.concat(got).toString()).toBe(ev(answer(1)).slice(0, 12));
    const raw = events().find((e) => e.kind === 'raw' && e.dir === 's2c');
    expect(raw).toMatchObject({ raw: ev(answer(1)).slice(0, 12) });
    expect(faultsOf()[0]!.detail).toMatch(/to 12 of \d+ bytes/);
  });

  it('cuts a matching request body on its way to the server and closes the client connection', async () => {
    await setup([{ truncate: { method: 'tasks/get', type: 'request' }, bytes: 10 }]);
    let upstreamGot = '';
    up.handler = () => {};
    const failed = await post(get(1))
      .done.then(() => false)
      .catch(() => true);
    expect(failed).toBe(true);
    await until(() => up.received.length > 0, 2000, 'the cut body upstream');
    await sleep(100);
    upstreamGot = Buffer.concat(up.received).toString();
    expect(upstreamGot).toBe(J(get(1)).slice(0, 10));
    expect(up.seen).toHaveLength(0); // the body never ended: the server never had a request
  });

  it('leaves a body that does not match whole', async () => {
    await setup([{ truncate: { method: 'tasks/result' }, bytes: 10 }]);
    up.handler = sseAnswers();
    const r = await post(get(1)).done;
    expect(dataOf(r.text)).toEqual([J(answer(1))]);
  });
});

describe('teardown settle', () => {
  it('holds a DELETE until the server reported its task terminal, so the late notification reaches the GET stream', async () => {
    await setup([], { settle: { quietMs: 50, maxMs: 2000 } });
    let getRes: ServerResponse | undefined;
    up.handler = (req, res, body) => {
      if (req.method === 'GET') {
        sse(res);
        getRes = res;
        return;
      }
      if (req.method === 'DELETE') {
        getRes?.end();
        res.writeHead(200).end();
        return;
      }
      const id = JSON.parse(body.toString()).id;
      sse(res);
      res.end(ev({ jsonrpc: '2.0', id, result: { task: { taskId: 't', status: 'working' } } }));
      setTimeout(() => getRes?.write(ev(status)), 300);
    };
    const g = openGet();
    await until(() => getRes !== undefined, 2000, 'GET upstream');
    await post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', task: {} } }).done;
    await request(proxy.url, { method: 'DELETE', headers: { 'mcp-session-id': 's1' } }).done;
    expect(g.got.join('')).toContain('notifications/tasks/status');
  });

  it('keeps the server side of a GET stream the client closed until the conversation settled', async () => {
    await setup([], { settle: { quietMs: 50, maxMs: 2000 } });
    let getRes: ServerResponse | undefined;
    up.handler = (req, res, body) => {
      if (req.method === 'GET') {
        sse(res);
        getRes = res;
        return;
      }
      const id = JSON.parse(body.toString()).id;
      sse(res);
      res.end(ev({ jsonrpc: '2.0', id, result: { task: { taskId: 't', status: 'working' } } }));
      setTimeout(() => getRes?.write(ev(status)), 200);
    };
    const g = openGet();
    await until(() => getRes !== undefined, 2000, 'GET upstream');
    await post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', task: {} } }).done;
    g.req.destroy(); // the client hangs up at once
    const r = await proxy.settle();
    expect(r.open).toEqual([]);
    expect(messages().some((m) => m.msg.method === 'notifications/tasks/status')).toBe(true);
  });

  it('without the settle, the same late notification is not recorded', async () => {
    await setup([]);
    let getRes: ServerResponse | undefined;
    up.handler = (req, res, body) => {
      if (req.method === 'GET') {
        sse(res);
        getRes = res;
        return;
      }
      const id = JSON.parse(body.toString()).id;
      sse(res);
      res.end(ev({ jsonrpc: '2.0', id, result: { task: { taskId: 't', status: 'working' } } }));
      setTimeout(() => getRes?.writable && getRes.write(ev(status)), 200);
    };
    const g = openGet();
    await until(() => getRes !== undefined, 2000, 'GET upstream');
    await post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', task: {} } }).done;
    g.req.destroy();
    await proxy.settle();
    await sleep(400);
    expect(messages().some((m) => m.msg.method === 'notifications/tasks/status')).toBe(false);
  });
});
