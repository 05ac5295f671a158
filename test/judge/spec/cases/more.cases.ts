/** Retention, listing, the requestor's side, HTTP specifics and the wire schemas. */
import type { StepRecord } from '../../../../src/vocabulary/observation.js';
import { cell, PY_ID, scenario, Trace, TS_ID, TS_ID_2, task } from '../builders.js';
import type { CheckCase } from './types.js';

/** create with ttl 400 at t≈1000, then tasks/get `afterMs` later answered by `answer`. */
function getAfter(afterMs: number, answer: (tr: Trace, id: number) => number) {
  const tr = new Trace();
  tr.init();
  const c = tr.createTask(1, task({ ttl: 400 }), { ttl: 400 });
  tr.wait(afterMs);
  const req = tr.req('c2s', 2, 'tasks/get', { taskId: TS_ID });
  const res = answer(tr, 2);
  return { tr, c, req, res };
}

/** Polls for one task at the given gaps (ms), each answered `working`. */
function polls(gaps: number[], pollInterval: number) {
  const tr = new Trace();
  tr.init();
  tr.createTask(1, task({ pollInterval }));
  const seqs: number[] = [];
  gaps.forEach((gap, i) => {
    tr.wait(gap);
    seqs.push(tr.get(2 + i, task({ pollInterval })).req);
  });
  return { tr, seqs };
}

function step(index: number, startedAt: number, endedAt: number): StepRecord {
  return { type: 'step', index, kind: 'getTask', startedAt, endedAt, sent: [], ok: true };
}

export const moreCases: CheckCase[] = [
  {
    check: 'expired-task-invalid-params',
    name: 'tasks/get after the ttl: -32602 Task not found',
    outcome: 'pass',
    build: () => ({ record: cell(getAfter(1000, (tr, id) => tr.err('s2c', id, -32602, `Task not found: ${TS_ID}`)).tr) }),
  },
  {
    check: 'expired-task-invalid-params',
    name: 'tasks/get after the ttl: -32603',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const f = getAfter(1000, (tr, id) => tr.err('s2c', id, -32603, 'Internal error'));
      return { record: cell(f.tr), evidence: [f.req, f.res] };
    },
  },

  {
    check: 'expired-task-cleaned-up',
    name: 'served within its ttl',
    outcome: 'pass',
    build: () => ({ record: cell(getAfter(300, (tr, id) => tr.ok('s2c', id, task({ ttl: 400, status: 'completed' }))).tr) }),
  },
  {
    check: 'expired-task-cleaned-up',
    name: 'still served 2 s after creation with ttl 400',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const f = getAfter(2000, (tr, id) => tr.ok('s2c', id, task({ ttl: 400, status: 'completed' })));
      return { record: cell(f.tr), evidence: [f.c.res, f.req, f.res] };
    },
  },

  {
    check: 'list-includes-retrievable',
    name: 'the listing includes the task',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      tr.req('c2s', 2, 'tasks/list', {});
      tr.ok('s2c', 2, { tasks: [task()] });
      tr.get(3, task());
      return { record: cell(tr) };
    },
  },
  {
    check: 'list-includes-retrievable',
    name: 'two pages following nextCursor',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      tr.createTask(2, task({ taskId: TS_ID_2 }));
      tr.req('c2s', 3, 'tasks/list', {});
      tr.ok('s2c', 3, { tasks: [task()], nextCursor: TS_ID });
      tr.req('c2s', 4, 'tasks/list', { cursor: TS_ID });
      tr.ok('s2c', 4, { tasks: [task({ taskId: TS_ID_2 })] });
      tr.get(5, task());
      tr.get(6, task({ taskId: TS_ID_2 }));
      return { record: cell(tr) };
    },
  },
  {
    check: 'list-includes-retrievable',
    name: 'Python stateless: an empty list while tasks/get still finds the task',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1, task({ taskId: PY_ID }));
      tr.req('c2s', 2, 'tasks/list', {});
      const list = tr.ok('s2c', 2, { tasks: [] });
      const g = tr.get(3, task({ taskId: PY_ID }));
      return { record: cell(tr), evidence: [list, g.res] };
    },
  },

  {
    check: 'cursor-opaque',
    name: 'the nextCursor passed back as is',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.req('c2s', 1, 'tasks/list', {});
      tr.ok('s2c', 1, { tasks: [task()], nextCursor: TS_ID });
      tr.req('c2s', 2, 'tasks/list', { cursor: TS_ID });
      tr.ok('s2c', 2, { tasks: [] });
      return { record: cell(tr) };
    },
  },
  {
    check: 'cursor-opaque',
    name: 'a cursor the client made up',
    outcome: 'fail',
    blame: 'client',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.req('c2s', 1, 'tasks/list', {});
      tr.ok('s2c', 1, { tasks: [task()], nextCursor: 'page:2' });
      const req = tr.req('c2s', 2, 'tasks/list', { cursor: 'page:3' });
      tr.err('s2c', 2, -32602, 'Invalid cursor');
      return { record: cell(tr), evidence: [req] };
    },
  },
  {
    check: 'cursor-opaque',
    name: 'the scenario sends a bogus cursor on purpose',
    outcome: 'n/a',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.req('c2s', 1, 'tasks/list', { cursor: 'bogus' });
      tr.err('s2c', 1, -32602, 'MCP error -32602: Failed to list tasks: Invalid cursor: bogus');
      return {
        record: cell(tr, { scenario: scenario({ client: { steps: [{ listTasks: null, cursor: 'bogus', expect: { error: -32602 } }] } }) }),
      };
    },
  },

  {
    check: 'poll-interval-respected',
    name: 'polls 60 ms apart with pollInterval 50',
    outcome: 'pass',
    build: () => ({ record: cell(polls([0, 60, 60, 60], 50).tr) }),
  },
  {
    check: 'poll-interval-respected',
    name: 'polls 5 ms apart with the Python default pollInterval 500',
    outcome: 'fail',
    blame: 'client',
    message: /pollInterval 500/,
    build: () => {
      const f = polls([0, 5, 5], 500);
      return { record: cell(f.tr), evidence: f.seqs };
    },
  },
  {
    check: 'poll-interval-respected',
    name: 'answers with pollInterval 0 after creation with 500: 5 ms polls are still judged against 500',
    outcome: 'fail',
    blame: 'client',
    message: /pollInterval 500/,
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1, task({ pollInterval: 500 }));
      const seqs = [2, 3, 4].map((id) => {
        tr.wait(5);
        return tr.get(id, task({ pollInterval: 0 })).req;
      });
      return { record: cell(tr), evidence: seqs };
    },
  },
  {
    check: 'poll-interval-respected',
    name: 'pollInterval 0 on every answer: nothing to respect',
    outcome: 'n/a',
    build: () => ({ record: cell(polls([0, 5, 5, 5], 0).tr) }),
  },
  {
    check: 'poll-interval-respected',
    name: 'two quick gets made by two different scenario steps',
    outcome: 'n/a',
    build: () => {
      const f = polls([0, 5], 500);
      const [a, b] = f.seqs.map((s) => f.tr.events[s]!.t) as [number, number];
      return { record: cell(f.tr, { observations: [step(1, a - 1, a + 2), step(2, b - 1, b + 2)] }) };
    },
  },

  {
    check: 'tasks-get-no-sse',
    name: 'Python HTTP answers tasks/get as JSON',
    outcome: 'pass',
    build: () => {
      const tr = new Trace('http');
      tr.init();
      tr.createTask(1, task({ taskId: PY_ID }));
      const x = tr.exchange();
      tr.get(2, task({ taskId: PY_ID }), {
        req: { exchange: x, stream: 'request' },
        res: { exchange: x, stream: 'json', status: 200, contentType: 'application/json' },
      });
      return { record: cell(tr) };
    },
  },
  {
    check: 'tasks-get-no-sse',
    name: 'TS HTTP answers tasks/get on an SSE stream',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace('http');
      tr.init();
      tr.createTask(1);
      const x = tr.exchange();
      const g = tr.get(2, task(), {
        req: { exchange: x, stream: 'request' },
        res: { exchange: x, stream: 'post-sse', status: 200, contentType: 'text/event-stream' },
      });
      return { record: cell(tr), evidence: [g.res] };
    },
  },
  {
    check: 'tasks-get-no-sse',
    name: 'stdio',
    outcome: 'n/a',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      tr.get(2, task());
      return { record: cell(tr) };
    },
  },

  {
    check: 'wire-schema',
    name: 'a full TS exchange',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.listTools(1, [{ name: 'greet', taskSupport: 'optional' }]);
      tr.createTask(2);
      tr.get(3, task({ status: 'completed' }));
      tr.req('c2s', 4, 'tasks/list', {});
      tr.ok('s2c', 4, { tasks: [task({ status: 'completed' })], _meta: {} });
      tr.note('s2c', 'notifications/tasks/status', task({ status: 'completed' }));
      return { record: cell(tr) };
    },
  },
  {
    check: 'wire-schema',
    name: 'Python CreateTaskResult without ttl',
    outcome: 'fail',
    blame: 'server',
    message: /CreateTaskResult.*ttl/,
    build: () => {
      const { ttl: _ttl, ...noTtl } = task({ taskId: PY_ID, pollInterval: 500 });
      const tr = new Trace();
      tr.init();
      tr.req('c2s', 1, 'tools/call', { name: 'greet', arguments: {}, task: {} });
      const res = tr.ok('s2c', 1, { task: noTtl });
      return { record: cell(tr), evidence: [res] };
    },
  },
  {
    check: 'wire-schema',
    name: 'a client sending ttl: null in tools/call',
    outcome: 'fail',
    blame: 'client',
    message: /task\.ttl/,
    build: () => {
      const tr = new Trace();
      tr.init();
      const req = tr.req('c2s', 1, 'tools/call', { name: 'greet', arguments: {}, task: { ttl: null } });
      tr.err('s2c', 1, -32603, 'MCP error -32603: [{"expected":"number","code":"invalid_type","path":["task","ttl"]}]');
      return { record: cell(tr), evidence: [req] };
    },
  },
];
