import { cell, meta, PY_ID, Trace, TS_ID, task } from '../builders.js';
import type { CheckCase } from './types.js';

const ELICIT = {
  mode: 'form',
  message: 'What is your name?',
  requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
};

/**
 * TS stdio input_required flow: create, poll sees input_required, tasks/result opens, the queued
 * elicitation goes out with id 0 and related-task, the client answers, and the client polls again
 * (TS clients can poll while tasks/result is pending) `afterMs` after answering.
 */
function inputFlow(opts: { duringStatus?: string; afterStatus: string; afterMs: number }) {
  const tr = new Trace();
  tr.init();
  tr.createTask(1);
  tr.wait(50);
  tr.get(2, task({ status: 'input_required' }));
  const result = tr.req('c2s', 3, 'tasks/result', { taskId: TS_ID });
  const elicit = tr.req('s2c', 0, 'elicitation/create', { ...ELICIT, ...meta(TS_ID) });
  let during: number | undefined;
  if (opts.duringStatus) {
    tr.wait(20);
    during = tr.get(4, task({ status: opts.duringStatus })).res;
  }
  tr.wait(10);
  const answer = tr.ok('c2s', 0, { action: 'accept', content: { name: 'Ada' }, ...meta(TS_ID) });
  tr.wait(opts.afterMs);
  const after = tr.get(5, task({ status: opts.afterStatus })).res;
  tr.wait(100);
  tr.ok('s2c', 3, { content: [{ type: 'text', text: 'Hello, Ada!' }], ...meta(TS_ID) });
  return { tr, result, elicit, during, answer, after };
}

export const lifecycleCases: CheckCase[] = [
  {
    check: 'task-begins-working',
    name: 'CreateTaskResult says working',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      return { record: cell(tr) };
    },
  },
  {
    check: 'task-begins-working',
    name: 'CreateTaskResult already completed',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      const c = tr.createTask(1, task({ status: 'completed' }));
      return { record: cell(tr), evidence: [c.res] };
    },
  },

  {
    check: 'terminal-status-final',
    name: 'working, working, completed, completed',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      tr.get(2, task());
      tr.get(3, task({ status: 'completed' }));
      tr.note('s2c', 'notifications/tasks/status', task({ status: 'completed' }));
      tr.get(4, task({ status: 'completed' }));
      return { record: cell(tr) };
    },
  },
  {
    check: 'terminal-status-final',
    name: 'completed, then working again (stdio)',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      const done = tr.get(2, task({ status: 'completed' })).res;
      const back = tr.get(3, task({ status: 'working' })).res;
      return { record: cell(tr), evidence: [done, back] };
    },
  },
  {
    check: 'terminal-status-final',
    name: 'HTTP: a GET-stream notification overtakes an older tasks/get answer (not a transition)',
    outcome: 'pass',
    build: () => {
      const tr = new Trace('http');
      tr.init();
      tr.createTask(1);
      const getStream = tr.exchange();
      const post = tr.exchange();
      // The client asks; before the proxy sees the POST's answer, the completion notification
      // arrives on the GET stream. The tasks/get answer was produced before the completion.
      tr.req('c2s', 2, 'tasks/get', { taskId: TS_ID }, { exchange: post, stream: 'request' });
      tr.note('s2c', 'notifications/tasks/status', task({ status: 'completed' }), { exchange: getStream, stream: 'get-sse' });
      tr.ok('s2c', 2, task({ status: 'working' }), { exchange: post, stream: 'json' });
      return { record: cell(tr) };
    },
  },
  {
    check: 'terminal-status-final',
    name: 'HTTP: a tasks/get asked after the completion notification still says working',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace('http');
      tr.init();
      tr.createTask(1);
      const getStream = tr.exchange();
      const post = tr.exchange();
      const done = tr.note('s2c', 'notifications/tasks/status', task({ status: 'failed' }), { exchange: getStream, stream: 'get-sse' });
      tr.req('c2s', 2, 'tasks/get', { taskId: TS_ID }, { exchange: post, stream: 'request' });
      const back = tr.ok('s2c', 2, task({ status: 'working' }), { exchange: post, stream: 'json' });
      return { record: cell(tr), evidence: [done, back] };
    },
  },

  {
    check: 'cancelled-stays-cancelled',
    name: 'cancelled, then cancelled on tasks/get',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1, task({ taskId: PY_ID }));
      tr.req('c2s', 2, 'tasks/cancel', { taskId: PY_ID });
      tr.ok('s2c', 2, task({ taskId: PY_ID, status: 'cancelled' }));
      tr.get(3, task({ taskId: PY_ID, status: 'cancelled' }));
      return { record: cell(tr) };
    },
  },
  {
    check: 'cancelled-stays-cancelled',
    name: 'cancelled, then the finished work reports completed',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1, task({ taskId: PY_ID }));
      tr.req('c2s', 2, 'tasks/cancel', { taskId: PY_ID });
      const c = tr.ok('s2c', 2, task({ taskId: PY_ID, status: 'cancelled' }));
      const n = tr.note('s2c', 'notifications/tasks/status', task({ taskId: PY_ID, status: 'completed' }));
      return { record: cell(tr), evidence: [c, n] };
    },
  },

  {
    check: 'input-required-while-awaiting-input',
    name: 'a poll during the elicitation sees input_required',
    outcome: 'pass',
    build: () => ({ record: cell(inputFlow({ duringStatus: 'input_required', afterStatus: 'working', afterMs: 300 }).tr) }),
  },
  {
    check: 'input-required-while-awaiting-input',
    name: 'a poll during the elicitation sees working',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const f = inputFlow({ duringStatus: 'working', afterStatus: 'working', afterMs: 300 });
      return { record: cell(f.tr), evidence: [f.elicit, f.during!] };
    },
  },

  {
    check: 'input-required-resolved',
    name: 'back to working after the answer',
    outcome: 'pass',
    build: () => ({ record: cell(inputFlow({ afterStatus: 'working', afterMs: 300 }).tr) }),
  },
  {
    check: 'input-required-resolved',
    name: 'still input_required 300 ms after the answer (TS never resets it)',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const f = inputFlow({ afterStatus: 'input_required', afterMs: 300 });
      return { record: cell(f.tr), evidence: [f.answer, f.after] };
    },
  },
  {
    check: 'input-required-resolved',
    name: 'a poll right after the answer (within the grace period)',
    outcome: 'n/a',
    build: () => ({ record: cell(inputFlow({ afterStatus: 'input_required', afterMs: 5 }).tr) }),
  },

  {
    check: 'failed-tool-task-status',
    name: 'isError result and status failed',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      tr.get(2, task({ status: 'failed', statusMessage: 'Tool execution failed: rate limit' }));
      tr.req('c2s', 3, 'tasks/result', { taskId: TS_ID });
      tr.ok('s2c', 3, { content: [{ type: 'text', text: 'upstream API rate limit exceeded' }], isError: true, ...meta(TS_ID) });
      return { record: cell(tr) };
    },
  },
  {
    check: 'failed-tool-task-status',
    name: 'Python: isError result but the task ended completed',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1, task({ taskId: PY_ID, pollInterval: 500 }));
      const done = tr.get(2, task({ taskId: PY_ID, status: 'completed', pollInterval: 500 })).res;
      tr.req('c2s', 3, 'tasks/result', { taskId: PY_ID });
      const res = tr.ok('s2c', 3, { content: [{ type: 'text', text: 'upstream API rate limit exceeded' }], isError: true, ...meta(PY_ID) });
      return { record: cell(tr), evidence: [done, res] };
    },
  },
];
