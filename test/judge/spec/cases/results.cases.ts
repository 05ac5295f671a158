import { cell, meta, PY_ID, TASK_CLIENT_CAPS, Trace, TS_ID, TS_ID_2, TS_SERVER_CAPS, task } from '../builders.js';
import type { CheckCase } from './types.js';

const OK_RESULT = { content: [{ type: 'text', text: 'echo: hello' }], ...meta(TS_ID) };

/** create, poll to completed, then tasks/result answered with `result` (or nothing). */
function completedThenResult(result?: Record<string, unknown>, opts: { status?: string; delayMs?: number } = {}) {
  const tr = new Trace();
  tr.init();
  tr.createTask(1);
  tr.wait(60);
  const done = tr.get(2, task({ status: opts.status ?? 'completed' })).res;
  const req = tr.req('c2s', 3, 'tasks/result', { taskId: TS_ID });
  let res: number | undefined;
  if (result) {
    tr.wait(opts.delayMs ?? 3);
    res = tr.ok('s2c', 3, result);
  }
  return { tr, done, req, res };
}

export const resultCases: CheckCase[] = [
  {
    check: 'create-task-result',
    name: 'task-augmented call answered with a CreateTaskResult',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.listTools(1, [{ name: 'greet', taskSupport: 'optional' }]);
      tr.createTask(2);
      return { record: cell(tr) };
    },
  },
  {
    check: 'create-task-result',
    name: 'Python "TaskSupport not running" answered as a plain CallToolResult',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.listTools(1, [{ name: 'greet', taskSupport: 'optional' }]);
      const req = tr.req('c2s', 2, 'tools/call', { name: 'greet', arguments: {}, task: { ttl: 60000 } });
      const res = tr.ok('s2c', 2, {
        content: [{ type: 'text', text: 'TaskSupport not running. Ensure Server.run() is active.' }],
        isError: true,
      });
      return { record: cell(tr), evidence: [req, res] };
    },
  },

  {
    check: 'tasks-result-related-task',
    name: 'TS result with related-task',
    outcome: 'pass',
    build: () => ({ record: cell(completedThenResult(OK_RESULT).tr) }),
  },
  {
    check: 'tasks-result-related-task',
    name: 'client-side task: Python client answers tasks/result without related-task',
    outcome: 'fail',
    blame: 'client',
    build: () => {
      const tr = new Trace();
      tr.init(TS_SERVER_CAPS, TASK_CLIENT_CAPS);
      const clientTask = 'e3b0c44298fc1c149afbf4c8996fb924';
      tr.req('s2c', 0, 'elicitation/create', {
        mode: 'form',
        message: 'Confirm?',
        requestedSchema: { type: 'object', properties: {} },
        task: { ttl: 60000 },
      });
      tr.ok('c2s', 0, { task: task({ taskId: clientTask }) });
      const req = tr.req('s2c', 1, 'tasks/result', { taskId: clientTask });
      const res = tr.ok('c2s', 1, { action: 'accept', content: {} });
      return { record: cell(tr), evidence: [req, res] };
    },
  },

  {
    check: 'tasks-result-terminal-answered',
    name: 'answered 3 ms after the request',
    outcome: 'pass',
    build: () => ({ record: cell(completedThenResult(OK_RESULT).tr) }),
  },
  {
    check: 'tasks-result-terminal-answered',
    name: 'a completed task blocks tasks/result for 2.5 s',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const f = completedThenResult(OK_RESULT, { delayMs: 2500 });
      return { record: cell(f.tr), evidence: [f.done, f.req, f.res!] };
    },
  },
  {
    check: 'tasks-result-terminal-answered',
    name: 'a cancelled task never answers tasks/result',
    outcome: 'fail',
    blame: 'server',
    message: /no response/,
    build: () => {
      const f = completedThenResult(undefined, { status: 'cancelled' });
      f.tr.wait(3000);
      f.tr.note('c2s', 'notifications/cancelled', { requestId: 3, reason: 'timeout' });
      return { record: cell(f.tr), evidence: [f.done, f.req] };
    },
  },

  {
    check: 'tasks-result-blocks-until-terminal',
    name: 'result after completion, later polls say completed',
    outcome: 'pass',
    build: () => {
      const f = completedThenResult(OK_RESULT);
      f.tr.get(4, task({ status: 'completed' }));
      return { record: cell(f.tr) };
    },
  },
  {
    check: 'tasks-result-blocks-until-terminal',
    name: 'tasks/result returns while the task still works',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1, task({ taskId: PY_ID }));
      const req = tr.req('c2s', 2, 'tasks/result', { taskId: PY_ID });
      const res = tr.ok('s2c', 2, { ...meta(PY_ID) });
      const later = tr.get(3, task({ taskId: PY_ID, status: 'working' })).res;
      return { record: cell(tr), evidence: [req, res, later] };
    },
  },

  {
    check: 'tasks-result-matches-request-type',
    name: 'a CallToolResult for a tools/call task',
    outcome: 'pass',
    build: () => ({ record: cell(completedThenResult(OK_RESULT).tr) }),
  },
  {
    check: 'tasks-result-matches-request-type',
    name: 'Python: a raised tool error gives failed and an empty payload',
    outcome: 'fail',
    blame: 'server',
    message: /content/,
    build: () => {
      const f = completedThenResult({ ...meta(TS_ID) }, { status: 'failed' });
      return { record: cell(f.tr), evidence: [f.req, f.res!] };
    },
  },

  {
    check: 'tasks-result-stable',
    name: 'the same result twice',
    outcome: 'pass',
    build: () => {
      const f = completedThenResult(OK_RESULT);
      f.tr.req('c2s', 4, 'tasks/result', { taskId: TS_ID });
      f.tr.ok('s2c', 4, { ...meta(TS_ID), content: [{ text: 'echo: hello', type: 'text' }] });
      return { record: cell(f.tr) };
    },
  },
  {
    check: 'tasks-result-stable',
    name: 'a result, then an internal error for the same task',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const f = completedThenResult(OK_RESULT);
      f.tr.req('c2s', 4, 'tasks/result', { taskId: TS_ID });
      const again = f.tr.err('s2c', 4, -32603, `MCP error -32603: Task ${TS_ID} has no result stored`);
      return { record: cell(f.tr), evidence: [f.res!, again] };
    },
  },
  {
    check: 'tasks-result-stable',
    name: 'a result, then -32602 once the task expired (allowed)',
    outcome: 'pass',
    build: () => {
      const f = completedThenResult(OK_RESULT);
      f.tr.wait(40000);
      f.tr.req('c2s', 4, 'tasks/result', { taskId: TS_ID });
      f.tr.err('s2c', 4, -32602, `MCP error -32602: Task not found: ${TS_ID}`);
      f.tr.req('c2s', 5, 'tasks/result', { taskId: TS_ID });
      f.tr.ok('s2c', 5, OK_RESULT);
      return { record: cell(f.tr) };
    },
  },

  {
    check: 'task-op-targets-param-task',
    name: 'tasks/get returns the task it was asked about',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      tr.get(2, task());
      return { record: cell(tr) };
    },
  },
  {
    check: 'task-op-targets-param-task',
    name: 'tasks/get follows the related-task metadata instead of taskId',
    outcome: 'fail',
    blame: 'server',
    message: /must ignore/,
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      tr.createTask(2, task({ taskId: TS_ID_2 }));
      const req = tr.req('c2s', 3, 'tasks/get', { taskId: TS_ID, ...meta(TS_ID_2) });
      const res = tr.ok('s2c', 3, task({ taskId: TS_ID_2 }));
      return { record: cell(tr), evidence: [req, res] };
    },
  },

  {
    check: 'cancel-result-cancelled',
    name: 'TS cancel result (status cancelled, _meta {})',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      tr.req('c2s', 2, 'tasks/cancel', { taskId: TS_ID });
      tr.ok('s2c', 2, { ...task({ status: 'cancelled', statusMessage: 'Client cancelled task execution.' }), _meta: {} });
      return { record: cell(tr) };
    },
  },
  {
    check: 'cancel-result-cancelled',
    name: 'cancel answered with the task still working',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      const req = tr.req('c2s', 2, 'tasks/cancel', { taskId: TS_ID });
      const res = tr.ok('s2c', 2, task({ status: 'working' }));
      return { record: cell(tr), evidence: [req, res] };
    },
  },

  {
    check: 'model-immediate-response-string',
    name: 'Python run_task(model_immediate_response=...)',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.req('c2s', 1, 'tools/call', { name: 'greet', arguments: {}, task: { ttl: 60000 } });
      tr.ok('s2c', 1, { task: task({ taskId: PY_ID }), _meta: { 'io.modelcontextprotocol/model-immediate-response': 'Working on it.' } });
      return { record: cell(tr) };
    },
  },
  {
    check: 'model-immediate-response-string',
    name: 'an object instead of a string',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.req('c2s', 1, 'tools/call', { name: 'greet', arguments: {}, task: { ttl: 60000 } });
      const res = tr.ok('s2c', 1, {
        task: task(),
        _meta: { 'io.modelcontextprotocol/model-immediate-response': { text: 'Working on it.' } },
      });
      return { record: cell(tr), evidence: [res] };
    },
  },
];
