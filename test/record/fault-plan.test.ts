/**
 * The pure parts of fault injection: which fault applies to which message (nth counted per
 * fault, responses matched by their request's method), ordered delayed release, SSE block
 * splitting, and the teardown settle.
 */
import { describe, expect, it } from 'vitest';
import { monoMs } from '../../src/record/clock.js';
import { FaultPlan, MessageTracker } from '../../src/record/fault-plan.js';
import { ReleaseQueue } from '../../src/record/release-queue.js';
import { Settler } from '../../src/record/settle.js';
import { SseBlockSplitter } from '../../src/record/sse-blocks.js';
import { Fault } from '../../src/vocabulary/scenario.js';

const faults = (...items: unknown[]) => items.map((f) => Fault.parse(f));
const get = (id: number) => ({ jsonrpc: '2.0', id, method: 'tasks/get', params: { taskId: 't1' } });
const answer = (id: number, result: unknown = { taskId: 't1', status: 'working' }) => ({ jsonrpc: '2.0', id, result });
const stdio = { transport: 'stdio' as const };

describe('MessageTracker', () => {
  it('gives a response the method of the request it answers, by direction and id', () => {
    const t = new MessageTracker();
    t.info('c2s', get(1));
    t.info('s2c', { jsonrpc: '2.0', id: 1, method: 'elicitation/create', params: {} }); // same id, other direction
    expect(t.info('s2c', answer(1))).toMatchObject({ type: 'response', method: 'tasks/get', id: 1 });
    expect(t.info('c2s', answer(1, {}))).toMatchObject({ type: 'response', method: 'elicitation/create' });
  });

  it('leaves the method unknown for a response to nothing, and keeps scopes (sessions) apart', () => {
    const t = new MessageTracker();
    t.info('c2s', get(1), 'session-a');
    expect(t.info('s2c', answer(1), 'session-b')?.method).toBeUndefined();
    expect(t.info('s2c', answer(1), 'session-a')?.method).toBe('tasks/get');
    expect(t.info('s2c', answer(1), 'session-a')?.method).toBeUndefined(); // answered once only
    expect(t.info('s2c', { jsonrpc: '2.0' })).toBeUndefined();
  });
});

describe('FaultPlan', () => {
  it('applies a fault with nth only to that match of its own, counting each fault separately', () => {
    const plan = new FaultPlan(
      faults({ drop: { method: 'tasks/get', type: 'response', nth: 2 } }, { delay: 100, match: { method: 'tasks/get' } }),
    );
    const t = new MessageTracker();
    const kinds = [1, 2, 3].map((id) => {
      t.info('c2s', get(id));
      return plan.evaluate(t.info('s2c', answer(id))!, stdio).map((h) => `${h.fault.kind}#${h.count}`);
    });
    expect(kinds).toEqual([['delay#1'], ['drop#2', 'delay#2'], ['delay#3']]);
    // The delay fault matches requests too: evaluated, a request counts toward its nth as well.
    expect(plan.evaluate(t.info('c2s', get(5))!, stdio).map((h) => `${h.fault.kind}#${h.count}`)).toEqual(['delay#4']);
  });

  it('does not apply when a field differs (method, type, direction)', () => {
    const plan = new FaultPlan(faults({ drop: { method: 'tasks/get', type: 'response', direction: 's2c' } }));
    const t = new MessageTracker();
    expect(plan.evaluate(t.info('c2s', get(1))!, stdio)).toEqual([]); // a request
    expect(plan.evaluate(t.info('s2c', { jsonrpc: '2.0', method: 'notifications/tasks/status', params: {} })!, stdio)).toEqual([]);
    expect(plan.evaluate(t.info('s2c', answer(1))!, stdio)).toHaveLength(1);
  });

  it('counts HTTP-only faults only where they can act', () => {
    const plan = new FaultPlan(faults({ cutStream: { method: 'tasks/result' } }, { moveToGetStream: { method: 'elicitation/create' } }));
    const t = new MessageTracker();
    const result = t.info('c2s', { jsonrpc: '2.0', id: 4, method: 'tasks/result', params: { taskId: 't1' } })!;
    const elicit = t.info('s2c', { jsonrpc: '2.0', id: 0, method: 'elicitation/create', params: {} })!;
    expect(plan.evaluate(result, stdio)).toEqual([]);
    expect(plan.evaluate(result, { transport: 'http', stream: 'request' }).map((h) => h.fault.kind)).toEqual(['cutStream']);
    expect(plan.evaluate(elicit, { transport: 'http', stream: 'get-sse' })).toEqual([]); // already on the GET stream
    expect(plan.evaluate(elicit, { transport: 'http', stream: 'post-sse' }).map((h) => h.fault.kind)).toEqual(['moveToGetStream']);
  });
});

describe('ReleaseQueue', () => {
  it('runs an item due now at once, and keeps order behind a delayed one', async () => {
    const q = new ReleaseQueue();
    const seen: string[] = [];
    q.push(0, () => seen.push('a'));
    expect(seen).toEqual(['a']); // synchronous when nothing is held
    const t0 = monoMs();
    let heldAt = 0;
    q.push(80, () => {
      heldAt = monoMs();
      seen.push('held');
    });
    q.push(0, () => seen.push('after'));
    expect(seen).toEqual(['a']);
    await q.drained();
    expect(seen).toEqual(['a', 'held', 'after']);
    expect(heldAt - t0).toBeGreaterThanOrEqual(75);
  });

  it('flush runs what is held at once', () => {
    const q = new ReleaseQueue();
    const seen: string[] = [];
    q.push(10_000, () => seen.push('late'));
    q.flush();
    expect(seen).toEqual(['late']);
  });
});

describe('SseBlockSplitter', () => {
  it('cuts at blank lines with any line ending, across chunks, and keeps the bytes', () => {
    const s = new SseBlockSplitter();
    const text = 'event: message\ndata: {"a":1}\n\n: keep-alive\n\ndata: x\r\n\r\ndata: y\r\rid: 7\ndata: z';
    const blocks: string[] = [];
    for (const ch of text) blocks.push(...s.push(ch)); // one character at a time: the worst split
    const rest = s.flush();
    expect(blocks).toEqual(['event: message\ndata: {"a":1}\n\n', ': keep-alive\n\n', 'data: x\r\n\r\n', 'data: y\r\r']);
    expect(rest).toBe('id: 7\ndata: z');
    expect(blocks.join('') + rest).toBe(text);
  });

  it('does not end a block at a single line ending', () => {
    const s = new SseBlockSplitter();
    expect(s.push('data: a\ndata: b\n')).toEqual([]);
    expect(s.push('\n')).toEqual(['data: a\ndata: b\n\n']);
  });
});

describe('Settler', () => {
  const created = (taskId: string, status = 'working') => ({ jsonrpc: '2.0', id: 1, result: { task: { taskId, status } } });

  it('waits for the quiet period when no task is open', async () => {
    const s = new Settler({ quietMs: 60, maxMs: 1000 });
    s.touch();
    const r = await s.settled();
    expect(r.open).toEqual([]);
    expect(r.waitedMs).toBeGreaterThanOrEqual(55);
    expect(r.waitedMs).toBeLessThan(900);
  });

  it('waits while a task is open until a terminal status shows, then the quiet period', async () => {
    const s = new Settler({ quietMs: 30, maxMs: 2000 });
    const t = new MessageTracker();
    t.info('c2s', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { task: {} } });
    s.observe(t.info('s2c', created('t1'))!);
    setTimeout(
      () =>
        s.observe(t.info('s2c', { jsonrpc: '2.0', method: 'notifications/tasks/status', params: { taskId: 't1', status: 'completed' } })!),
      150,
    );
    const r = await s.settled();
    expect(r.open).toEqual([]);
    expect(r.waitedMs).toBeGreaterThanOrEqual(170);
  });

  it('gives up at maxMs and names the task still open', async () => {
    const s = new Settler({ quietMs: 10, maxMs: 120 });
    const t = new MessageTracker();
    t.info('c2s', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { task: {} } });
    s.observe(t.info('s2c', created('t9'))!);
    const r = await s.settled();
    expect(r.open).toEqual(['t9']);
    expect(r.waitedMs).toBeGreaterThanOrEqual(115);
  });

  it('waits for an unanswered client request', async () => {
    const s = new Settler({ quietMs: 10, maxMs: 2000 });
    const t = new MessageTracker();
    s.observe(t.info('c2s', { jsonrpc: '2.0', id: 1, method: 'tools/list' })!);
    setTimeout(() => s.observe(t.info('s2c', { jsonrpc: '2.0', id: 1, result: { tools: [] } })!), 120);
    const r = await s.settled();
    expect(r).toMatchObject({ open: [], unanswered: 0 });
    expect(r.waitedMs).toBeGreaterThanOrEqual(120);
  });

  it('counts an error about a task, or its tasks/result answer, as the end of it', () => {
    const s = new Settler({ quietMs: 0, maxMs: 0 });
    const t = new MessageTracker();
    t.info('c2s', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { task: {} } });
    s.observe(t.info('s2c', created('a'))!);
    t.info('c2s', { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { task: {} } });
    s.observe(t.info('s2c', { ...created('b'), id: 2 })!);
    t.info('c2s', { jsonrpc: '2.0', id: 3, method: 'tasks/get', params: { taskId: 'a' } });
    s.observe(t.info('s2c', { jsonrpc: '2.0', id: 3, error: { code: -32602, message: 'gone' } })!);
    t.info('c2s', { jsonrpc: '2.0', id: 4, method: 'tasks/result', params: { taskId: 'b' } });
    s.observe(t.info('s2c', { jsonrpc: '2.0', id: 4, result: { content: [] } })!);
    return expect(s.settled()).resolves.toMatchObject({ open: [] });
  });
});
