/**
 * Server→client tasks (issue 12.3): the server sends a task-augmented elicitation/create or
 * sampling/createMessage, the client answers a CreateTaskResult, the server polls tasks/get on
 * the client and fetches tasks/result from it. Every check binding "receivers" judges the
 * client here (blame client), every check binding "requestors" the server (blame server).
 * Names start with "client receiver:" so the test can tell these cases apart.
 */
import { cell, meta, RECEIVER_CLIENT_CAPS, scenario, Trace, TS_SERVER_CAPS, task } from '../builders.js';
import type { CheckCase } from './types.js';

export const C_ID = 'c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6';
const C_ID_2 = 'f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1';

/** A Task object as the client (TS InMemoryTaskStore) reports it. */
const ct = (over: Record<string, unknown> = {}) => task({ taskId: C_ID, pollInterval: 100, ...over });

/** initialize with a task-receiving client, and one server→client elicitation task (server id 0). */
function receiving(opts: { clientCaps?: Record<string, unknown>; created?: Record<string, unknown>; ttl?: number } = {}) {
  const tr = new Trace();
  tr.init(TS_SERVER_CAPS, opts.clientCaps ?? RECEIVER_CLIENT_CAPS);
  const c = tr.clientTask(0, opts.created ?? ct(), opts.ttl !== undefined ? { ttl: opts.ttl } : {});
  return { tr, c };
}

const ELICIT_RESULT = { action: 'accept', content: { name: 'Ada' } };

/** A fail case of a receiver check on the client. */
function receiverFail(check: string, name: string, build: () => { tr: Trace; evidence?: number[] }, message?: RegExp): CheckCase {
  return {
    check,
    name: `client receiver: ${name}`,
    outcome: 'fail',
    blame: 'client',
    ...(message ? { message } : {}),
    build: () => {
      const { tr, evidence } = build();
      return { record: cell(tr), ...(evidence ? { evidence } : {}) };
    },
  };
}

/** A fail case of a requestor check on the server. */
function requestorFail(check: string, name: string, build: () => { tr: Trace; evidence?: number[] }): CheckCase {
  return { ...receiverFail(check, name, build), blame: 'server' };
}

export const clientReceiverCases: CheckCase[] = [
  {
    check: 'task-begins-working',
    name: 'client receiver: the client creates its task working',
    outcome: 'pass',
    build: () => ({ record: cell(receiving().tr) }),
  },
  {
    check: 'augment-only-declared-requests',
    name: 'client receiver: the server augments only what the client declared',
    outcome: 'pass',
    build: () => ({ record: cell(receiving().tr) }),
  },

  // --- capabilities -------------------------------------------------------------------------
  receiverFail('receiver-declares-tasks', 'creates a task without any tasks capability', () => {
    const { tr, c } = receiving({ clientCaps: { elicitation: { form: {} } } });
    return { tr, evidence: [c.req, c.res] };
  }),
  receiverFail('task-ignored-without-capability', 'TS: -32603 "Client does not support task creation" instead of answering', () => {
    const tr = new Trace();
    tr.init(TS_SERVER_CAPS, { elicitation: { form: {} }, tasks: { list: {}, cancel: {} } });
    const req = tr.req('s2c', 0, 'elicitation/create', {
      mode: 'form',
      message: 'x',
      requestedSchema: { type: 'object', properties: {} },
      task: { ttl: 30000 },
    });
    const res = tr.err('c2s', 0, -32603, 'Client does not support task creation for elicitation/create');
    return { tr, evidence: [req, res] };
  }),
  requestorFail('augment-only-declared-requests', 'the server augments an elicitation the client did not declare', () => {
    const tr = new Trace();
    tr.init(TS_SERVER_CAPS, { elicitation: { form: {} }, tasks: { list: {}, cancel: {} } });
    const c = tr.clientTask(0, ct());
    return { tr, evidence: [c.req] };
  }),

  // --- the Task object --------------------------------------------------------------------------
  receiverFail('task-id-string', 'a numeric task id', () => {
    const { tr, c } = receiving({ created: ct({ taskId: 42 }) });
    return { tr, evidence: [c.res] };
  }),
  receiverFail('task-id-from-receiver', 'adopts the task id the server proposed', () => {
    const tr = new Trace();
    tr.init(TS_SERVER_CAPS, RECEIVER_CLIENT_CAPS);
    const req = tr.req('s2c', 0, 'elicitation/create', {
      mode: 'form',
      message: 'x',
      requestedSchema: { type: 'object', properties: {} },
      task: { ttl: 30000, taskId: 'server-picked-id' },
    });
    const res = tr.ok('c2s', 0, { task: ct({ taskId: 'server-picked-id' }) });
    return { tr, evidence: [req, res] };
  }),
  receiverFail('task-status-valid', 'status "running"', () => {
    const { tr } = receiving();
    const g = tr.serverGet(1, ct({ status: 'running' }));
    return { tr, evidence: [g.res] };
  }),
  receiverFail('task-timestamps', 'createdAt changes', () => {
    const { tr, c } = receiving();
    const g = tr.serverGet(1, ct({ createdAt: '2025-11-25T11:00:00.000Z', lastUpdatedAt: '2025-11-25T11:00:00.000Z' }));
    return { tr, evidence: [c.res, g.res] };
  }),
  receiverFail('task-ttl-present', 'tasks/get without ttl', () => {
    const { tr } = receiving();
    const { ttl: _ttl, ...noTtl } = ct();
    const g = tr.serverGet(1, noTtl);
    return { tr, evidence: [g.res] };
  }),
  receiverFail('task-poll-interval-integer', 'pollInterval "100"', () => {
    const { tr } = receiving();
    const g = tr.serverGet(1, ct({ pollInterval: '100' }));
    return { tr, evidence: [g.res] };
  }),
  receiverFail('status-notification-full-task', 'a status notification with only taskId and status', () => {
    const { tr } = receiving();
    const n = tr.note('c2s', 'notifications/tasks/status', { taskId: C_ID, status: 'completed' });
    return { tr, evidence: [n] };
  }),
  receiverFail('task-id-unique', 'the same id for two tasks', () => {
    const { tr, c } = receiving();
    const d = tr.clientTask(1, ct());
    return { tr, evidence: [c.res, d.res] };
  }),
  receiverFail('task-id-unguessable', 'counter ids', () => {
    const { tr, c } = receiving({ created: ct({ taskId: 'task-1' }) });
    return { tr, evidence: [c.res] };
  }),
  receiverFail('ttl-overridden', 'asked 30000, chose 5000 (allowed; noted)', () => {
    const { tr, c } = receiving({ created: ct({ ttl: 5000 }) });
    return { tr, evidence: [c.req, c.res] };
  }),
  receiverFail('failed-task-status-message', 'a failed task without statusMessage', () => {
    const { tr } = receiving();
    const g = tr.serverGet(1, ct({ status: 'failed' }));
    return { tr, evidence: [g.res] };
  }),

  // --- lifecycle -----------------------------------------------------------------------------------
  receiverFail('task-begins-working', 'created already completed', () => {
    const { tr, c } = receiving({ created: ct({ status: 'completed' }) });
    return { tr, evidence: [c.res] };
  }),
  receiverFail('terminal-status-final', 'completed, then working', () => {
    const { tr } = receiving();
    const a = tr.serverGet(1, ct({ status: 'completed' }));
    const b = tr.serverGet(2, ct({ status: 'working' }));
    return { tr, evidence: [a.res, b.res] };
  }),
  receiverFail('cancelled-stays-cancelled', 'cancelled by the server, then completed', () => {
    const { tr } = receiving();
    tr.req('s2c', 1, 'tasks/cancel', { taskId: C_ID });
    const done = tr.ok('c2s', 1, ct({ status: 'cancelled' }));
    const back = tr.serverGet(2, ct({ status: 'completed' }));
    return { tr, evidence: [done, back.res] };
  }),
  receiverFail('input-required-while-awaiting-input', 'working while its own related request to the server is open', () => {
    const { tr } = receiving();
    const ask = tr.req('c2s', 5, 'resources/read', { uri: 'file:///input.txt', ...meta(C_ID) });
    const during = tr.serverGet(1, ct({ status: 'working' }));
    tr.ok('s2c', 5, { contents: [] });
    return { tr, evidence: [ask, during.res] };
  }),
  receiverFail('input-required-resolved', 'still input_required 300 ms after its request was answered', () => {
    const { tr } = receiving();
    tr.req('c2s', 5, 'resources/read', { uri: 'file:///input.txt', ...meta(C_ID) });
    const answer = tr.ok('s2c', 5, { contents: [] });
    tr.wait(300);
    const stuck = tr.serverGet(1, ct({ status: 'input_required' }));
    return { tr, evidence: [answer, stuck.res] };
  }),
  {
    check: 'cancelled-task-stops',
    name: 'client receiver: the client goes on reporting progress of a task the server cancelled',
    outcome: 'fail',
    blame: 'harness',
    build: () => {
      const tr = new Trace();
      tr.init(TS_SERVER_CAPS, RECEIVER_CLIENT_CAPS);
      tr.req('s2c', 0, 'elicitation/create', {
        mode: 'form',
        message: 'x',
        requestedSchema: { type: 'object', properties: {} },
        task: { ttl: 30000 },
        _meta: { progressToken: 'p1' },
      });
      tr.ok('c2s', 0, { task: ct() });
      tr.req('s2c', 1, 'tasks/cancel', { taskId: C_ID });
      const res = tr.ok('c2s', 1, ct({ status: 'cancelled' }));
      tr.wait(800);
      const late = tr.note('c2s', 'notifications/progress', { progressToken: 'p1', progress: 1 });
      return { record: cell(tr), evidence: [res, late] };
    },
  },

  // --- results ---------------------------------------------------------------------------------------
  receiverFail('create-task-result', 'declares elicitation tasks but answers a plain ElicitResult', () => {
    const tr = new Trace();
    tr.init(TS_SERVER_CAPS, RECEIVER_CLIENT_CAPS);
    const req = tr.req('s2c', 0, 'elicitation/create', {
      mode: 'form',
      message: 'x',
      requestedSchema: { type: 'object', properties: {} },
      task: { ttl: 30000 },
    });
    const res = tr.ok('c2s', 0, ELICIT_RESULT);
    return { tr, evidence: [req, res] };
  }),
  receiverFail('create-task-result-prompt', 'the CreateTaskResult 1.5 s late (the client waited for its user)', () => {
    const tr = new Trace();
    tr.init(TS_SERVER_CAPS, RECEIVER_CLIENT_CAPS);
    const req = tr.req('s2c', 0, 'elicitation/create', {
      mode: 'form',
      message: 'x',
      requestedSchema: { type: 'object', properties: {} },
      task: { ttl: 30000 },
    });
    tr.wait(1500);
    const res = tr.ok('c2s', 0, { task: ct() });
    return { tr, evidence: [req, res] };
  }),
  receiverFail('tasks-result-related-task', 'tasks/result answer without related-task _meta', () => {
    const { tr } = receiving();
    tr.serverGet(1, ct({ status: 'completed' }));
    const req = tr.req('s2c', 2, 'tasks/result', { taskId: C_ID });
    const res = tr.ok('c2s', 2, ELICIT_RESULT);
    return { tr, evidence: [req, res] };
  }),
  receiverFail('tasks-result-terminal-answered', '-32602 for its completed task', () => {
    const { tr } = receiving();
    const done = tr.serverGet(1, ct({ status: 'completed' })).res;
    const req = tr.req('s2c', 2, 'tasks/result', { taskId: C_ID });
    const res = tr.err('c2s', 2, -32602, 'Task not found');
    return { tr, evidence: [done, req, res] };
  }),
  receiverFail('tasks-result-blocks-until-terminal', 'answers tasks/result while its task is still working', () => {
    const { tr } = receiving();
    const req = tr.req('s2c', 1, 'tasks/result', { taskId: C_ID });
    const res = tr.ok('c2s', 1, { ...ELICIT_RESULT, ...meta(C_ID) });
    const g = tr.serverGet(2, ct({ status: 'working' }));
    return { tr, evidence: [req, res, g.res] };
  }),
  receiverFail('tasks-result-matches-request-type', 'an elicitation task whose result is a CallToolResult', () => {
    const { tr } = receiving();
    tr.serverGet(1, ct({ status: 'completed' }));
    const req = tr.req('s2c', 2, 'tasks/result', { taskId: C_ID });
    const res = tr.ok('c2s', 2, { content: [{ type: 'text', text: 'Ada' }], ...meta(C_ID) });
    return { tr, evidence: [req, res] };
  }),
  receiverFail('tasks-result-stable', 'two different answers to tasks/result', () => {
    const { tr } = receiving();
    tr.serverGet(1, ct({ status: 'completed' }));
    tr.req('s2c', 2, 'tasks/result', { taskId: C_ID });
    const a = tr.ok('c2s', 2, { ...ELICIT_RESULT, ...meta(C_ID) });
    tr.req('s2c', 3, 'tasks/result', { taskId: C_ID });
    const b = tr.ok('c2s', 3, { action: 'decline', ...meta(C_ID) });
    return { tr, evidence: [a, b] };
  }),
  receiverFail('task-op-targets-param-task', 'tasks/get for one task answered with another', () => {
    const { tr } = receiving();
    tr.clientTask(1, ct({ taskId: C_ID_2 }));
    const req = tr.req('s2c', 2, 'tasks/get', { taskId: C_ID });
    const res = tr.ok('c2s', 2, ct({ taskId: C_ID_2 }));
    return { tr, evidence: [req, res] };
  }),
  receiverFail('cancel-result-cancelled', 'tasks/cancel succeeds with status working', () => {
    const { tr } = receiving();
    const req = tr.req('s2c', 1, 'tasks/cancel', { taskId: C_ID });
    const res = tr.ok('c2s', 1, ct({ status: 'working' }));
    return { tr, evidence: [req, res] };
  }),

  // --- related-task metadata ---------------------------------------------------------------------------
  receiverFail('related-task-on-input-requests', 'its related request carries malformed related-task _meta', () => {
    const { tr } = receiving();
    const ask = tr.req('c2s', 5, 'resources/read', { uri: 'file:///x', _meta: { 'io.modelcontextprotocol/related-task': C_ID } });
    return { tr, evidence: [ask] };
  }),
  requestorFail('related-task-on-input-responses', "the server's answer to the client task's request lacks related-task _meta", () => {
    const { tr } = receiving();
    const ask = tr.req('c2s', 5, 'resources/read', { uri: 'file:///x', ...meta(C_ID) });
    const res = tr.ok('s2c', 5, { contents: [] });
    return { tr, evidence: [ask, res] };
  }),
  receiverFail('related-task-on-progress', "progress of the client's task without related-task _meta", () => {
    const tr = new Trace();
    tr.init(TS_SERVER_CAPS, RECEIVER_CLIENT_CAPS);
    tr.req('s2c', 0, 'elicitation/create', {
      mode: 'form',
      message: 'x',
      requestedSchema: { type: 'object', properties: {} },
      task: { ttl: 30000 },
      _meta: { progressToken: 'p1' },
    });
    tr.ok('c2s', 0, { task: ct() });
    const n = tr.note('c2s', 'notifications/progress', { progressToken: 'p1', progress: 1 });
    return { tr, evidence: [n] };
  }),
  receiverFail('related-task-absent-in-task-results', 'its tasks/get result carries related-task _meta', () => {
    const { tr } = receiving();
    const g = tr.serverGet(1, { ...ct(), ...meta(C_ID) });
    return { tr, evidence: [g.res] };
  }),
  receiverFail('related-task-absent-in-status-notifications', 'its status notification carries related-task _meta', () => {
    const { tr } = receiving();
    const n = tr.note('c2s', 'notifications/tasks/status', { ...ct({ status: 'completed' }), ...meta(C_ID) });
    return { tr, evidence: [n] };
  }),
  requestorFail('related-task-absent-in-task-requests', "the server's tasks/get carries related-task _meta", () => {
    const { tr } = receiving();
    const req = tr.req('s2c', 1, 'tasks/get', { taskId: C_ID, ...meta(C_ID) });
    tr.ok('c2s', 1, ct());
    return { tr, evidence: [req] };
  }),

  // --- errors ---------------------------------------------------------------------------------------------
  receiverFail('unknown-task-invalid-params', 'an unknown id answered -32603', () => {
    const { tr } = receiving();
    const req = tr.req('s2c', 1, 'tasks/get', { taskId: 'not-a-client-task' });
    const res = tr.err('c2s', 1, -32603, 'Internal error');
    return { tr, evidence: [req, res] };
  }),
  receiverFail('cancel-terminal-invalid-params', 'cancelling its completed task succeeds', () => {
    const { tr } = receiving();
    tr.serverGet(1, ct({ status: 'completed' }));
    const req = tr.req('s2c', 2, 'tasks/cancel', { taskId: C_ID });
    const res = tr.ok('c2s', 2, ct({ status: 'cancelled' }));
    return { tr, evidence: [req, res] };
  }),
  receiverFail('list-cursor-invalid-params', 'a bogus cursor answered with a list', () => {
    const { tr } = receiving();
    const req = tr.req('s2c', 1, 'tasks/list', { cursor: 'bogus' });
    const res = tr.ok('c2s', 1, { tasks: [ct()] });
    return { tr, evidence: [req, res] };
  }),
  receiverFail('informative-error-messages', 'an error with an empty message', () => {
    const { tr } = receiving();
    tr.req('s2c', 1, 'tasks/get', { taskId: 'nope' });
    const res = tr.err('c2s', 1, -32602, '');
    return { tr, evidence: [res] };
  }),
  receiverFail('task-op-standard-errors', 'tasks/cancel answered -32000', () => {
    const { tr } = receiving();
    const req = tr.req('s2c', 1, 'tasks/cancel', { taskId: C_ID });
    const res = tr.err('c2s', 1, -32000, 'busy');
    return { tr, evidence: [req, res] };
  }),

  // --- retention and listing --------------------------------------------------------------------------------
  receiverFail('expired-task-invalid-params', 'after its ttl, tasks/get fails with -32603', () => {
    const { tr } = receiving({ created: ct({ ttl: 400 }), ttl: 400 });
    tr.wait(1000);
    const req = tr.req('s2c', 1, 'tasks/get', { taskId: C_ID });
    const res = tr.err('c2s', 1, -32603, 'gone');
    return { tr, evidence: [req, res] };
  }),
  receiverFail('expired-task-cleaned-up', 'still served 2 s after creation with ttl 400', () => {
    const { tr, c } = receiving({ created: ct({ ttl: 400 }), ttl: 400 });
    tr.wait(2000);
    const g = tr.serverGet(1, ct({ ttl: 400, status: 'completed' }));
    return { tr, evidence: [c.res, g.req, g.res] };
  }),
  receiverFail('list-includes-retrievable', 'its listing leaves out a task tasks/get still finds', () => {
    const { tr } = receiving();
    tr.req('s2c', 1, 'tasks/list', {});
    const list = tr.ok('c2s', 1, { tasks: [] });
    const g = tr.serverGet(2, ct());
    return { tr, evidence: [list, g.res] };
  }),
  receiverFail('list-paginates', '30 tasks in one page', () => {
    const tr = new Trace();
    tr.init(TS_SERVER_CAPS, RECEIVER_CLIENT_CAPS);
    const ids = Array.from({ length: 30 }, (_, i) => (i + 1).toString(16).padStart(8, '0').repeat(4));
    for (const [i, taskId] of ids.entries()) tr.clientTask(i, ct({ taskId }));
    const req = tr.req('s2c', 100, 'tasks/list', {});
    const res = tr.ok('c2s', 100, { tasks: ids.map((taskId) => ct({ taskId })) });
    return { tr, evidence: [req, res] };
  }),
  {
    check: 'max-ttl-enforced',
    name: 'client receiver: capped by the scenario, yet the client SDK reports the huge ttl',
    outcome: 'fail',
    blame: 'client',
    build: () => {
      const { tr, c } = receiving({ created: ct({ ttl: 1e12 }), ttl: 1e12 });
      const sc = scenario({ client: { tasks: { ttl: { max: 3_600_000 } }, steps: [{ callTool: 'greet' }] } });
      return { record: cell(tr, { scenario: sc }), evidence: [c.req, c.res] };
    },
  },

  // --- the server as requestor ----------------------------------------------------------------------------
  requestorFail('cursor-opaque', 'the server sends a cursor the client never issued', () => {
    const { tr } = receiving();
    tr.req('s2c', 1, 'tasks/list', {});
    tr.ok('c2s', 1, { tasks: [ct()], nextCursor: C_ID });
    const req = tr.req('s2c', 2, 'tasks/list', { cursor: `${C_ID}:2` });
    tr.err('c2s', 2, -32602, 'Invalid cursor');
    return { tr, evidence: [req] };
  }),
  requestorFail('poll-interval-respected', "the server polls the client's task every 5 ms (pollInterval 100)", () => {
    const { tr } = receiving();
    const a = tr.serverGet(1, ct());
    tr.wait(5);
    const b = tr.serverGet(2, ct());
    tr.wait(5);
    tr.serverGet(3, ct());
    return { tr, evidence: [a.req, b.req] };
  }),
  requestorFail('input-required-calls-result', "the server sees the client's task input_required and only polls on", () => {
    const { tr } = receiving();
    const seen = tr.serverGet(1, ct({ status: 'input_required' })).res;
    tr.wait(150);
    tr.serverGet(2, ct({ status: 'input_required' }));
    return { tr, evidence: [seen] };
  }),
  requestorFail('requestor-polls-until-terminal', "the server stops polling the client's working task", () => {
    const { tr } = receiving();
    const last = tr.serverGet(1, ct());
    tr.wait(3000);
    tr.note('c2s', 'notifications/tasks/status', ct({ status: 'completed' }));
    return { tr, evidence: [last.res] };
  }),

  // --- the wire schema -----------------------------------------------------------------------------------------
  receiverFail('wire-schema', 'a CreateTaskResult without createdAt', () => {
    const { createdAt: _c, ...noCreated } = ct();
    const { tr, c } = receiving({ created: noCreated });
    return { tr, evidence: [c.res] };
  }),
];
