/** The normaliser on recorded traces: what is renamed, what is masked, what is folded or dropped. */
import { describe, expect, it } from 'vitest';
import { normalise, PROGRESS_UNUSED } from '../../src/diff/normalise.js';
import { conv, messages, resequence, trace } from './helpers.js';

describe('renaming by first appearance', () => {
  it('names JSON-RPC ids per sender, task ids and progress tokens, whatever the SDK style', () => {
    // TS server (ids from 0, hex task ids) and Python server (`task-<taskId>-<n>` request ids,
    // `<session>:<uuid>` task ids) read the same.
    for (const slug of ['input-required-elicitation--ts-ts--stdio', 'input-required-elicitation--ts-py--stdio']) {
      const steps = conv('run1', slug).steps.filter((s) => s.request !== undefined);
      expect(steps.map((s) => `${s.from} ${s.request} ${s.id}`)).toEqual([
        'client initialize c1',
        'client tools/call c2',
        'client tasks/get c3',
        'client tasks/get c4',
        'client tasks/get c5',
        'client tasks/result c6',
        'server elicitation/create s1',
        'client tasks/get c7',
      ]);
      const call = steps[1]!;
      // No progress notification names this call's token: it is not numbered (see the next test).
      expect(call.params).toEqual({ _meta: { progressToken: PROGRESS_UNUSED }, arguments: {}, name: 'greet', task: { ttl: 30000 } });
    }
    const py = conv('run1', 'input-required-elicitation--ts-py--stdio').steps;
    const answer = py.find((s) => s.response === 'elicitation/create')!;
    expect(answer).toMatchObject({ from: 'client', id: 's1', result: { action: 'accept', content: { name: 'Ada' } } });
    const related = py.find((s) => s.request === 'elicitation/create')!.params as Record<string, Record<string, unknown>>;
    expect(related._meta).toEqual({ 'io.modelcontextprotocol/related-task': { taskId: 'task1' } });
  });

  it('numbers only the progress tokens another message names, so extra one-off tokens shift nothing', () => {
    const events = trace('run1', 'progress-notifications--ts-ts--stdio');
    const named = (evs: typeof events) =>
      normalise(evs)
        .steps.flatMap((s) => [JSON.stringify(s.params ?? {})])
        .filter((t) => t.includes('progressToken'));
    const before = named(events);
    expect(before.join()).toContain('"progressToken":"p1"');
    // A token the notifications use keeps its name when a message with a token of its own (as TS
    // callToolStream sends with every tasks/get) comes first; that one-off token reads as unused.
    const first = messages(events).find((e) => e.msg.method === 'tools/call')!;
    const extra = structuredClone(first);
    extra.msg = { jsonrpc: '2.0', id: 'extra-poll', method: 'tasks/get', params: { taskId: 'none', _meta: { progressToken: 'one-off' } } };
    const withExtra = named(resequence([...events.slice(0, events.indexOf(first)), extra, ...events.slice(events.indexOf(first))]));
    expect(withExtra[0]).toContain(`"progressToken":"${PROGRESS_UNUSED}"`);
    expect(withExtra.slice(1)).toEqual(before);
  });

  it('gives a reused id the name it got first, so reuse shows', () => {
    const events = trace('run1', 'poll-to-completion--ts-ts--stdio');
    const gets = messages(events).filter((e) => e.msg.method === 'tasks/get');
    // The second poll and its response reuse the first poll's id.
    const reused = gets[1]!.msg.id;
    const firstId = gets[0]!.msg.id;
    for (const e of messages(events)) if (e.msg.id === reused && e.seq <= gets[1]!.seq + 1) e.msg.id = firstId;
    const ids = normalise(events)
      .steps.filter((s) => s.request === 'tasks/get')
      .map((s) => s.id);
    expect(ids.slice(0, 3)).toEqual(['c3', 'c3', 'c4']);
  });

  it('renames ids inside text too (an error naming the task), and HTTP session ids', () => {
    const events = trace('run1', 'input-required-elicitation--ts-py--http');
    const get = messages(events).find((e) => e.msg.method === 'tasks/get')!;
    const taskId = (get.msg.params as { taskId: string }).taskId;
    const session = get.http!.sessionId!;
    const answer = messages(events).find((e) => e.dir === 's2c' && e.msg.id === get.msg.id)!;
    answer.msg = { jsonrpc: '2.0', id: get.msg.id, error: { code: -32602, message: `Task ${taskId} not found in session ${session}` } };
    const step = normalise(events).steps.find((s) => s.response === 'tasks/get')!;
    expect(step.error).toEqual({ code: -32602, message: 'Task task1 not found in session session1' });
  });
});

describe('masking', () => {
  it('masks ISO times in createdAt and lastUpdatedAt, and keeps a malformed one visible', () => {
    const events = trace('run1', 'unlimited-ttl--ts-ts--stdio');
    const create = messages(events).find((e) => e.dir === 's2c' && (e.msg.result as { task?: unknown })?.task)!;
    (create.msg.result as { task: Record<string, unknown> }).task.lastUpdatedAt = 'yesterday';
    const step = normalise(events).steps.find((s) => s.response === 'tools/call')!;
    expect(step.result).toEqual({
      task: { createdAt: '<time>', lastUpdatedAt: 'yesterday', pollInterval: 50, status: 'working', taskId: 'task1', ttl: null },
    });
    expect(JSON.stringify(step)).not.toMatch(/"t":|seq":5,"t"/);
  });

  it('drops a process pid and argv (the argv holds the run folder) and keeps how it exited', () => {
    const steps = conv('run1', 'unlimited-ttl--ts-ts--stdio').steps.filter((s) => s.process !== undefined);
    expect(steps.map(({ seq: _s, ...rest }) => rest)).toEqual([
      { from: 'server', process: 'spawn' },
      { from: 'server', process: 'exit', code: 0, signal: null },
    ]);
  });

  it('sorts object keys, so key order never matters', () => {
    const events = trace('run1', 'unlimited-ttl--ts-ts--stdio');
    const call = messages(events).find((e) => e.msg.method === 'tools/call')!;
    call.msg = Object.fromEntries(Object.entries(call.msg).reverse());
    const a = normalise(trace('run1', 'unlimited-ttl--ts-ts--stdio')).steps;
    const b = normalise(events).steps;
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});

describe('HTTP context', () => {
  const steps = conv('run1', 'input-required-elicitation--ts-py--http').steps;

  it('keeps the stream and the status, names exchanges by what opened them, drops stream open/close events', () => {
    const brief = steps.map((s) => [s.from, s.request ?? s.response ?? s.notification ?? s.http, s.via]);
    expect(brief.slice(0, 5)).toEqual([
      ['client', 'initialize', { stream: 'request', status: 200 }],
      ['server', 'initialize', { stream: 'post-sse' }],
      ['client', 'notifications/initialized', { stream: 'request', status: 202 }],
      ['client', 'GET#1', undefined],
      ['client', 'tools/call', { stream: 'request', status: 200 }],
    ]);
    // The queued elicitation travels on the tasks/result POST; the status notification on the GET stream.
    expect(steps.find((s) => s.request === 'elicitation/create')!.via).toEqual({ stream: 'post-sse', on: 'POST c6' });
    expect(steps.find((s) => s.notification === 'notifications/tasks/status')!.via).toEqual({ stream: 'get-sse', on: 'GET#1' });
    expect(steps.find((s) => s.http === 'GET#1')).toMatchObject({ status: 200 });
  });

  it('renames SSE event ids per stream and a Last-Event-ID by the event it names', () => {
    const events = trace('run1', 'input-required-elicitation--ts-py--http');
    const notif = messages(events).find((e) => e.msg.method === 'notifications/tasks/status')!;
    notif.http!.eventId = 'stream-7_42';
    const get = events.find((e) => e.kind === 'http' && e.event === 'request' && e.http.method === 'GET')!;
    if (get.kind === 'http') get.detail = 'last-event-id: stream-7_42';
    const out = normalise(events).steps;
    expect(out.find((s) => s.notification === 'notifications/tasks/status')!.via).toEqual({ stream: 'get-sse', on: 'GET#1', eventId: '1' });
    expect(out.find((s) => s.http === 'GET#1')).toMatchObject({ detail: 'last-event-id: 1', via: { on: 'GET#1' } });
  });

  it('keeps a stream the client cut before its response, and not one it closed after (a race)', () => {
    // py→py: the Python client closes each POST's SSE stream as soon as it has read the response.
    const racy = trace('run2', 'required-tool-without-task--py-py--http');
    const closes = racy.filter((e) => e.kind === 'http' && e.event === 'stream-close').map((e) => (e.kind === 'http' ? e.detail : ''));
    expect(closes).toContain('client closed the connection before the response ended');
    expect(normalise(racy).steps.some((s) => s.via?.cut !== undefined)).toBe(false);

    // Cut before the response arrived: the response is gone, the cut stays.
    const cut = trace('run2', 'required-tool-without-task--py-py--http').filter(
      (e) => !(e.kind === 'message' && e.dir === 's2c' && (e.msg.result as { isError?: boolean })?.isError),
    );
    const call = normalise(cut).steps.find((s) => s.request === 'tools/call')!;
    expect(call.via).toEqual({ stream: 'request', status: 200, cut: 'client closed the connection before the response ended' });
  });
});
