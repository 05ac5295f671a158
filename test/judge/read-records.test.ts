import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forEachLine, readObservations, readTrace } from '../../src/judge/read-records.js';
import { tempDir } from '../helpers.js';

function lines(file: string): [string, number][] {
  const out: [string, number][] = [];
  forEachLine(file, (text, line) => out.push([text, line]));
  return out;
}

describe('reading JSON Lines a chunk at a time', () => {
  it('gives every line with its number, lines longer than a chunk and a last line without a newline included', () => {
    const dir = tempDir();
    const long = 'x'.repeat(3 * 1024 * 1024 + 17);
    const text = ['a', '', long, 'é'.repeat(700_000), 'last'].join('\n');
    writeFileSync(join(dir, 'f'), text);
    expect(lines(join(dir, 'f'))).toEqual(text.split('\n').map((l, i) => [l, i]));
    writeFileSync(join(dir, 'g'), 'one\ntwo\n');
    expect(lines(join(dir, 'g'))).toEqual([
      ['one', 0],
      ['two', 1],
    ]);
  });

  it('a trace reads back as it was written; for the judge, repeated message bodies are shared', () => {
    const dir = tempDir();
    const poll = (seq: number, id: number) => [
      {
        seq,
        t: seq,
        kind: 'message',
        dir: 'c2s',
        transport: 'stdio',
        msg: { jsonrpc: '2.0', id, method: 'tasks/get', params: { taskId: 'a' } },
      },
      {
        seq: seq + 1,
        t: seq + 1,
        kind: 'message',
        dir: 's2c',
        transport: 'stdio',
        msg: { jsonrpc: '2.0', id, result: { taskId: 'a', status: 'working' } },
      },
    ];
    const events = [
      ...poll(0, 1),
      ...poll(2, 2),
      {
        seq: 4,
        t: 4,
        kind: 'message',
        dir: 'c2s',
        transport: 'stdio',
        msg: { jsonrpc: '2.0', id: 3, method: 'tasks/get', params: { taskId: 'b' } },
      },
    ];
    const file = join(dir, 'trace.jsonl');
    writeFileSync(file, `${events.map((e) => JSON.stringify(e)).join('\n')}\nnot json\n`);
    const read = readTrace(file, { shareBodies: true });
    expect(read.records).toEqual(events);
    expect(readTrace(file).records).toEqual(events);
    expect(read.lineOf).toEqual([0, 1, 2, 3, 4]);
    expect(read.problems).toEqual([{ line: 5, message: expect.stringContaining('not JSON') }]);
    const msg = (i: number) => (read.records[i] as { msg: Record<string, unknown> }).msg;
    expect(msg(2).params).toBe(msg(0).params);
    expect(msg(3).result).toBe(msg(1).result);
    expect(msg(4).params).not.toBe(msg(0).params);
    // Unless asked, every record has bodies of its own (a reader may edit them).
    const own = readTrace(file).records as { msg: Record<string, unknown> }[];
    expect(own[2]!.msg.params).not.toBe(own[0]!.msg.params);
  });

  it('for the judge, the requests a poll step sent repeatedly are shared too', () => {
    const dir = tempDir();
    const get = (taskId: string) => ({ method: 'tasks/get', params: { taskId } });
    const step = {
      type: 'step',
      index: 1,
      kind: 'poll',
      startedAt: 1,
      endedAt: 2,
      sent: [get('a'), get('a'), get('b')],
      ok: true,
      session: 'main',
    };
    const file = join(dir, 'observations.jsonl');
    writeFileSync(file, `${JSON.stringify(step)}\n`);
    const shared = readObservations(file, { shareBodies: true });
    expect(shared.problems).toEqual([]);
    expect(shared.records).toEqual([step]);
    const sent = (r: typeof shared) => (r.records[0] as { sent: unknown[] }).sent;
    expect(sent(shared)[1]).toBe(sent(shared)[0]);
    expect(sent(shared)[2]).not.toBe(sent(shared)[0]);
    const own = readObservations(file);
    expect(sent(own)[1]).not.toBe(sent(own)[0]);
  });

  it('for the judge, the HTTP context that the events of one exchange repeat is shared', () => {
    const dir = tempDir();
    const http = (exchange: number, status?: number) => ({
      exchange,
      method: 'POST',
      path: '/mcp',
      ...(status !== undefined ? { status, contentType: 'text/event-stream', stream: 'post-sse' } : { stream: 'request' }),
      sessionId: 's-1',
    });
    const events = [
      { seq: 0, t: 0, kind: 'message', dir: 'c2s', transport: 'http', http: http(1), msg: { jsonrpc: '2.0', id: 1, method: 'tasks/get' } },
      { seq: 1, t: 1, kind: 'http', dir: 's2c', event: 'stream-open', http: http(1, 200) },
      { seq: 2, t: 2, kind: 'message', dir: 's2c', transport: 'http', http: http(1, 200), msg: { jsonrpc: '2.0', id: 1, result: {} } },
      { seq: 3, t: 3, kind: 'http', dir: 's2c', event: 'stream-close', http: http(1, 200), detail: 'server ended the stream' },
      { seq: 4, t: 4, kind: 'http', dir: 's2c', event: 'stream-open', http: http(2, 200) },
    ];
    const file = join(dir, 'trace.jsonl');
    writeFileSync(file, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
    const read = readTrace(file, { shareBodies: true });
    expect(read.records).toEqual(events);
    const ctx = (i: number) => (read.records[i] as { http: unknown }).http;
    expect(ctx(2)).toBe(ctx(1));
    expect(ctx(3)).toBe(ctx(1));
    expect(ctx(0)).not.toBe(ctx(1)); // the request's context says less
    expect(ctx(4)).not.toBe(ctx(1)); // another exchange
    const own = readTrace(file).records as { http: unknown }[];
    expect(own[2]!.http).not.toBe(own[1]!.http);
  });
});
