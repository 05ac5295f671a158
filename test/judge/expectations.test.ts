import { describe, expect, it } from 'vitest';
import { collapse, judgeExpectations } from '../../src/judge/expectations.js';
import { mismatch } from '../../src/judge/match.js';
import { validateScenario } from '../../src/scenario/load.js';
import type { ObservationRecord } from '../../src/vocabulary/observation.js';
import type { Scenario } from '../../src/vocabulary/scenario.js';
import type { TraceEvent } from '../../src/vocabulary/trace.js';

function scenario(steps: unknown[]): Scenario {
  const { scenario, problems } = validateScenario({
    id: 'x',
    title: 'x',
    spec: ['creating-tasks'],
    server: { tools: [{ name: 'greet', execution: { taskSupport: 'optional' }, actions: [{ sleep: 1 }] }] },
    client: { steps },
  });
  if (!scenario) throw new Error(problems.join('\n'));
  return scenario;
}

const step = (
  index: number,
  kind: string,
  fields: Record<string, unknown>,
  startedAt = index * 100,
  endedAt = index * 100 + 50,
): ObservationRecord => ({ type: 'step', index, kind, startedAt, endedAt, sent: [], ok: true, ...fields }) as ObservationRecord;

function judge(s: Scenario, obs: ObservationRecord[], trace: TraceEvent[] = []) {
  return judgeExpectations(
    s,
    obs,
    obs.map((_, i) => i),
    trace,
  );
}

describe('expectations', () => {
  const s = scenario(
    [
      { callTask: 'greet', ttl: 1000, as: 't', expect: { status: 'working', task: { ttl: 1000 } } },
      { poll: 't', expect: { statuses: ['working', 'completed'] } },
      { result: 't', expect: { content: [{ type: 'text', text: 'Hello, Ada!' }], isError: false, inputRequests: 1 } },
      { getTask: 't', wait: undefined, expect: { error: -32602 } },
      { listTasks: null, expect: { includes: ['t'] } },
    ].map((st) => Object.fromEntries(Object.entries(st).filter(([, v]) => v !== undefined))),
  );

  const good: ObservationRecord[] = [
    step(0, 'callTask', { taskId: 'abc', task: { taskId: 'abc', status: 'working', ttl: 1000 }, result: { task: { taskId: 'abc' } } }),
    step(1, 'poll', {
      taskId: 'abc',
      polls: [
        { at: 101, status: 'working' },
        { at: 120, status: 'working' },
        { at: 140, status: 'completed' },
      ],
      task: { status: 'completed' },
    }),
    { type: 'incoming', at: 210, method: 'elicitation/create', params: {}, answer: { action: 'accept' } },
    step(2, 'result', { result: { content: [{ type: 'text', text: 'Hello, Ada!', annotations: {} }] } }),
    step(3, 'getTask', { ok: false, error: { code: -32602, message: 'Task not found' } }),
    step(4, 'listTasks', { result: { tasks: [{ taskId: 'zzz' }, { taskId: 'abc' }] } }),
  ];

  it('passes when every expectation holds (extra fields in results are fine)', () => {
    const results = judge(s, good);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.map((r) => r.id)).toEqual([
      'expect:s1-callTask.ok',
      'expect:s1-callTask.status',
      'expect:s1-callTask.task',
      'expect:s2-poll.ok',
      'expect:s2-poll.statuses',
      'expect:s3-result.ok',
      'expect:s3-result.content',
      'expect:s3-result.isError',
      'expect:s3-result.inputRequests',
      'expect:s4-getTask.error',
      'expect:s5-listTasks.ok',
      'expect:s5-listTasks.includes',
    ]);
  });

  it('fails each expectation with what was expected and what came back', () => {
    const bad: ObservationRecord[] = [
      step(0, 'callTask', { taskId: 'abc', task: { taskId: 'abc', status: 'working' } }),
      step(1, 'poll', { polls: [{ at: 101, status: 'completed' }] }),
      step(2, 'result', { result: { content: [{ type: 'text', text: 'Hello, <missing:who.content.name>!' }], isError: true } }),
      step(3, 'getTask', { task: { status: 'completed' } }),
      step(4, 'listTasks', { result: { tasks: [] } }),
    ];
    const failed = Object.fromEntries(
      judge(s, bad)
        .filter((r) => !r.ok)
        .map((r) => [r.id, r.message]),
    );
    expect(failed).toEqual({
      'expect:s1-callTask.task': 'task.ttl: expected 1000, got nothing',
      'expect:s2-poll.statuses': 'statuses: expected 2 item(s), got 1: ["completed"]',
      'expect:s3-result.content':
        'content[0].text: expected "Hello, Ada!", got "Hello, <missing:who.content.name>!" — the scenario\'s template {{who.content.name}} names nothing the client supplied (no action keeps an answer as "who"): a mistake in the scenario, not an SDK defect',
      'expect:s3-result.isError': 'isError: expected false, got true',
      'expect:s3-result.inputRequests': 'expected 1 elicitation/sampling request(s) during the step, the client answered 0',
      'expect:s4-getTask.error': 'expected error -32602, but the step succeeded with nothing',
      'expect:s5-listTasks.includes': 'tasks/list lacks t (abc)',
    });
  });

  it('fails a step that errored without expecting it, blaming the server for wire errors and the client for local ones', () => {
    const s2 = scenario([{ callTask: 'greet', as: 't' }, { listTools: null }]);
    const results = judge(s2, [
      step(0, 'callTask', { ok: false, error: { code: -32601, message: 'Method not found' } }),
      step(1, 'listTools', { ok: false, error: { code: null, message: 'Request timed out', local: true } }),
    ]);
    expect(results.map((r) => [r.id, r.ok, r.blame])).toEqual([
      ['expect:s1-callTask.ok', false, 'server'],
      ['expect:s2-listTools.ok', false, 'client'],
    ]);
    expect(results[0]!.message).toBe('the step failed: error -32601: Method not found');
  });

  it('mayFail leaves the outcome of the step to the spec checks, but not its absence', () => {
    const s3 = scenario([
      { callTask: 'greet', expect: { mayFail: true } },
      { listTools: null, expect: { mayFail: true } },
    ]);
    const results = judge(s3, [step(0, 'callTask', { ok: false, error: { code: -32601, message: 'Method not found' } })]);
    expect(results.map((r) => [r.id, r.ok])).toEqual([['expect:s2-listTools.ok', false]]);
  });

  it('fails every step the driver never reached', () => {
    const results = judge(s, good.slice(0, 1));
    expect(results.filter((r) => !r.ok).map((r) => r.id)).toEqual([
      'expect:s2-poll.ok',
      'expect:s3-result.ok',
      'expect:s4-getTask.error',
      'expect:s5-listTasks.ok',
    ]);
    expect(results.find((r) => r.id === 'expect:s2-poll.ok')!.message).toMatch(/stopped before this step/);
  });

  it('points at the observation line and the trace events of the step', () => {
    const trace: TraceEvent[] = [
      { seq: 0, t: 10, kind: 'message', dir: 'c2s', transport: 'stdio', msg: { jsonrpc: '2.0', id: 1, method: 'tools/call' } },
      { seq: 1, t: 300, kind: 'message', dir: 'c2s', transport: 'stdio', msg: { jsonrpc: '2.0', id: 2, method: 'tasks/get' } },
    ];
    const r = judge(s, good, trace).find((x) => x.id === 'expect:s1-callTask.status')!;
    expect(r.evidence).toEqual({ observations: [0], trace: [0] });
  });
});

describe('matching helpers', () => {
  it('collapse keeps order and drops repeats', () => {
    expect(collapse(['working', 'working', 'input_required', 'working', 'completed', 'completed'])).toEqual([
      'working',
      'input_required',
      'working',
      'completed',
    ]);
  });
  it('mismatch is partial on objects and exact on array length and primitives', () => {
    expect(mismatch({ a: 1 }, { a: 1, b: 2 })).toBeUndefined();
    expect(mismatch([{ a: 1 }], [{ a: 1 }, { a: 2 }], 'x')).toBe('x: expected 1 item(s), got 2: [{"a":1},{"a":2}]');
    expect(mismatch({ a: { b: 'x' } }, { a: { b: 'y' } })).toBe('a.b: expected "x", got "y"');
    expect(mismatch(1, '1')).toBe('(value): expected 1, got "1"');
  });
});

describe('expectations for the extended vocabulary', () => {
  const listing = (ids: string[]) => ({ tasks: ids.map((taskId) => ({ taskId })) });

  const s = scenario([
    { callTask: 'greet', repeat: 3, as: 'many' },
    { callTask: 'greet', as: 'other', session: undefined },
    { listTasks: null, all: true, expect: { includes: ['many'], excludes: ['other'], count: 3 } },
    { awaitTask: 'greet', as: 'a', expect: { statuses: ['working', 'completed'], created: true, status: 'completed' } },
    { send: 'tasks/get', params: { taskId: '{{a}}' }, expect: { result: { status: 'completed' } } },
    { sendRaw: '{"jsonrpc":"2.0","id":9,' },
  ]);
  const created = (index: number, fields: Record<string, unknown>) => step(index, 'callTask', fields);
  const good: ObservationRecord[] = [
    created(0, { taskIds: ['m1', 'm2', 'm3'], taskId: 'm3' }),
    created(1, { taskId: 'o1' }),
    step(2, 'listTasks', {
      result: listing(['m1', 'm2', 'm3']),
      pages: [{ result: { ...listing(['m1', 'm2']), nextCursor: 'c' } }, { cursor: 'c', result: listing(['m3']) }],
    }),
    step(3, 'awaitTask', {
      taskId: 'a1',
      created: true,
      polledBy: 'sdk',
      task: { taskId: 'a1', status: 'completed' },
      polls: [
        { at: 301, status: 'working' },
        { at: 320, status: 'working' },
        { at: 340, status: 'completed' },
      ],
    }),
    step(4, 'send', { result: { taskId: 'a1', status: 'completed', ttl: 1000 } }),
    step(5, 'sendRaw', { ok: false, error: { code: -32700, message: 'Parse error' } }),
  ];

  it('passes every key when the observations agree; sendRaw has the implicit .ok like any step', () => {
    const results = judge(s, good);
    expect(results.filter((r) => !r.ok).map((r) => r.id)).toEqual(['expect:s6-sendRaw.ok']);
    expect(results.map((r) => r.id)).toEqual([
      'expect:s1-callTask.ok',
      'expect:s2-callTask.ok',
      'expect:s3-listTasks.ok',
      'expect:s3-listTasks.includes',
      'expect:s3-listTasks.excludes',
      'expect:s3-listTasks.count',
      'expect:s4-awaitTask.ok',
      'expect:s4-awaitTask.status',
      'expect:s4-awaitTask.statuses',
      'expect:s4-awaitTask.created',
      'expect:s5-send.ok',
      'expect:s5-send.result',
      'expect:s6-sendRaw.ok',
    ]);
  });

  it('fails each key with what was expected and what came back', () => {
    const bad: ObservationRecord[] = [
      created(0, { taskIds: ['m1', 'm2', 'm3'] }),
      created(1, { taskId: 'o1' }),
      // Union over the pages: m3 is missing, the other session's o1 shows up, 3 entries in all.
      step(2, 'listTasks', {
        result: listing(['m1', 'm2', 'o1']),
        pages: [{ result: { ...listing(['m1', 'm2']), nextCursor: 'c' } }, { cursor: 'c', result: listing(['o1', 'o1']) }],
      }),
      step(3, 'awaitTask', { taskId: 'a1', created: false, polls: [{ at: 301, status: 'completed' }], task: { status: 'completed' } }),
      step(4, 'send', { result: { taskId: 'a1', status: 'working' } }),
      step(5, 'sendRaw', { ok: false, error: { code: -32700, message: 'Parse error' } }),
    ];
    const failed = Object.fromEntries(
      judge(s, bad)
        .filter((r) => !r.ok)
        .map((r) => [r.id, r.message]),
    );
    expect(failed).toEqual({
      'expect:s3-listTasks.includes': 'tasks/list (2 pages) lacks many (m3)',
      'expect:s3-listTasks.excludes': 'tasks/list (2 pages) includes other (o1)',
      'expect:s3-listTasks.count': 'expected 3 listed task(s) (2 pages), got 4',
      'expect:s4-awaitTask.statuses': 'statuses: expected 2 item(s), got 1: ["completed"]',
      'expect:s4-awaitTask.created': 'created: expected true, got false',
      'expect:s5-send.result': 'result.status: expected "completed", got "working"',
      'expect:s6-sendRaw.ok': 'the step failed: error -32700: Parse error',
    });
  });

  it('judges includes over the single result when the step has no pages', () => {
    const s2 = scenario([
      { callTask: 'greet', as: 't' },
      { listTasks: null, expect: { includes: ['t'], count: 1 } },
    ]);
    const results = judge(s2, [created(0, { taskId: 'x' }), step(1, 'listTasks', { result: listing(['x']) })]);
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });

  it('blames the harness when the driver did not record `created`', () => {
    const s3 = scenario([{ awaitTask: 'greet', expect: { created: true } }]);
    const r = judge(s3, [step(0, 'awaitTask', { taskId: 'a' })]).find((x) => x.id.endsWith('.created'))!;
    expect([r.ok, r.blame]).toEqual([false, 'harness']);
  });
});

describe('failures the scenario caused blame the scenario', () => {
  it('an alias whose step ended as allowed without a task id: the later step blames the scenario', () => {
    const s = scenario([
      { callTask: 'greet', as: 't', expect: { error: -32601 } },
      { getTask: 't' },
      { listTasks: null, expect: { excludes: ['t'] } },
    ]);
    const results = judge(s, [
      step(0, 'callTask', { ok: false, error: { code: -32601, message: 'Method not found' } }),
      step(1, 'getTask', { ok: false, error: { code: null, message: 'task alias "t" has no task id', local: true } }),
      step(2, 'listTasks', { result: { tasks: [] } }),
    ]);
    const failed = results.filter((r) => !r.ok).map((r) => [r.id, r.blame]);
    expect(failed).toEqual([
      ['expect:s2-getTask.ok', 'scenario'],
      ['expect:s3-listTasks.excludes', 'scenario'],
    ]);
    expect(results.find((r) => r.id === 'expect:s2-getTask.ok')!.message).toMatch(
      /alias "t" never got a task id: s1-callTask ended as the scenario allows/,
    );
  });

  it('an alias whose step failed unexpectedly: the later step blames what the first failure blamed', () => {
    const s = scenario([{ callTask: 'greet', as: 't' }, { poll: 't' }]);
    const results = judge(s, [
      step(0, 'callTask', { ok: false, error: { code: -32603, message: 'Internal error' } }),
      step(1, 'poll', { ok: false, error: { code: null, message: 'task alias "t" has no task id', local: true } }),
    ]);
    expect(results.map((r) => [r.id, r.ok, r.blame])).toEqual([
      ['expect:s1-callTask.ok', false, 'server'],
      ['expect:s2-poll.ok', false, 'server'],
    ]);
    expect(results[1]!.message).toMatch(/because expect:s1-callTask.ok failed/);
  });

  const withElicit = (steps: unknown[]) => {
    const { scenario: sc, problems } = validateScenario({
      id: 'x',
      title: 'x',
      spec: ['input-required-status'],
      server: {
        tools: [
          {
            name: 'greet',
            execution: { taskSupport: 'optional' },
            actions: [
              { elicit: 'Name?', requestedSchema: { type: 'object' }, as: 'who' },
              { complete: [{ type: 'text', text: 'Hello, {{who.content.nme}}!' }] },
            ],
          },
        ],
      },
      client: { elicitation: [{ action: 'accept', content: { name: 'Ada' } }], steps },
    });
    if (!sc) throw new Error(problems.join('\n'));
    return sc;
  };
  const missing = { result: { content: [{ type: 'text', text: 'Hello, <missing:who.content.nme>!' }] } };

  it('a template naming a field no answer has (a typo) blames the scenario', () => {
    const s = withElicit([{ callTool: 'greet', expect: { content: [{ type: 'text', text: 'Hello, Ada!' }] } }]);
    const r = judge(s, [
      { type: 'incoming', at: 10, method: 'elicitation/create', params: {}, answer: { action: 'accept', content: { name: 'Ada' } } },
      step(0, 'callTool', missing),
    ]).find((x) => x.id.endsWith('.content'))!;
    expect([r.ok, r.blame]).toEqual([false, 'scenario']);
    expect(r.message).toMatch(
      /\{\{who\.content\.nme\}\} names nothing the client supplied \(the client's answer \{"action":"accept","content":\{"name":"Ada"\}\}\)/,
    );
  });

  it('a template the client did supply, rendered missing anyway, keeps blaming the server', () => {
    const s = withElicit([{ callTool: 'greet', expect: { content: [{ type: 'text', text: 'Hello, Ada!' }] } }]);
    const r = judge(s, [
      { type: 'incoming', at: 10, method: 'elicitation/create', params: {}, answer: { action: 'accept', content: { nme: 'Ada' } } },
      step(0, 'callTool', missing),
    ]).find((x) => x.id.endsWith('.content'))!;
    expect([r.ok, r.blame]).toEqual([false, 'server']);
    expect(r.message).not.toMatch(/scenario/);
  });
});

describe('a send template naming a value an earlier step never recorded', () => {
  const s = scenario([
    { callTask: 'greet', repeat: 2, as: 'many' },
    { listTasks: null, name: 'page1' },
    { send: 'tasks/list', params: { cursor: '{{page1.nextCursor}}' }, expect: { error: -32602 } },
  ]);
  const local = {
    ok: false,
    error: { code: null, message: '{{page1.nextCursor}}: the result of step "page1" has no nextCursor', local: true },
  };

  it('blames the scenario when the step succeeded without that value (one page, no nextCursor)', () => {
    const results = judge(s, [
      step(0, 'callTask', { taskIds: ['a', 'b'] }),
      step(1, 'listTasks', { result: { tasks: [] } }),
      step(2, 'send', local),
    ]);
    const r = results.find((x) => x.id === 'expect:s3-send.error')!;
    expect([r.ok, r.blame]).toEqual([false, 'scenario']);
    expect(r.message).toMatch(/names nothing step page1 recorded \(its result has no nextCursor\)/);
  });

  it('carries the blame of the step that failed to record it', () => {
    const results = judge(s, [
      step(0, 'callTask', { taskIds: ['a', 'b'] }),
      step(1, 'listTasks', { ok: false, error: { code: -32603, message: 'boom' } }),
      step(2, 'send', local),
    ]);
    const r = results.find((x) => x.id === 'expect:s3-send.error')!;
    expect([r.ok, r.blame]).toEqual([false, 'server']);
    expect(r.message).toMatch(/because expect:page1.ok failed/);
  });
});
