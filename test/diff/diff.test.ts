/** The semantic diff on recorded traces, each behaviour with the exact differences it finds. */
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/vocabulary/trace.js';
import { conv, diff, lines, messages, resequence, trace } from './helpers.js';

const ELICIT_TS = 'input-required-elicitation--ts-ts--stdio';
const ELICIT_HTTP = 'input-required-elicitation--ts-py--http';

/** Replaces every occurrence of a string in every message of a trace. */
function replaceEverywhere(events: TraceEvent[], from: string, to: string): TraceEvent[] {
  return events.map((e) => JSON.parse(JSON.stringify(e).replaceAll(from, to)) as TraceEvent);
}

describe('equivalence', () => {
  it('a trace is equivalent to itself', () => {
    const r = diff(trace('run1', ELICIT_HTTP), trace('run1', ELICIT_HTTP));
    expect(r.equivalent).toBe(true);
    expect(r.differences).toEqual([]);
  });

  it('renaming: other ids, task ids, session ids, progress tokens and id styles are no difference', () => {
    const events = trace('run1', ELICIT_HTTP);
    const taskId = (messages(events).find((e) => e.msg.method === 'tasks/get')!.msg.params as { taskId: string }).taskId;
    const session = messages(events).find((e) => e.http?.sessionId)!.http!.sessionId!;
    const renamed = replaceEverywhere(replaceEverywhere(events, taskId, 'a-completely-different-task-id'), session, 'sess-0000');
    // Client ids as strings, the progress token as a number.
    for (const e of messages(renamed)) {
      if (e.dir === 'c2s' && typeof e.msg.method === 'string' && typeof e.msg.id === 'number') e.msg.id = `req-${e.msg.id}`;
      if (e.dir === 's2c' && 'result' in e.msg && typeof e.msg.id === 'number') e.msg.id = `req-${e.msg.id}`;
      if (e.dir === 's2c' && 'error' in e.msg && typeof e.msg.id === 'number') e.msg.id = `req-${e.msg.id}`;
      const meta = (e.msg.params as { _meta?: { progressToken?: unknown } } | undefined)?._meta;
      if (meta?.progressToken !== undefined) meta.progressToken = 99;
    }
    expect(lines(diff(events, renamed))).toEqual([]);
  });

  it('masking: other times are no difference', () => {
    const events = trace('run1', ELICIT_TS);
    const shifted = events.map((e) => {
      const text = JSON.stringify(e).replace(/2026-12-01T(\d\d):/g, '2031-01-02T$1:');
      const out = JSON.parse(text) as TraceEvent;
      out.t += 1_000_000;
      return out;
    });
    expect(JSON.stringify(shifted)).not.toBe(JSON.stringify(events));
    expect(lines(diff(events, shifted))).toEqual([]);
  });

  it('reordering: a notification on the GET stream interleaving differently is no difference', () => {
    const events = trace('run1', ELICIT_HTTP);
    const i = events.findIndex((e) => e.kind === 'message' && e.msg.method === 'notifications/tasks/status');
    const [notif] = events.splice(i, 1);
    events.splice(i + 3, 0, notif!);
    expect(lines(diff(trace('run1', ELICIT_HTTP), resequence(events)))).toEqual([]);
  });

  it('repeated polls: tasks/get × 2 against × 5 with the same statuses is no difference', () => {
    const events = trace('run1', ELICIT_TS);
    // Repeat the first working poll (request and response) three more times, with new ids.
    const req = messages(events).find((e) => e.msg.method === 'tasks/get')!;
    const res = messages(events).find((e) => e.dir === 's2c' && e.msg.id === req.msg.id)!;
    const at = events.indexOf(res) + 1;
    const extra = [101, 102, 103].flatMap((id) => [
      { ...structuredClone(req), msg: { ...structuredClone(req.msg), id } },
      { ...structuredClone(res), msg: { ...structuredClone(res.msg), id } },
    ]);
    events.splice(at, 0, ...extra);
    expect(lines(diff(trace('run1', ELICIT_TS), resequence(events)))).toEqual([]);
  });
});

describe('differences', () => {
  it('repeated polls: a different sequence of statuses is one difference, showing both sequences', () => {
    const events = trace('run1', ELICIT_TS);
    const last = messages(events)
      .filter((e) => e.dir === 's2c' && (e.msg.result as { status?: string })?.status === 'completed')
      .pop()!;
    (last.msg.result as { status: string }).status = 'failed';
    expect(lines(diff(trace('run1', ELICIT_TS), events))).toEqual([
      '▶ tasks/get → status sequence: working ×2 → input_required → completed on A, working ×2 → input_required → failed on B',
    ]);
  });

  it('a missing message: names it, with its content and the seq on A', () => {
    const events = trace('run1', 'progress-notifications--ts-ts--stdio');
    const dropped = messages(events).filter((e) => e.msg.method === 'notifications/progress')[1]!;
    const r = diff(
      trace('run1', 'progress-notifications--ts-ts--stdio'),
      events.filter((e) => e !== dropped),
    );
    expect(r.differences).toEqual([
      {
        kind: 'missing',
        where: 'notifications/progress #2',
        a: {
          from: 'server',
          notification: 'notifications/progress',
          params: { message: 'done', progress: 2, progressToken: 'p1', total: 2 },
        },
        seq: { a: dropped.seq, b: undefined },
        step: { a: expect.any(Number) },
        phase: 'conversation',
        first: true,
      },
    ]);
    expect(lines(r)[0]).toMatch(/^▶ notifications\/progress #2: missing on B \(A: \{"from":"server"/);
  });

  it('an extra message: names it, with its content and the seq on B', () => {
    const events = trace('run1', 'progress-notifications--ts-ts--stdio');
    const last = messages(events).filter((e) => e.msg.method === 'notifications/progress')[1]!;
    const copy = structuredClone(last);
    copy.msg.params = { progressToken: 1, progress: 3, total: 2, message: 'more' };
    events.splice(events.indexOf(last) + 1, 0, copy);
    const r = diff(trace('run1', 'progress-notifications--ts-ts--stdio'), resequence(events));
    expect(r.differences.map((d) => [d.kind, d.where, d.b, d.seq])).toEqual([
      [
        'extra',
        'notifications/progress #3',
        { from: 'server', notification: 'notifications/progress', params: { message: 'more', progress: 3, progressToken: 'p1', total: 2 } },
        { a: undefined, b: copy.seq },
      ],
    ]);
  });

  it('a changed value: the path inside the message and both values, first divergence marked', () => {
    const events = trace('run1', ELICIT_TS);
    const results = messages(events).filter((e) => e.dir === 's2c' && (e.msg.result as { status?: string })?.status === 'input_required');
    (results[0]!.msg.result as Record<string, unknown>).pollInterval = 500;
    delete (results[0]!.msg.result as Record<string, unknown>).ttl;
    const r = diff(trace('run1', ELICIT_TS), events);
    expect(lines(r)).toEqual([
      '▶ tasks/get #2 → result.pollInterval: 50 on A, 500 on B',
      'tasks/get #2 → result.ttl: missing on B (A: 30000)',
    ]);
    expect(r.differences[0]!.seq).toEqual({ a: results[0]!.seq, b: results[0]!.seq });
    expect(r.counts).toMatchObject({ changed: 1, missing: 1 });
  });

  it('one side reusing a request id where the other does not', () => {
    const events = trace('run1', 'poll-to-completion--ts-ts--stdio');
    const gets = messages(events).filter((e) => e.msg.method === 'tasks/get');
    const reused = gets[1]!.msg.id;
    for (const e of messages(events)) if (e.msg.id === reused) e.msg.id = gets[0]!.msg.id;
    // The reusing poll repeats the first one, so it is kept as a repeat of it, and says so.
    expect(lines(diff(trace('run1', 'poll-to-completion--ts-ts--stdio'), events))).toEqual([
      '▶ tasks/get #1 → idReusedFrom: extra on B ("tasks/get (task1) #1")',
    ]);
  });

  it('order where it is bound: the client sending two requests the other way round', () => {
    const events = trace('run1', 'list-tasks--ts-ts--stdio');
    // The first tasks/list (and its answer) moved before the second tools/call.
    const list = messages(events).find((e) => e.msg.method === 'tasks/list')!;
    const call2 = messages(events).filter((e) => e.msg.method === 'tools/call')[1]!;
    const moved = events.splice(events.indexOf(list), 2);
    events.splice(events.indexOf(call2), 0, ...moved);
    const r = diff(trace('run1', 'list-tasks--ts-ts--stdio'), resequence(events));
    expect(lines(r)).toEqual(['▶ order: tools/call #2 comes before tasks/list #1 on A, after it on B']);
  });

  it('an extra request earlier does not shift every later id into a difference', () => {
    const events = trace('run1', ELICIT_TS);
    const init = messages(events).find((e) => e.msg.method === 'notifications/initialized')!;
    const at = events.indexOf(init) + 1;
    const ping = { ...structuredClone(init), msg: { jsonrpc: '2.0', id: 77, method: 'ping' } };
    const pong = { ...structuredClone(init), dir: 's2c' as const, msg: { jsonrpc: '2.0', id: 77, result: {} } };
    events.splice(at, 0, ping, pong);
    expect(lines(diff(trace('run1', ELICIT_TS), resequence(events)))).toEqual([
      `▶ ping #1: extra on B (${JSON.stringify({ from: 'client', request: 'ping', id: 'c2' })})`,
    ]);
  });
});

describe('across pairings (the issue\u2019s examples)', () => {
  it('unlimited-ttl ts→ts vs ts→py: the missing ttl on the Python side is the first divergence', () => {
    const r = diff(conv('run1', 'unlimited-ttl--ts-ts--stdio'), conv('run1', 'unlimited-ttl--ts-py--stdio'));
    const first = r.differences.find((d) => d.first)!;
    expect(first).toMatchObject({ kind: 'missing', where: 'tools/call #1', path: 'result.task.ttl', a: null, seq: { a: 5, b: 5 } });
    expect(lines(r).find((l) => l.startsWith('▶'))).toBe('▶ tools/call #1 → result.task.ttl: missing on B (A: null)');
    // The initialize handshake differs too (names, versions, capabilities), reported apart.
    expect(r.differences.filter((d) => d.phase === 'handshake').map((d) => d.path)).toEqual([
      'result.capabilities.tools.listChanged',
      'result.capabilities.experimental',
      'result.serverInfo.name',
      'result.serverInfo.version',
    ]);
  });

  it('input-required-elicitation ts→ts vs ts→py: no difference for the id styles, the status sequences where they differ', () => {
    for (const t of ['stdio', 'http']) {
      const r = diff(conv('run1', `input-required-elicitation--ts-ts--${t}`), conv('run1', `input-required-elicitation--ts-py--${t}`));
      expect(lines(r).filter((l) => !l.startsWith('initialize'))).toEqual([
        '▶ notifications/tasks/status → status sequence: input_required → working → completed on A, completed on B',
        'tasks/result #1 → result.isError: extra on B (false)',
      ]);
    }
  });

  it('across transports the HTTP context is not compared', () => {
    const r = diff(conv('run1', 'input-required-elicitation--ts-py--stdio'), conv('run1', ELICIT_HTTP));
    expect(r.httpCompared).toBe(false);
    expect(lines(r)).toEqual([]);
  });
});
