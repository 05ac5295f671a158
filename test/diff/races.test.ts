/**
 * The races the diff handles explicitly (src/diff/races.ts, normalise.ts), each on two recorded
 * runs of the same cell where it happened, and each with the case it must still report.
 */
import { describe, expect, it } from 'vitest';
import { normalise } from '../../src/diff/normalise.js';
import type { TraceEvent } from '../../src/vocabulary/trace.js';
import { diff, lines, messages, resequence, trace } from './helpers.js';

const statusNotifications = (events: TraceEvent[]) =>
  messages(events)
    .filter((e) => e.msg.method === 'notifications/tasks/status')
    .map((e) => (e.msg.params as { status: string }).status);

describe('standalone GET stream opening after the task was created (HTTP)', () => {
  const slug = 'immediate-completion--py-ts--http';

  it('a status notification dropped because the GET stream was not open yet is no difference', () => {
    // run1: GET stream open before tools/call, the `completed` notification arrives; run4: the
    // stream opened after the CreateTaskResult (already `completed`), the notification was lost.
    expect(statusNotifications(trace('run1', slug))).toEqual(['completed']);
    expect(statusNotifications(trace('run4', slug))).toEqual([]);
    expect(lines(diff(trace('run1', slug), trace('run4', slug)))).toEqual([]);
    expect(lines(diff(trace('run4', slug), trace('run1', slug)))).toEqual([]);
    // Same race, a `working` notification (cancel-working-task).
    expect(lines(diff(trace('run1', 'cancel-working-task--py-ts--http'), trace('run4', 'cancel-working-task--py-ts--http')))).toEqual([]);
  });

  it('pairs the notifications by status and message, so a missed first `working` does not shift the rest', () => {
    // run1 got `working` ("crunching"), `working` ("almost there"), `completed` ("almost there");
    // run8 opened its GET stream after the CreateTaskResult and missed the first.
    const slug = 'poll-to-completion--py-ts--http';
    const messagesOf = (run: string) =>
      messages(trace(run, slug))
        .filter((e) => e.msg.method === 'notifications/tasks/status')
        .map((e) => (e.msg.params as { statusMessage?: string }).statusMessage ?? '');
    expect(messagesOf('run1')).toEqual(['crunching', 'almost there', 'almost there']);
    expect(messagesOf('run8')).toEqual(['almost there', 'almost there']);
    expect(lines(diff(trace('run1', slug), trace('run8', slug)))).toEqual([]);
  });

  it('is a difference when that side had the GET stream open before the task was created', () => {
    const events = trace('run1', slug);
    const without = events.filter((e) => !(e.kind === 'message' && e.msg.method === 'notifications/tasks/status'));
    expect(lines(diff(without, events))).toEqual(['▶ notifications/tasks/status → status sequence: (none) on A, completed on B']);
  });
});

describe('a side without a GET stream', () => {
  it('misses the GET stream notifications as a consequence: only the missing stream is reported', () => {
    const slug = 'input-required-elicitation--ts-py--http';
    const events = trace('run1', slug);
    const get = events.find((e) => e.kind === 'http' && e.event === 'request' && e.http.method === 'GET')!;
    const exchange = get.kind === 'http' ? get.http.exchange : -1;
    const withoutGet = events.filter((e) => e.kind === 'process' || e.http?.exchange !== exchange);
    expect(statusNotifications(withoutGet)).toEqual([]);
    expect(lines(diff(events, withoutGet))).toEqual(['▶ GET #1: missing on B (A: {"from":"client","http":"GET#1","status":200})']);
  });
});

describe('teardown: the client leaves while a task is still running', () => {
  const slug = 'list-bad-cursor--ts-ts--http';

  it('a status notification the client did not stay for is no difference', () => {
    // run1: none; run4: after the last response; run5: while the last request was in flight.
    expect(statusNotifications(trace('run1', slug))).toEqual([]);
    expect(statusNotifications(trace('run4', slug))).toEqual(['completed']);
    expect(statusNotifications(trace('run5', slug))).toEqual(['completed']);
    for (const [a, b] of [
      ['run1', 'run4'],
      ['run4', 'run1'],
      ['run1', 'run5'],
      ['run5', 'run1'],
    ] as const)
      expect(lines(diff(trace(a, slug), trace(b, slug)))).toEqual([]);
  });

  it('any server notification after the client\u2019s last request was answered is no difference', () => {
    const slug = 'progress-notifications--ts-ts--stdio';
    const events = trace('run1', slug);
    const progress = messages(events).find((e) => e.msg.method === 'notifications/progress')!;
    const late = { ...structuredClone(progress), msg: { ...progress.msg, params: { progressToken: 1, progress: 3, total: 3 } } };
    events.splice(events.length - 1, 0, late);
    expect(lines(diff(trace('run1', slug), resequence(events)))).toEqual([]);
  });

  it('is a difference when that side saw the task reach the status (so the client had not left)', () => {
    const slugStdio = 'input-required-elicitation--ts-ts--stdio';
    const events = trace('run1', slugStdio);
    const completed = messages(events).find(
      (e) => e.msg.method === 'notifications/tasks/status' && (e.msg.params as { status: string }).status === 'completed',
    )!;
    const without = events.filter((e) => e !== completed);
    expect(lines(diff(events, without))).toEqual([
      '▶ notifications/tasks/status → status sequence: input_required → working → completed on A, input_required → working on B',
    ]);
  });
});

describe('server process teardown (stdio)', () => {
  it('an exit after the client was done is the same whether it exited, was stopped, or was not recorded', () => {
    const exits = (run: string, slug: string) =>
      trace(run, slug)
        .filter((e) => e.kind === 'process' && e.event === 'exit')
        .map((e) => (e.kind === 'process' ? [e.code, e.signal] : []));
    // run13 ran on a loaded machine: the harness stopped one server, and stopped the tap of another first.
    expect(exits('run1', 'unlimited-ttl--ts-py--stdio')).toEqual([[0, null]]);
    expect(exits('run13', 'unlimited-ttl--ts-py--stdio')).toEqual([[null, 'SIGTERM']]);
    expect(exits('run1', 'list-bad-cursor--py-ts--stdio')).toEqual([[0, null]]);
    expect(exits('run13', 'list-bad-cursor--py-ts--stdio')).toEqual([]);
    for (const slug of ['unlimited-ttl--ts-py--stdio', 'list-bad-cursor--py-ts--stdio']) {
      expect(lines(diff(trace('run1', slug), trace('run13', slug))), slug).toEqual([]);
      expect(lines(diff(trace('run13', slug), trace('run1', slug))), slug).toEqual([]);
    }
  });

  it('a crash is a difference: a non-zero exit code, even at the end', () => {
    const slug = 'unlimited-ttl--ts-py--stdio';
    const crashed = trace('run1', slug).map((e) => (e.kind === 'process' && e.event === 'exit' ? { ...e, code: 1 } : e));
    expect(lines(diff(trace('run1', slug), crashed))).toEqual(['▶ process exit #1 → code: 0 on A, 1 on B']);
    expect(lines(diff(trace('run13', slug), crashed))).toEqual([
      '▶ process exit #1 → code: null on A, 1 on B',
      'process exit #1 → signal: "SIGTERM" on A, null on B',
    ]);
    const gone = trace('run13', 'list-bad-cursor--py-ts--stdio');
    const crashedToo = trace('run1', 'list-bad-cursor--py-ts--stdio').map((e) =>
      e.kind === 'process' && e.event === 'exit' ? { ...e, code: 1 } : e,
    );
    expect(lines(diff(crashedToo, gone))).toEqual([
      '▶ process exit #1: missing on B (A: {"from":"server","process":"exit","code":1,"signal":null})',
    ]);
  });
});

describe('poll sampling: whether a poll lands before or after a transition', () => {
  it('a poll that read `working` where the other run already read the next status is no difference', () => {
    // ttl-policy ts→py: run1 getTask read `working` and polled `working → completed`; run4 read
    // `completed` at once. sampling-input-required py→py: `working → input_required` against
    // `input_required`. list-tasks: tasks/list listing a task `working` against `completed`.
    for (const [slug, a, b] of [
      ['ttl-policy--ts-py--http', 'run1', 'run4'],
      ['sampling-input-required--py-py--http', 'run1', 'run2'],
      ['list-tasks--ts-ts--stdio', 'run1', 'run3'],
    ] as const) {
      expect(lines(diff(trace(a, slug), trace(b, slug))), slug).toEqual([]);
      expect(lines(diff(trace(b, slug), trace(a, slug))), slug).toEqual([]);
    }
  });

  it('any other status disagreement is a difference', () => {
    const slug = 'ttl-policy--ts-py--http';
    const events = trace('run4', slug);
    for (const e of messages(events)) {
      const r = e.msg.result as { status?: string } | undefined;
      if (e.dir === 's2c' && r?.status === 'completed') r.status = 'failed';
    }
    expect(lines(diff(trace('run4', slug), events))).toEqual([
      '▶ tasks/get (task1) → status sequence: completed on A, failed on B',
      'tasks/get (task2) → status sequence: completed ×2 on A, failed ×2 on B',
    ]);
  });
});

describe('the server\u2019s stdio output interleaving background work with answers', () => {
  it('a status notification before or after an unrelated response is no order difference', () => {
    const slug = 'list-tasks--ts-ts--stdio';
    const order = (events: TraceEvent[]) =>
      messages(events)
        .filter((e) => e.dir === 's2c')
        .map((e) => (e.msg.method as string | undefined) ?? `response ${String(e.msg.id)}`);
    expect(order(trace('run1', slug))).not.toEqual(order(trace('run3', slug)));
    expect(lines(diff(trace('run1', slug), trace('run3', slug)))).toEqual([]);
  });
});

describe('a POST stream the client closed after reading its response (Python client)', () => {
  it('is no difference, against a run where the server ended it', () => {
    const slug = 'required-tool-without-task--py-py--http';
    const ends = (run: string) =>
      trace(run, slug)
        .filter((e) => e.kind === 'http' && e.event === 'stream-close')
        .map((e) => (e.kind === 'http' ? e.detail : ''));
    expect(ends('run1')).toEqual(['server ended the stream', 'server ended the stream', 'server ended the stream']);
    expect(ends('run2')).toEqual(Array(3).fill('client closed the connection before the response ended'));
    expect(lines(diff(trace('run1', slug), trace('run2', slug)))).toEqual([]);
  });
});

describe('an abandoned request: the client stopped waiting without cancelling it (race 6)', () => {
  const slug = 'check-input-required-outstanding--py-ts--http';
  // The Python client's read timeout gives up the first tasks/result after 300 ms and sends a
  // second one; the server answers both once the task completes.
  const firstResult = (run: string) => {
    const events = trace(run, slug);
    const first = messages(events).find((e) => e.msg.method === 'tasks/result')!;
    const answered = messages(events).some((e) => e.dir === 's2c' && e.msg.id === first.msg.id && e.msg.result !== undefined);
    const cut = events.some(
      (e) =>
        e.kind === 'http' &&
        e.event === 'stream-close' &&
        e.http.exchange === first.http?.exchange &&
        /client closed/.test(String(e.detail)),
    );
    return { answered, cut };
  };

  it('its response against its stream cut before the response is no difference', () => {
    expect(firstResult('run20')).toEqual({ answered: true, cut: false });
    expect(firstResult('run21')).toEqual({ answered: false, cut: true });
    expect(lines(diff(trace('run20', slug), trace('run21', slug)))).toEqual([]);
    expect(lines(diff(trace('run21', slug), trace('run20', slug)))).toEqual([]);
  });

  it('is still a difference when both sides were answered differently', () => {
    const a = trace('run20', slug);
    const b = trace('run20', slug);
    const first = messages(b).find((e) => e.msg.method === 'tasks/result')!;
    const response = messages(b).find((e) => e.dir === 's2c' && e.msg.id === first.msg.id)!;
    (response.msg.result as { content: { text: string }[] }).content[0]!.text = 'Hello, Bob!';
    expect(lines(diff(a, b))).toEqual(['▶ tasks/result #1 → result.content[0].text: "Hello, Ada!" on A, "Hello, Bob!" on B']);
  });

  it('is a difference when only one side gave it up (sent no second tasks/result while it was open)', () => {
    const a = trace('run20', slug);
    const b = trace('run21', slug);
    const results = messages(b).filter((e) => e.dir === 'c2s' && e.msg.method === 'tasks/result');
    expect(results).toHaveLength(2);
    // On B the second tasks/result is a different method: the first is then no longer abandoned.
    results[1]!.msg.method = 'tasks/get';
    expect(lines(diff(a, b)).some((l) => l.includes('tasks/result #1 → via.cut'))).toBe(true);
  });
});

describe('a cancelled request named by its id, whose number moves with the polls before it', () => {
  const slug = 'check-input-required-outstanding--ts-ts--http';
  const cancelled = (run: string) =>
    messages(trace(run, slug))
      .filter((e) => e.msg.method === 'notifications/cancelled')
      .map((e) => (e.msg.params as { requestId: unknown }).requestId);

  it('names the request it cancels as the unit it is, so a different poll count before it is no difference', () => {
    // run20 polled once more before the first tasks/result (id 4 against id 3).
    expect(cancelled('run20')).toEqual([4]);
    expect(cancelled('run21')).toEqual([3]);
    expect(lines(diff(trace('run20', slug), trace('run21', slug)))).toEqual([]);
  });

  it('is a difference when it names another request', () => {
    const b = trace('run21', slug);
    const cancel = messages(b).find((e) => e.msg.method === 'notifications/cancelled')!;
    const call = messages(b).find((e) => e.dir === 'c2s' && e.msg.method === 'tools/call')!;
    (cancel.msg.params as { requestId: unknown }).requestId = call.msg.id;
    expect(lines(diff(trace('run20', slug), b))).toEqual([
      '▶ notifications/cancelled #1 → params.requestId: "tasks/result (task1) #1" on A, "tools/call #1" on B',
    ]);
  });
});

describe('two sessions closing at once (HTTP)', () => {
  const slug = 'sessions-foreign-cursor--raw-ts--http';
  const deletes = (run: string) =>
    trace(run, slug)
      .filter((e) => e.kind === 'http' && e.event === 'request' && e.http.method === 'DELETE')
      .map((e) => (e.kind === 'http' ? e.http.sessionId : undefined));
  const firstSession = (run: string) => {
    for (const e of trace(run, slug)) if (e.kind !== 'process' && e.http?.sessionId !== undefined) return e.http.sessionId;
    return undefined;
  };

  it('their DELETEs arriving in either order is no difference: each is numbered within its session', () => {
    // run23 closed the first session first; run24 the second.
    expect(deletes('run23')[0]).toBe(firstSession('run23'));
    expect(deletes('run24')[0]).not.toBe(firstSession('run24'));
    expect(lines(diff(trace('run23', slug), trace('run24', slug)))).toEqual([]);
  });

  it('a session that was not closed is still a difference', () => {
    const b = trace('run24', slug);
    const close = b.find((e) => e.kind === 'http' && e.event === 'request' && e.http.method === 'DELETE')!;
    const exchange = close.kind === 'http' ? close.http.exchange : -1;
    const without = b.filter((e) => e.kind === 'process' || e.http?.exchange !== exchange);
    expect(lines(diff(trace('run23', slug), without))).toEqual([expect.stringMatching(/^▶ DELETE session\d #1: missing on B/)]);
  });
});

describe('a GET stream the client gave up before it opened (HTTP, race 8)', () => {
  // Seen once in a 10-run soak (required-tool-without-task py→ts-mcp): the Python client's
  // conversation ended before the server answered its background GET, so the proxy recorded the
  // GET request and the client's hang-up, no status. The run's trace is gone; this derives it from
  // a recorded run as the proxy writes it (src/record/http-proxy.ts, the response's 'close').
  const slug = 'required-tool-without-task--py-py--http';
  const hungUp = (status?: number) => {
    const events = trace('run1', slug);
    const get = events.find((e) => e.kind === 'http' && e.event === 'request' && e.http.method === 'GET')!;
    const exchange = get.kind === 'http' ? get.http.exchange : -1;
    const onGet = (e: TraceEvent) => e.kind !== 'process' && e.http?.exchange === exchange && e.dir === 's2c';
    const at = events.findIndex(onGet);
    const close: TraceEvent = {
      seq: 0,
      t: 0,
      kind: 'http',
      dir: 's2c',
      event: 'stream-close',
      http: { exchange, method: 'GET', path: '/mcp', ...(status !== undefined ? { status } : {}) },
      detail: 'client closed the connection before the response ended',
    };
    const out = events.filter((e) => !onGet(e));
    out.splice(at, 0, close);
    return resequence(out);
  };

  it('against a GET that opened is no difference, either way round', () => {
    const unopened = normalise(hungUp()).steps.find((s) => s.http === 'GET#1');
    expect(unopened).toMatchObject({ via: { cut: 'client closed the connection before the response ended' } });
    expect(unopened?.status).toBeUndefined();
    expect(lines(diff(trace('run1', slug), hungUp()))).toEqual([]);
    expect(lines(diff(hungUp(), trace('run2', slug)))).toEqual([]);
  });

  it('a GET the server refused, or one cut after it answered, is still a difference', () => {
    const refused = trace('run1', slug);
    for (const e of refused) if (e.kind !== 'process' && e.http?.method === 'GET' && e.http.status === 200) e.http.status = 405;
    expect(lines(diff(hungUp(), refused))).toEqual([
      '▶ GET #1 → via: missing on B (A: {"cut":"client closed the connection before the response ended"})',
      'GET #1 → status: extra on B (405)',
    ]);
    // Cut once the server had answered (status 200 recorded): only a GET nobody answered is the race.
    expect(normalise(hungUp(200)).steps.find((s) => s.http === 'GET#1')?.via?.cut).toBeUndefined();
  });
});
