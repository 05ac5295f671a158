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
      'expect:s3-result.content': 'content[0].text: expected "Hello, Ada!", got "Hello, <missing:who.content.name>!"',
      'expect:s3-result.isError': 'isError: expected false, got true',
      'expect:s3-result.inputRequests': 'expected 1 elicitation/sampling request(s) during the step, the client answered 0',
      'expect:s4-getTask.error': 'expected error -32602, but the step succeeded with nothing',
      'expect:s5-listTasks.includes': 'tasks/list lacks t (abc)',
    });
  });

  it('fails a step that errored without expecting it, blaming the server for wire errors and the client for local ones', () => {
    const s2 = scenario([{ callTask: 'greet', as: 't' }, { poll: 't' }]);
    const results = judge(s2, [
      step(0, 'callTask', { ok: false, error: { code: -32601, message: 'Method not found' } }),
      step(1, 'poll', { ok: false, error: { code: null, message: 'alias t has no task id', local: true } }),
    ]);
    expect(results.map((r) => [r.id, r.ok, r.blame])).toEqual([
      ['expect:s1-callTask.ok', false, 'server'],
      ['expect:s2-poll.ok', false, 'client'],
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
