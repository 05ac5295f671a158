import { cell, meta, PY_ID, Trace, TS_ID, task } from '../builders.js';
import type { CheckCase } from './types.js';

const ELICIT = { mode: 'form', message: 'Confirm?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } };

/** TS stdio: tasks/result open, the queued elicitation goes out with id 0. */
function tsStdio(elicitParams: Record<string, unknown>, answer: Record<string, unknown>) {
  const tr = new Trace();
  tr.init();
  tr.createTask(1);
  tr.get(2, task({ status: 'input_required' }));
  tr.req('c2s', 3, 'tasks/result', { taskId: TS_ID });
  const elicit = tr.req('s2c', 0, 'elicitation/create', elicitParams);
  const reply = tr.ok('c2s', 0, answer);
  tr.ok('s2c', 3, { content: [{ type: 'text', text: 'ok' }], ...meta(TS_ID) });
  return { tr, elicit, reply };
}

/** Python HTTP: the queued elicitation (string id) travels on the tasks/result POST's SSE stream. */
function pyHttp(elicitParams: Record<string, unknown>) {
  const tr = new Trace('http');
  tr.init();
  tr.createTask(1, task({ taskId: PY_ID, pollInterval: 500 }));
  const post = tr.exchange();
  tr.req('c2s', 3, 'tasks/result', { taskId: PY_ID }, { exchange: post, stream: 'request' });
  const elicit = tr.req('s2c', `task-${PY_ID}-140000812345`, 'elicitation/create', elicitParams, { exchange: post, stream: 'post-sse' });
  tr.ok(
    'c2s',
    `task-${PY_ID}-140000812345`,
    { action: 'accept', content: { ok: true }, ...meta(PY_ID) },
    { exchange: tr.exchange(), stream: 'request' },
  );
  tr.ok('s2c', 3, { content: [{ type: 'text', text: 'ok' }], ...meta(PY_ID) }, { exchange: post, stream: 'post-sse' });
  return { tr, elicit };
}

export const relatedTaskCases: CheckCase[] = [
  {
    check: 'related-task-on-input-requests',
    name: 'TS queued elicitation with related-task',
    outcome: 'pass',
    build: () => ({ record: cell(tsStdio({ ...ELICIT, ...meta(TS_ID) }, { action: 'accept', content: { ok: true } }).tr) }),
  },
  {
    check: 'related-task-on-input-requests',
    name: 'Python HTTP elicitation on the tasks/result stream with related-task',
    outcome: 'pass',
    build: () => ({ record: cell(pyHttp({ ...ELICIT, ...meta(PY_ID) }).tr) }),
  },
  {
    check: 'related-task-on-input-requests',
    name: 'an elicitation on the tasks/result stream without related-task',
    outcome: 'fail',
    blame: 'server',
    message: /SSE stream/,
    build: () => {
      const f = pyHttp(ELICIT);
      return { record: cell(f.tr), evidence: [f.elicit] };
    },
  },
  {
    check: 'related-task-on-input-requests',
    name: 'related-task naming a task the server never created',
    outcome: 'fail',
    blame: 'server',
    message: /no side ever created/,
    build: () => {
      const tr = new Trace();
      tr.init();
      const req = tr.req('s2c', 0, 'elicitation/create', { ...ELICIT, ...meta('ffffffffffffffffffffffffffffffff') });
      tr.ok('c2s', 0, { action: 'decline' });
      return { record: cell(tr), evidence: [req] };
    },
  },
  {
    check: 'related-task-on-input-requests',
    name: 'a plain elicitation during a plain tools/call',
    outcome: 'n/a',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.req('c2s', 1, 'tools/call', { name: 'greet', arguments: {} });
      tr.req('s2c', 0, 'elicitation/create', ELICIT);
      tr.ok('c2s', 0, { action: 'accept', content: { ok: true } });
      tr.ok('s2c', 1, { content: [{ type: 'text', text: 'hi' }] });
      return { record: cell(tr) };
    },
  },

  {
    check: 'related-task-on-input-responses',
    name: 'the answer carries related-task',
    outcome: 'pass',
    build: () => ({ record: cell(tsStdio({ ...ELICIT, ...meta(TS_ID) }, { action: 'accept', content: { ok: true }, ...meta(TS_ID) }).tr) }),
  },
  {
    check: 'related-task-on-input-responses',
    name: 'a plain ElicitResult (what SDK handlers return)',
    outcome: 'fail',
    blame: 'client',
    build: () => {
      const f = tsStdio({ ...ELICIT, ...meta(TS_ID) }, { action: 'accept', content: { ok: true } });
      return { record: cell(f.tr), evidence: [f.elicit, f.reply] };
    },
  },

  {
    check: 'related-task-on-progress',
    name: 'progress after creation carries related-task',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1, task(), { progressToken: 'p1' });
      tr.note('s2c', 'notifications/progress', { progressToken: 'p1', progress: 1, total: 2, ...meta(TS_ID) });
      return { record: cell(tr) };
    },
  },
  {
    check: 'related-task-on-progress',
    name: 'Python send_progress_notification without related-task',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1, task({ taskId: PY_ID }), { progressToken: 'p1' });
      const n = tr.note('s2c', 'notifications/progress', { progressToken: 'p1', progress: 1, total: 2 });
      return { record: cell(tr), evidence: [n] };
    },
  },

  {
    check: 'related-task-absent-in-task-results',
    name: 'tasks/get, tasks/list and tasks/cancel results without it',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      tr.get(2, task());
      tr.req('c2s', 3, 'tasks/list', {});
      tr.ok('s2c', 3, { tasks: [task()], _meta: {} });
      tr.req('c2s', 4, 'tasks/cancel', { taskId: TS_ID });
      tr.ok('s2c', 4, { ...task({ status: 'cancelled' }), _meta: {} });
      return { record: cell(tr) };
    },
  },
  {
    check: 'related-task-absent-in-task-results',
    name: 'tasks/get result with related-task',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      const g = tr.get(2, { ...task(), ...meta(TS_ID) });
      return { record: cell(tr), evidence: [g.res] };
    },
  },

  {
    check: 'related-task-absent-in-status-notifications',
    name: 'a status notification without it',
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
    check: 'related-task-absent-in-status-notifications',
    name: 'a status notification with it',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      const n = tr.note('s2c', 'notifications/tasks/status', { ...task({ status: 'completed' }), ...meta(TS_ID) });
      return { record: cell(tr), evidence: [n] };
    },
  },

  {
    check: 'related-task-absent-in-task-requests',
    name: 'tasks/get and tasks/result name the task by parameter only',
    outcome: 'pass',
    build: () => {
      const f = tsStdio({ ...ELICIT, ...meta(TS_ID) }, { action: 'accept', content: { ok: true } });
      return { record: cell(f.tr) };
    },
  },
  {
    check: 'related-task-absent-in-task-requests',
    name: 'tasks/get with related-task metadata',
    outcome: 'fail',
    blame: 'client',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      const req = tr.req('c2s', 2, 'tasks/get', { taskId: TS_ID, ...meta(TS_ID) });
      tr.ok('s2c', 2, task());
      return { record: cell(tr), evidence: [req] };
    },
  },
];
