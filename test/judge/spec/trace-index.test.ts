import { describe, expect, it } from 'vitest';
import { defineCheck } from '../../../src/judge/spec/define.js';
import { runCheck } from '../../../src/judge/spec/index.js';
import {
  buildIndex,
  capabilitiesOf,
  declaresTaskRequest,
  entriesBetween,
  happensBefore,
  indexOf,
  relatedTaskId,
  toolAt,
  ttlBefore,
} from '../../../src/judge/trace-index.js';
import { cell, meta, NO_TASKS_SERVER_CAPS, Trace, TS_ID, TS_SERVER_CAPS, task } from './builders.js';

describe('pairing requests with responses', () => {
  it('pairs by direction: client id 0 and server id 0 do not meet', () => {
    const tr = new Trace();
    tr.init();
    const elicit = tr.req('s2c', 0, 'elicitation/create', {
      mode: 'form',
      message: 'x',
      requestedSchema: { type: 'object', properties: {} },
    });
    const answer = tr.ok('c2s', 0, { action: 'accept', content: {} });
    const index = buildIndex(tr.events, 'stdio');
    const init = index.requests.find((r) => r.method === 'initialize')!;
    const el = index.requests.find((r) => r.method === 'elicitation/create')!;
    expect(init.response?.seq).toBe(1);
    expect(el.seq).toBe(elicit);
    expect(el.response?.seq).toBe(answer);
    expect(el.sender).toBe('server');
    expect(el.response?.sender).toBe('client');
  });

  it('pairs a reused id with the request still open', () => {
    const tr = new Trace();
    tr.req('c2s', 7, 'tasks/list', {});
    const first = tr.ok('s2c', 7, { tasks: [] });
    tr.req('c2s', 7, 'tasks/list', {});
    const second = tr.ok('s2c', 7, { tasks: [] });
    const lists = buildIndex(tr.events, 'stdio').requests;
    expect(lists.map((r) => r.response?.seq)).toEqual([first, second]);
  });

  it('skips non-message events but remembers the last time', () => {
    const tr = new Trace();
    tr.init();
    tr.events.push({
      seq: tr.events.length,
      t: 9999,
      kind: 'raw',
      dir: 's2c',
      transport: 'stdio',
      raw: 'WARNING:root:x',
      error: 'Unexpected token',
    });
    const index = buildIndex(tr.events, 'stdio');
    expect(index.entries).toHaveLength(3);
    expect(index.last.t).toBe(9999);
  });
});

describe('tasks and their timeline', () => {
  it('creates a task only from a CreateTaskResult to a task-augmented request', () => {
    const tr = new Trace();
    tr.init();
    tr.req('c2s', 1, 'tools/call', { name: 'greet', arguments: {} });
    tr.ok('s2c', 1, { content: [], structuredContent: { task: 'not a task' } });
    const c = tr.createTask(2);
    tr.get(3, task({ status: 'completed' }));
    tr.req('c2s', 4, 'tasks/list', {});
    tr.ok('s2c', 4, { tasks: [task({ status: 'completed' })] });
    tr.note('s2c', 'notifications/tasks/status', task({ status: 'completed' }));
    const index = buildIndex(tr.events, 'stdio');
    expect([...index.tasks.keys()]).toEqual([`server:${TS_ID}`]);
    const rec = index.tasks.get(`server:${TS_ID}`)!;
    expect(rec.created?.response.seq).toBe(c.res);
    expect(rec.snapshots.map((s) => [s.source, s.status])).toEqual([
      ['create', 'working'],
      ['get', 'completed'],
      ['list', 'completed'],
      ['notification', 'completed'],
    ]);
    expect(ttlBefore(rec, 1000)).toBe(30000);
  });

  it('owns a client-side task by the client', () => {
    const tr = new Trace();
    tr.req('s2c', 0, 'sampling/createMessage', { messages: [], maxTokens: 10, task: { ttl: 1000 } });
    tr.ok('c2s', 0, { task: task() });
    expect([...buildIndex(tr.events, 'stdio').tasks.keys()]).toEqual([`client:${TS_ID}`]);
  });

  it('reads related-task metadata', () => {
    expect(relatedTaskId(meta(TS_ID))).toBe(TS_ID);
    expect(relatedTaskId({ _meta: { 'io.modelcontextprotocol/related-task': { taskId: 3 } } })).toBeUndefined();
    expect(relatedTaskId({})).toBeUndefined();
  });
});

describe('capabilities and tools', () => {
  it('uses the latest initialize before a message', () => {
    const tr = new Trace();
    tr.init(NO_TASKS_SERVER_CAPS);
    const mid = tr.req('c2s', 1, 'tools/list', {});
    tr.init(TS_SERVER_CAPS);
    const late = tr.req('c2s', 2, 'tools/list', {});
    const index = buildIndex(tr.events, 'http');
    expect(declaresTaskRequest(capabilitiesOf(index, 'server', mid), 'tools/call')).toBe(false);
    expect(declaresTaskRequest(capabilitiesOf(index, 'server', late), 'tools/call')).toBe(true);
    expect(declaresTaskRequest(TS_SERVER_CAPS, 'sampling/createMessage')).toBe(false);
  });

  it('finds a tool in the latest listing before a call, else the first after it', () => {
    const tr = new Trace();
    const early = tr.listTools(1, [{ name: 'greet', taskSupport: 'forbidden' }]);
    const call = tr.req('c2s', 2, 'tools/call', { name: 'greet' });
    tr.listTools(3, [{ name: 'greet', taskSupport: 'optional' }]);
    const index = buildIndex(tr.events, 'stdio');
    expect(toolAt(index, 'greet', call)).toMatchObject({ taskSupport: 'forbidden', seq: early });
    expect(toolAt(index, 'greet', 0)).toMatchObject({ taskSupport: 'forbidden' });
    expect(toolAt(index, 'other', call)).toBeUndefined();
  });
});

describe('happensBefore', () => {
  it('orders stdio by seq, HTTP only by stream or causality', () => {
    const tr = new Trace('http');
    const get = tr.exchange();
    const post = tr.exchange();
    const note = tr.note('s2c', 'notifications/tasks/status', task(), { exchange: get, stream: 'get-sse' });
    tr.req('c2s', 1, 'tasks/get', { taskId: TS_ID }, { exchange: post, stream: 'request' });
    tr.ok('s2c', 1, task(), { exchange: post, stream: 'json' });
    const index = buildIndex(tr.events, 'http');
    const [n] = index.notifications;
    const res = index.responses[0]!;
    expect(n!.seq).toBe(note);
    expect(happensBefore(index, n!, res)).toBe(true); // asked after the notification was seen
    expect(happensBefore(index, res, n!)).toBe(false);
    const early = buildIndex(
      tr.events.map((e) => (e.seq === 1 ? { ...e, seq: -1 } : e)),
      'http',
    );
    expect(happensBefore(early, early.notifications[0]!, early.responses[0]!)).toBe(false); // asked before: unordered
    expect(happensBefore(buildIndex(tr.events, 'stdio'), { seq: 0 }, { seq: 2 })).toBe(true);
  });

  it('caches one index per trace', () => {
    const record = cell(new Trace());
    expect(indexOf(record)).toBe(indexOf(record));
  });
});

describe('runCheck', () => {
  it('turns a crashing check into a harness finding', () => {
    const boom = defineCheck({
      id: 'boom',
      requirements: ['id-string'],
      blame: 'server',
      run: () => {
        throw new Error('kaput');
      },
    });
    const result = runCheck(boom, cell(new Trace()));
    expect(result.outcome).toBe('fail');
    expect(result.findings[0]).toMatchObject({ id: 'check:boom', blame: 'harness', level: 'MUST', section: 'task-id-requirements' });
    expect(result.findings[0]!.message).toMatch(/kaput/);
  });
});

describe('entries between two seqs (binary search)', () => {
  it('returns exactly the entries strictly between them, in trace order', () => {
    const tr = new Trace();
    tr.init();
    const index = buildIndex(tr.events, 'stdio');
    const all = index.entries.map((e) => e.seq);
    expect(all.length).toBeGreaterThan(2);
    expect(entriesBetween(index, all[0]!, all.at(-1)!).map((e) => e.seq)).toEqual(all.slice(1, -1));
    expect(entriesBetween(index, -1, all.at(-1)! + 1).map((e) => e.seq)).toEqual(all);
    expect(entriesBetween(index, all[1]!, all[1]!)).toEqual([]);
    expect(entriesBetween(index, all.at(-1)!, all.at(-1)! + 100)).toEqual([]);
  });
});
