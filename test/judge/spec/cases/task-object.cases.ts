import { cell, PY_ID, Trace, TS_ID, TS_ID_2, task } from '../builders.js';
import type { CheckCase } from './types.js';

/** A create followed by one tasks/get answered with `got`. */
function createThenGet(got: Record<string, unknown>) {
  const tr = new Trace();
  tr.init();
  tr.createTask(1);
  tr.wait(60);
  const g = tr.get(2, got);
  return { tr, g };
}

export const taskObjectCases: CheckCase[] = [
  {
    check: 'task-id-string',
    name: 'TS 32-hex and Python scoped ids',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      tr.createTask(2, task({ taskId: PY_ID }));
      return { record: cell(tr) };
    },
  },
  {
    check: 'task-id-string',
    name: 'a numeric taskId',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      const c = tr.createTask(1, task({ taskId: 42 }));
      return { record: cell(tr), evidence: [c.res] };
    },
  },

  {
    check: 'task-status-valid',
    name: 'working then completed',
    outcome: 'pass',
    build: () => ({ record: cell(createThenGet(task({ status: 'completed' })).tr) }),
  },
  {
    check: 'task-status-valid',
    name: 'status "running"',
    outcome: 'fail',
    blame: 'server',
    message: /"running"/,
    build: () => {
      const { tr, g } = createThenGet(task({ status: 'running' }));
      return { record: cell(tr), evidence: [g.res] };
    },
  },

  {
    check: 'task-timestamps',
    name: 'TS (ms) and Python (µs) timestamps, and an offset',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1, task({ createdAt: '2026-11-23T08:50:41.546545Z', lastUpdatedAt: '2026-11-23T08:50:41.546545Z' }));
      tr.get(2, task({ createdAt: '2026-11-23T08:50:41.546545Z', lastUpdatedAt: '2026-11-23T09:50:42+01:00' }));
      return { record: cell(tr) };
    },
  },
  {
    check: 'task-timestamps',
    name: 'a space-separated local time and an epoch number',
    outcome: 'fail',
    blame: 'server',
    message: /createdAt .*lastUpdatedAt/,
    build: () => {
      const { tr, g } = createThenGet(task({ createdAt: '2025-11-25 10:30:00', lastUpdatedAt: 1764066600000 }));
      return { record: cell(tr), evidence: [g.res] };
    },
  },
  {
    check: 'task-timestamps',
    name: 'month 13',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const { tr, g } = createThenGet(task({ lastUpdatedAt: '2025-13-25T10:30:00Z' }));
      return { record: cell(tr), evidence: [g.res] };
    },
  },

  {
    check: 'task-ttl-present',
    name: 'ttl number, and null for unlimited',
    outcome: 'pass',
    build: () => {
      const { tr } = createThenGet(task());
      tr.get(3, task({ ttl: null }));
      return { record: cell(tr) };
    },
  },
  {
    check: 'task-ttl-present',
    name: 'Python server omits ttl when the client sent task:{}',
    outcome: 'fail',
    blame: 'server',
    message: /no `ttl`/,
    build: () => {
      const { ttl: _ttl, ...noTtl } = task({
        taskId: PY_ID,
        createdAt: '2026-11-23T08:50:41.546545Z',
        lastUpdatedAt: '2026-11-23T08:50:41.546545Z',
        pollInterval: 500,
      });
      const { tr, g } = createThenGet(noTtl);
      return { record: cell(tr), evidence: [g.res] };
    },
  },
  {
    check: 'task-ttl-present',
    name: 'no tasks/get in the trace',
    outcome: 'n/a',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      return { record: cell(tr) };
    },
  },

  {
    check: 'task-poll-interval-integer',
    name: 'pollInterval 500',
    outcome: 'pass',
    build: () => ({ record: cell(createThenGet(task({ pollInterval: 500 })).tr) }),
  },
  {
    check: 'task-poll-interval-integer',
    name: 'pollInterval "500"',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const { tr, g } = createThenGet(task({ pollInterval: '500' }));
      return { record: cell(tr), evidence: [g.res] };
    },
  },

  {
    check: 'status-notification-full-task',
    name: 'TS storeTaskResult notification (full Task)',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      tr.note('s2c', 'notifications/tasks/status', task({ status: 'completed' }));
      return { record: cell(tr) };
    },
  },
  {
    check: 'status-notification-full-task',
    name: 'params with only taskId and status',
    outcome: 'fail',
    blame: 'server',
    message: /createdAt, lastUpdatedAt, ttl/,
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      const n = tr.note('s2c', 'notifications/tasks/status', { taskId: TS_ID, status: 'completed' });
      return { record: cell(tr), evidence: [n] };
    },
  },

  {
    check: 'task-id-unique',
    name: 'two tasks, two ids',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      tr.createTask(2, task({ taskId: TS_ID_2 }));
      return { record: cell(tr) };
    },
  },
  {
    check: 'task-id-unique',
    name: 'the same id for two tasks',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      const a = tr.createTask(1);
      const b = tr.createTask(2);
      return { record: cell(tr), evidence: [a.res, b.res] };
    },
  },

  {
    check: 'task-id-unguessable',
    name: 'TS hex, Python scoped and UUID ids',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      tr.createTask(2, task({ taskId: PY_ID }));
      tr.createTask(3, task({ taskId: '786512e2-9e0d-44bd-8f29-789f320fe840' }));
      return { record: cell(tr) };
    },
  },
  {
    check: 'task-id-unguessable',
    name: 'a short counter id',
    outcome: 'fail',
    blame: 'server',
    message: /bits/,
    build: () => {
      const tr = new Trace();
      tr.init();
      const c = tr.createTask(1, task({ taskId: 'task-1' }));
      return { record: cell(tr), evidence: [c.res] };
    },
  },
  {
    check: 'task-id-unguessable',
    name: 'long ids that are a padded counter',
    outcome: 'fail',
    blame: 'server',
    message: /counter/,
    build: () => {
      const tr = new Trace();
      tr.init();
      const a = tr.createTask(1, task({ taskId: 'job-000000000000000000001' }));
      const b = tr.createTask(2, task({ taskId: 'job-000000000000000000002' }));
      return { record: cell(tr), evidence: [a.res, b.res] };
    },
  },

  {
    check: 'ttl-overridden',
    name: 'requested ttl honoured',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1, task({ ttl: 30000 }), { ttl: 30000 });
      return { record: cell(tr) };
    },
  },
  {
    check: 'ttl-overridden',
    name: 'requested 999999, capped to 120000 (noted, allowed)',
    outcome: 'fail',
    blame: 'server',
    message: /chose 120000/,
    build: () => {
      const tr = new Trace();
      tr.init();
      const c = tr.createTask(1, task({ ttl: 120000 }), { ttl: 999999 });
      return { record: cell(tr), evidence: [c.req, c.res] };
    },
  },

  {
    check: 'failed-task-status-message',
    name: 'failed with a diagnostic statusMessage',
    outcome: 'pass',
    build: () => ({ record: cell(createThenGet(task({ status: 'failed', statusMessage: 'Tool execution failed: rate limit' })).tr) }),
  },
  {
    check: 'failed-task-status-message',
    name: 'failed without statusMessage (TS storeTaskResult)',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const { tr, g } = createThenGet(task({ status: 'failed' }));
      return { record: cell(tr), evidence: [g.res] };
    },
  },
];
