import { describe, expect, it } from 'vitest';
import { buildDiagram, type Row, relTime } from '../../src/report/html/client/diagram-model.js';
import type { TraceEvent } from '../../src/vocabulary/trace.js';
import { ELICITATION, fixtureObservations, fixtureTrace, UNLIMITED_TTL } from './fixture.js';

const method = (r: Row) => (r.event?.kind === 'message' ? r.event.msg.method : undefined);
const http = (exchange: number, stream?: 'request' | 'json' | 'post-sse' | 'get-sse', sessionId = 's1') => ({
  exchange,
  method: 'POST',
  path: '/mcp',
  sessionId,
  ...(stream ? { stream } : {}),
});
let seq = 0;
const msg = (dir: 'c2s' | 's2c', m: Record<string, unknown>, h?: ReturnType<typeof http>): TraceEvent => ({
  seq: seq++,
  t: 1000 + seq,
  kind: 'message',
  dir,
  transport: h ? 'http' : 'stdio',
  msg: { jsonrpc: '2.0', ...m },
  ...(h ? { http: h } : {}),
});

describe('the sequence diagram model', () => {
  it('marks where a long trace\u2019s events were left out, between the head and the tail', () => {
    const trace = [
      msg('c2s', { id: 1, method: 'tasks/get' }),
      msg('s2c', { id: 1, result: {} }),
      msg('c2s', { id: 9, method: 'tasks/get' }),
    ];
    const d = buildDiagram(trace, [], [], { afterSeq: trace[1]!.seq, count: 1234 });
    expect(d.rows.map((r) => r.kind)).toEqual(['request', 'response', 'omitted', 'request']);
    expect(d.rows[2]!.label).toBe('… 1,234 trace events left out');
    expect(buildDiagram(trace).rows.some((r) => r.kind === 'omitted')).toBe(false);
  });

  it('input-required-elicitation over HTTP: elicitation/create on the tasks/result SSE stream, the answer on a POST of its own', () => {
    const trace = fixtureTrace(ELICITATION);
    const d = buildDiagram(trace);
    // Every trace event has its row: nothing dropped.
    expect(d.rows.filter((r) => r.seq !== undefined)).toHaveLength(trace.length);
    const result = d.rows.find((r) => method(r) === 'tasks/result')!;
    const elicit = d.rows.find((r) => method(r) === 'elicitation/create')!;
    expect(result).toMatchObject({ kind: 'request', dir: 'c2s', stream: 'request' });
    expect(elicit).toMatchObject({ kind: 'request', dir: 's2c', stream: 'post-sse', exchange: result.exchange, sideChannel: true });
    const answer = d.rows[elicit.partner!]!;
    expect(answer).toMatchObject({ kind: 'response', dir: 'c2s', stream: 'request', sideChannel: true, partner: elicit.i });
    expect(answer.exchange).not.toBe(result.exchange);
    expect(d.exchanges.get(result.exchange!)).toMatchObject({ method: 'tasks/result', kind: 'post-sse' });
    // The answer's POST is open while the tasks/result stream still is: two tracks, not one.
    expect(d.rows[answer.i]!.track).not.toBe(elicit.track);
    // The final tasks/result response closes the pair on the same exchange.
    expect(d.rows[result.partner!]).toMatchObject({ kind: 'response', exchange: result.exchange });
    // A plain tasks/get response is not a side-channel message.
    const get = d.rows.find((r) => method(r) === 'tasks/get')!;
    expect(d.rows[get.partner!]!.sideChannel).toBeUndefined();
    // Status notifications travel on the GET stream.
    const status = d.rows.find((r) => method(r) === 'notifications/tasks/status')!;
    expect(status).toMatchObject({ kind: 'notification', stream: 'get-sse' });
    expect(status.sideChannel).toBeUndefined();
  });

  it('places the client steps by time and maps observation lines to their rows', () => {
    const obs = fixtureObservations(UNLIMITED_TTL);
    const steps = obs.flatMap((record, line) => (record.type === 'step' ? [{ line, record, name: `s${Number(record.index) + 1}` }] : []));
    const d = buildDiagram(fixtureTrace(UNLIMITED_TTL), steps);
    const s1 = d.rows[d.byObservation.get(1)!]!;
    expect(s1).toMatchObject({ kind: 'step', lane: 'client', error: true });
    // The callTask step starts before its tools/call goes out.
    const call = d.rows.find((r) => method(r) === 'tools/call')!;
    expect(s1.i).toBeLessThan(call.i);
    expect(d.rows.map((r) => r.t ?? 0)).toEqual([...d.rows.map((r) => r.t ?? 0)].sort((a, b) => a - b));
  });

  it('joins responses to requests by id and requester, not by id alone', () => {
    seq = 0;
    const d = buildDiagram([
      msg('c2s', { id: 0, method: 'tools/call', params: { task: {} } }),
      msg('s2c', { id: 0, method: 'elicitation/create', params: {} }),
      msg('c2s', { id: 0, result: { action: 'accept' } }),
      msg('s2c', { id: 0, result: { task: { status: 'working' } } }),
    ]);
    expect(d.rows.map((r) => r.partner)).toEqual([3, 2, 1, 0]);
    expect(d.rows[3]!.label).toContain('↩ tools/call');
    expect(d.rows[3]!.summary).toContain('status working');
    // Over stdio, a server request while no tasks/result is open is not a task side channel.
    expect(d.rows[1]!.sideChannel).toBeUndefined();
  });

  it('over stdio, a request the server sends while tasks/result is open is a side-channel message, and so is its answer', () => {
    seq = 0;
    const d = buildDiagram([
      msg('c2s', { id: 4, method: 'tasks/result', params: { taskId: 't' } }),
      msg('s2c', { id: 0, method: 'sampling/createMessage', params: {} }),
      msg('c2s', { id: 0, result: {} }),
      msg('s2c', { id: 4, result: {} }),
      msg('s2c', { id: 1, method: 'elicitation/create', params: {} }),
    ]);
    expect(d.rows.map((r) => Boolean(r.sideChannel))).toEqual([false, true, true, false, false]);
  });

  it('over HTTP, what the server sends on a tasks/result SSE stream is side channel, on the GET stream it is not', () => {
    seq = 0;
    const d = buildDiagram([
      msg('c2s', { id: 4, method: 'tasks/result', params: { taskId: 't' } }, http(3, 'request')),
      msg('s2c', { id: 0, method: 'elicitation/create', params: {} }, http(3, 'post-sse')),
      msg('s2c', { id: 1, method: 'elicitation/create', params: {} }, http(1, 'get-sse')),
      msg('s2c', { method: 'notifications/progress', params: {} }, http(3, 'post-sse')),
    ]);
    expect(d.rows.map((r) => Boolean(r.sideChannel))).toEqual([false, true, false, true]);
  });

  it('joins an answer to the request of its own session when two sessions reuse an id', () => {
    seq = 0;
    const d = buildDiagram([
      msg('s2c', { id: 0, method: 'elicitation/create', params: {} }, http(1, 'get-sse', 'A')),
      msg('s2c', { id: 0, method: 'elicitation/create', params: {} }, http(2, 'get-sse', 'B')),
      msg('c2s', { id: 0, result: {} }, http(3, 'request', 'B')),
      msg('c2s', { id: 0, result: {} }, http(4, 'request', 'A')),
    ]);
    expect(d.rows.map((r) => r.partner)).toEqual([3, 2, 1, 0]);
  });

  it('keeps raw, HTTP, process, fault and unparsable lines as rows of their own', () => {
    seq = 0;
    const events: TraceEvent[] = [
      { seq: 0, t: 1, kind: 'process', role: 'server', event: 'spawn', pid: 7, argv: ['node', 'server.js'] },
      { seq: 1, t: 2, kind: 'raw', dir: 's2c', transport: 'stdio', raw: 'Server listening', error: 'Unexpected token' },
      { seq: 2, t: 3, kind: 'fault', fault: 'drop', index: 0, detail: 'dropped the response to tasks/get #2', dir: 's2c' },
      {
        seq: 3,
        t: 4,
        kind: 'http',
        dir: 's2c',
        event: 'response',
        http: { exchange: 1, method: 'POST', path: '/mcp', status: 404 },
        detail: 'Session not found',
      },
      { seq: 4, t: 5, kind: 'process', role: 'server', event: 'exit', pid: 7, code: 1, signal: null },
    ];
    const d = buildDiagram(events, [], [{ line: 6, text: '{"truncated' }]);
    expect(d.rows.map((r) => r.kind)).toEqual(['process', 'raw', 'fault', 'http', 'process', 'bad-line']);
    expect(d.rows.map((r) => Boolean(r.error))).toEqual([false, true, false, true, true, true]);
    expect(d.rows[3]!.label).toBe('HTTP 404 Not Found');
    expect(d.rows[3]!.title).toContain('session id: (none)');
    expect(d.rows[2]).toMatchObject({ lane: 'middle', label: 'fault: drop' });
  });

  it('puts overlapping HTTP exchanges on separate tracks and reuses a track once its exchange is over', () => {
    seq = 0;
    const d = buildDiagram([
      msg('c2s', { id: 1, method: 'tasks/result', params: {} }, http(1, 'request')),
      msg('c2s', { id: 2, method: 'tasks/get', params: {} }, http(2, 'request')),
      msg('s2c', { id: 2, result: {} }, http(2, 'json')),
      msg('c2s', { id: 3, method: 'tasks/get', params: {} }, http(3, 'request')),
      msg('s2c', { id: 3, result: {} }, http(3, 'json')),
      msg('s2c', { id: 1, result: {} }, http(1, 'post-sse')),
    ]);
    expect(d.tracks).toBe(2);
    expect([1, 2, 3].map((x) => d.exchanges.get(x)!.track)).toEqual([0, 1, 1]);
    expect(d.exchanges.get(1)).toMatchObject({ first: 0, last: 5, kind: 'post-sse', label: 'POST #1 tasks/result' });
    // Row 3 has exchange 1 on track 0 and exchange 3 on track 1.
    expect([...d.occupancy.slice(3 * 2, 3 * 2 + 2)]).toEqual([1, 3]);
  });

  it('marks related-task metadata and formats relative times', () => {
    seq = 0;
    const d = buildDiagram([
      msg('s2c', { method: 'notifications/progress', params: { _meta: { 'io.modelcontextprotocol/related-task': { taskId: 'abc' } } } }),
    ]);
    expect(d.rows[0]).toMatchObject({ kind: 'notification', relatedTask: 'abc' });
    expect(relTime(12.34)).toBe('+12.3 ms');
    expect(relTime(1234.5)).toBe('+1.234 s');
  });
});
