import { cell, PY_ID, scenario, Trace, TS_ID, task } from '../builders.js';
import type { CheckCase } from './types.js';

/** The scenario asks for a literal unknown task id (so the client is not blamed for it). */
const unknownIdScenario = () => scenario({ client: { steps: [{ kind: 'getTask', taskId: 'no-such-task', expect: { error: -32602 } }] } });

export const errorCases: CheckCase[] = [
  {
    check: 'unknown-task-invalid-params',
    name: 'TS: "Failed to retrieve task: Task not found"',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.req('c2s', 1, 'tasks/get', { taskId: 'no-such-task' });
      tr.err('s2c', 1, -32602, 'MCP error -32602: Failed to retrieve task: Task not found');
      return { record: cell(tr, { scenario: unknownIdScenario() }) };
    },
  },
  {
    check: 'unknown-task-invalid-params',
    name: 'tasks/result for an unknown id answered -32603',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      const req = tr.req('c2s', 1, 'tasks/result', { taskId: 'no-such-task' });
      const res = tr.err('s2c', 1, -32603, 'Task no-such-task has no result stored');
      return { record: cell(tr), evidence: [req, res] };
    },
  },
  {
    check: 'unknown-task-invalid-params',
    name: 'only known tasks are asked about',
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
    check: 'cancel-terminal-invalid-params',
    name: 'Python: "Cannot cancel task in terminal state"',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1, task({ taskId: PY_ID }));
      tr.get(2, task({ taskId: PY_ID, status: 'completed' }));
      tr.req('c2s', 3, 'tasks/cancel', { taskId: PY_ID });
      tr.err('s2c', 3, -32602, "Cannot cancel task in terminal state 'completed'");
      return { record: cell(tr) };
    },
  },
  {
    check: 'cancel-terminal-invalid-params',
    name: 'a completed task cancelled successfully',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      const done = tr.get(2, task({ status: 'completed' })).res;
      const req = tr.req('c2s', 3, 'tasks/cancel', { taskId: TS_ID });
      const res = tr.ok('s2c', 3, task({ status: 'cancelled' }));
      return { record: cell(tr), evidence: [done, req, res] };
    },
  },

  {
    check: 'list-cursor-invalid-params',
    name: 'TS: bogus cursor gets -32602',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.req('c2s', 1, 'tasks/list', { cursor: 'bogus' });
      tr.err('s2c', 1, -32602, 'MCP error -32602: Failed to list tasks: Invalid cursor: bogus');
      return { record: cell(tr) };
    },
  },
  {
    check: 'list-cursor-invalid-params',
    name: 'a cursor the server issued is accepted',
    outcome: 'n/a',
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
    check: 'list-cursor-invalid-params',
    name: 'Python 1.23–1.27.1: error code 0 (list_tasks raises ValueError)',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      const req = tr.req('c2s', 1, 'tasks/list', { cursor: 'bogus' });
      const res = tr.err('s2c', 1, 0, 'Invalid cursor: bogus');
      return { record: cell(tr), evidence: [req, res] };
    },
  },
  {
    check: 'list-cursor-invalid-params',
    name: 'Python 1.27.2+: the cursor is ignored and a list returned',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      const req = tr.req('c2s', 1, 'tasks/list', { cursor: 'bogus' });
      const res = tr.ok('s2c', 1, { tasks: [] });
      return { record: cell(tr), evidence: [req, res] };
    },
  },

  {
    check: 'informative-error-messages',
    name: 'errors that say what went wrong',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.req('c2s', 1, 'tasks/get', { taskId: PY_ID });
      tr.err('s2c', 1, -32602, `Task not found: ${PY_ID}`);
      return { record: cell(tr) };
    },
  },
  {
    check: 'informative-error-messages',
    name: 'only the TS prefix, nothing after it',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.req('c2s', 1, 'tasks/get', { taskId: PY_ID });
      const res = tr.err('s2c', 1, -32602, 'MCP error -32602: ');
      return { record: cell(tr), evidence: [res] };
    },
  },
];
