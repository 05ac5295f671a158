/**
 * Cases for the checks issue 13 added or tightened: the requestor's own loops (awaitTask flows,
 * with who polled), timing (asap, stopping after cancel), pagination, ttl maximum, standard
 * errors, two HTTP sessions, server requests on any stream, and what a raw `send` scripted.
 */
import type { ObservationRecord } from '../../../../src/vocabulary/observation.js';
import type { Direction } from '../../../../src/vocabulary/trace.js';
import { cell, ELICIT_PARAMS, PY_ID, scenario, stepRecord, Trace, TS_ID, TS_ID_2, TS_SERVER_CAPS, task } from '../builders.js';
import type { CheckCase } from './types.js';

const hex = (n: number) => n.toString(16).padStart(8, '0').repeat(4);

/** An awaitTask flow over stdio: creation, then one poll per status (50 ms apart), then tasks/result when the last is terminal. */
function flow(statuses: string[], opts: { polledBy?: 'sdk' | 'driver'; result?: boolean; gapMs?: number; endGapMs?: number } = {}) {
  const tr = new Trace();
  tr.init();
  const startedAt = tr.t;
  const c = tr.createTask(1);
  const gets: { req: number; res: number }[] = [];
  let id = 2;
  statuses.forEach((status, i) => {
    tr.wait(i === statuses.length - 1 && opts.gapMs !== undefined ? opts.gapMs : 50);
    gets.push(tr.get(id++, task({ status })));
  });
  let result: { req: number; res: number } | undefined;
  if (opts.result) {
    const req = tr.req('c2s', id, 'tasks/result', { taskId: TS_ID });
    tr.wait(20);
    result = { req, res: tr.ok('s2c', id, { content: [{ type: 'text', text: 'done' }] }) };
  }
  tr.wait(opts.endGapMs ?? 5);
  const polls = gets.map((g) => ({ at: tr.events[g.res]!.t + 1, status: statuses[gets.indexOf(g)]! }));
  const rec = stepRecord(0, 'awaitTask', startedAt, tr.t, { taskId: TS_ID, polls, ...(opts.polledBy ? { polledBy: opts.polledBy } : {}) });
  return { tr, c, gets, result, rec, sc: scenario({ client: { steps: [{ awaitTask: 'greet', as: 't' }] } }) };
}

/** Two Streamable HTTP sessions A and B on one server: initialize each; returns helpers bound to a session. */
function twoSessions(serverCaps: Record<string, unknown> = TS_SERVER_CAPS) {
  const tr = new Trace('http');
  const init = (sid: string) => {
    const x = tr.exchange();
    tr.req(
      'c2s',
      0,
      'initialize',
      { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } },
      { exchange: x, stream: 'request' },
    );
    tr.ok(
      's2c',
      0,
      { protocolVersion: '2025-11-25', capabilities: serverCaps, serverInfo: { name: 's', version: '1' } },
      { exchange: x, stream: 'json', sessionId: sid },
    );
  };
  const call = (
    sid: string,
    id: number,
    method: string,
    params: Record<string, unknown>,
    answer: (dir: Direction, id: number, x: number) => number,
  ) => {
    const x = tr.exchange();
    const req = tr.req('c2s', id, method, params, { exchange: x, stream: 'request', sessionId: sid });
    const res = answer('s2c', id, x);
    return { req, res };
  };
  const ok = (sid: string, result: Record<string, unknown>) => (dir: Direction, id: number, x: number) =>
    tr.ok(dir, id, result, { exchange: x, stream: 'json', sessionId: sid });
  const err = (sid: string, code: number, message: string) => (dir: Direction, id: number, x: number) =>
    tr.err(dir, id, code, message, { exchange: x, stream: 'json', sessionId: sid });
  init('A');
  init('B');
  const a = call('A', 1, 'tools/call', { name: 'greet', arguments: {}, task: { ttl: 30000 } }, ok('A', { task: task() }));
  return { tr, call, ok, err, a };
}

const scripted = (steps: unknown[]) => scenario({ client: { handshake: 'auto', steps } as never });

export const newCheckCases: CheckCase[] = [
  // --- task-id-from-receiver: the receiver's rule ----------------------------------------
  {
    check: 'task-id-from-receiver',
    name: 'the receiver generates the id',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1, task({ taskId: PY_ID }));
      return { record: cell(tr) };
    },
  },
  {
    check: 'task-id-from-receiver',
    name: 'the receiver adopts an id the requestor put in `task`',
    outcome: 'fail',
    blame: 'server',
    message: /params\.task\.taskId/,
    build: () => {
      const tr = new Trace();
      tr.init();
      const req = tr.req('c2s', 1, 'tools/call', { name: 'greet', arguments: {}, task: { ttl: 30000, taskId: 'requestor-chose-this-id' } });
      const res = tr.ok('s2c', 1, { task: task({ taskId: 'requestor-chose-this-id' }) });
      return { record: cell(tr), evidence: [req, res] };
    },
  },

  // --- task-timestamps: the timeline ------------------------------------------------------
  {
    check: 'task-timestamps',
    name: 'createdAt changes between the CreateTaskResult and tasks/get',
    outcome: 'fail',
    blame: 'server',
    message: /createdAt changed/,
    build: () => {
      const tr = new Trace();
      tr.init();
      const c = tr.createTask(1);
      const g = tr.get(2, task({ createdAt: '2025-11-25T10:31:00.000Z', lastUpdatedAt: '2025-11-25T10:31:00.000Z' }));
      return { record: cell(tr), evidence: [c.res, g.res] };
    },
  },
  {
    check: 'task-timestamps',
    name: 'lastUpdatedAt goes back between two polls',
    outcome: 'fail',
    blame: 'server',
    message: /lastUpdatedAt went back/,
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      const a = tr.get(2, task({ lastUpdatedAt: '2025-11-25T10:30:05.000Z' }));
      const b = tr.get(3, task({ lastUpdatedAt: '2025-11-25T10:30:02.000Z' }));
      return { record: cell(tr), evidence: [a.res, b.res] };
    },
  },
  {
    check: 'task-timestamps',
    name: 'lastUpdatedAt before createdAt',
    outcome: 'fail',
    blame: 'server',
    message: /precedes createdAt/,
    build: () => {
      const tr = new Trace();
      tr.init();
      const c = tr.createTask(1, task({ lastUpdatedAt: '2025-11-25T10:29:00.000Z' }));
      return { record: cell(tr), evidence: [c.res] };
    },
  },
  {
    check: 'task-timestamps',
    name: 'HTTP: an older answer seen after a newer notification on another stream is not going back',
    outcome: 'pass',
    build: () => {
      const tr = new Trace('http');
      tr.init();
      tr.createTask(1);
      const getStream = tr.exchange();
      const post = tr.exchange();
      tr.req('c2s', 2, 'tasks/get', { taskId: TS_ID }, { exchange: post, stream: 'request' });
      tr.note('s2c', 'notifications/tasks/status', task({ status: 'completed', lastUpdatedAt: '2025-11-25T10:30:09.000Z' }), {
        exchange: getStream,
        stream: 'get-sse',
      });
      tr.ok('s2c', 2, task({ lastUpdatedAt: '2025-11-25T10:30:04.000Z' }), { exchange: post, stream: 'json' });
      return { record: cell(tr) };
    },
  },

  // --- input_required while an elicitation the harness holds on its way is outstanding ---------
  {
    check: 'input-required-while-awaiting-input',
    name: 'stdio, a delay fault holds the elicitation: the tasks/get meanwhile says working',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      tr.get(2, task({ status: 'input_required' }));
      tr.req('c2s', 3, 'tasks/result', { taskId: TS_ID });
      const elicit = {
        jsonrpc: '2.0',
        id: 0,
        method: 'elicitation/create',
        params: { ...ELICIT_PARAMS, _meta: { 'io.modelcontextprotocol/related-task': { taskId: TS_ID } } },
      };
      // The recorder writes the fault when it takes the message, and the message when it delivers it.
      tr.events.push({
        seq: tr.events.length,
        t: tr.t,
        kind: 'fault',
        fault: 'delay',
        index: 0,
        detail: 'held the request elicitation/create (id 0) for 800 ms',
        dir: 's2c',
        msg: elicit,
      });
      tr.wait(300);
      const g = tr.req('c2s', 4, 'tasks/get', { taskId: TS_ID });
      tr.wait(500);
      const e = tr.msg('s2c', elicit);
      const during = tr.ok('s2c', 4, task({ status: 'working' }));
      tr.ok('c2s', 0, { action: 'accept', content: { name: 'Ada' } });
      return { record: cell(tr), evidence: [e, during, g].slice(0, 2) };
    },
  },

  // --- cancelled-task-stops ------------------------------------------------------------------
  {
    check: 'cancelled-task-stops',
    name: 'progress stops when the task is cancelled',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1, task(), { progressToken: 7 });
      tr.note('s2c', 'notifications/progress', { progressToken: 7, progress: 1 });
      tr.req('c2s', 2, 'tasks/cancel', { taskId: TS_ID });
      tr.ok('s2c', 2, task({ status: 'cancelled' }));
      tr.wait(1000);
      tr.get(3, task({ status: 'cancelled' }));
      return { record: cell(tr) };
    },
  },
  {
    check: 'cancelled-task-stops',
    name: 'progress goes on 800 ms after the cancel was answered',
    outcome: 'fail',
    blame: 'harness',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1, task(), { progressToken: 7 });
      const req = tr.req('c2s', 2, 'tasks/cancel', { taskId: TS_ID });
      const res = tr.ok('s2c', 2, task({ status: 'cancelled' }));
      tr.wait(800);
      const late = tr.note('s2c', 'notifications/progress', { progressToken: 7, progress: 2 });
      return { record: cell(tr), evidence: [req, res, late] };
    },
  },
  {
    check: 'cancelled-task-stops',
    name: 'the trace ends right after the cancel',
    outcome: 'n/a',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1, task(), { progressToken: 7 });
      tr.req('c2s', 2, 'tasks/cancel', { taskId: TS_ID });
      tr.ok('s2c', 2, task({ status: 'cancelled' }));
      return { record: cell(tr) };
    },
  },

  // --- create-task-result-prompt ----------------------------------------------------------
  {
    check: 'create-task-result-prompt',
    name: 'the CreateTaskResult comes at once',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      return { record: cell(tr) };
    },
  },
  {
    check: 'create-task-result-prompt',
    name: 'the receiver ran the 1.5 s tool before answering',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      const req = tr.req('c2s', 1, 'tools/call', { name: 'greet', arguments: {}, task: { ttl: 30000 } });
      tr.wait(1500);
      const res = tr.ok('s2c', 1, { task: task() });
      return { record: cell(tr), evidence: [req, res] };
    },
  },

  // --- create-task-result: errors ---------------------------------------------------------
  {
    check: 'create-task-result',
    name: 'a valid request for an optional tool answered -32603',
    outcome: 'fail',
    blame: 'server',
    message: /valid task-augmented tools\/call/,
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.listTools(1, [{ name: 'greet', taskSupport: 'optional' }]);
      const req = tr.req('c2s', 2, 'tools/call', { name: 'greet', arguments: {}, task: { ttl: 30000 } });
      const res = tr.err('s2c', 2, -32603, 'Internal error');
      return { record: cell(tr), evidence: [req, res] };
    },
  },
  {
    check: 'create-task-result',
    name: 'a negative ttl refused with -32602',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.listTools(1, [{ name: 'greet', taskSupport: 'optional' }]);
      tr.req('c2s', 2, 'tools/call', { name: 'greet', arguments: {}, task: { ttl: -5 } });
      tr.err('s2c', 2, -32602, 'ttl must not be negative');
      return { record: cell(tr) };
    },
  },

  // --- tasks-result-terminal-answered: -32602 for a finished task ----------------------------
  {
    check: 'tasks-result-terminal-answered',
    name: '-32602 for a completed task within its ttl',
    outcome: 'fail',
    blame: 'server',
    message: /already "completed" and within its ttl/,
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      const done = tr.get(2, task({ status: 'completed' })).res;
      const req = tr.req('c2s', 3, 'tasks/result', { taskId: TS_ID });
      const res = tr.err('s2c', 3, -32602, 'Task not found');
      return { record: cell(tr), evidence: [done, req, res] };
    },
  },
  {
    check: 'tasks-result-terminal-answered',
    name: '-32602 for a completed task after its ttl, and for a cancelled one (may be deleted)',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1, task({ ttl: 300 }), { ttl: 300 });
      tr.get(2, task({ status: 'completed', ttl: 300 }));
      tr.wait(400);
      tr.req('c2s', 3, 'tasks/result', { taskId: TS_ID });
      tr.err('s2c', 3, -32602, 'Task not found');
      tr.createTask(4, task({ taskId: TS_ID_2 }));
      tr.req('c2s', 5, 'tasks/cancel', { taskId: TS_ID_2 });
      tr.ok('s2c', 5, task({ taskId: TS_ID_2, status: 'cancelled' }));
      tr.req('c2s', 6, 'tasks/result', { taskId: TS_ID_2 });
      tr.err('s2c', 6, -32602, 'Task not found');
      return { record: cell(tr) };
    },
  },

  {
    check: 'tasks-result-terminal-answered',
    name: 'a cutStream fault closed the stream the answer would have travelled on',
    outcome: 'n/a',
    build: () => {
      const tr = new Trace('http');
      tr.init();
      tr.createTask(1);
      tr.get(2, task({ status: 'completed' }));
      const x = tr.exchange();
      const req = { jsonrpc: '2.0', id: 3, method: 'tasks/result', params: { taskId: TS_ID } };
      tr.msg('c2s', req, { exchange: x, stream: 'request' });
      tr.events.push({
        seq: tr.events.length,
        t: tr.t,
        kind: 'fault',
        fault: 'cutStream',
        index: 0,
        detail: 'closed the SSE stream answering the request tasks/result (id 3) after 0 event(s)',
        dir: 's2c',
        msg: req,
        http: { exchange: x, method: 'POST', path: '/mcp' },
      });
      tr.wait(3000);
      tr.get(4, task({ status: 'completed' }));
      return { record: cell(tr) };
    },
  },

  // --- tasks-result-blocks-until-terminal: early errors -----------------------------------
  {
    check: 'tasks-result-blocks-until-terminal',
    name: 'an early error while the task is still working',
    outcome: 'fail',
    blame: 'server',
    message: /returned with error -32603/,
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      const req = tr.req('c2s', 2, 'tasks/result', { taskId: TS_ID });
      const res = tr.err('s2c', 2, -32603, 'no result yet');
      const g = tr.get(3, task({ status: 'working' }));
      return { record: cell(tr), evidence: [req, res, g.res] };
    },
  },
  {
    check: 'tasks-result-blocks-until-terminal',
    name: 'an error to a tasks/result the requestor cancelled',
    outcome: 'n/a',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      tr.req('c2s', 2, 'tasks/result', { taskId: TS_ID });
      tr.note('c2s', 'notifications/cancelled', { requestId: 2, reason: 'timeout' });
      tr.err('s2c', 2, -32800, 'Request cancelled');
      tr.get(3, task({ status: 'working' }));
      return { record: cell(tr) };
    },
  },

  {
    check: 'tasks-result-stable',
    name: 'Python answers a tasks/result the client cancelled with error 0, later with the result',
    outcome: 'n/a',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1, task({ taskId: PY_ID }));
      tr.req('c2s', 2, 'tasks/result', { taskId: PY_ID });
      tr.note('c2s', 'notifications/cancelled', { requestId: 2, reason: 'McpError: MCP error -32001: Request timed out' });
      tr.err('s2c', 2, 0, 'Request cancelled');
      tr.req('c2s', 3, 'tasks/result', { taskId: PY_ID });
      tr.ok('s2c', 3, { content: [{ type: 'text', text: 'Hello, Ada!' }] });
      return { record: cell(tr) };
    },
  },

  // --- task-ignored-without-capability: the request's own error -----------------------------
  {
    check: 'task-ignored-without-capability',
    name: 'an error the request earns by itself (the same call without task fails alike)',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init({ tools: {}, tasks: { list: {}, cancel: {} } });
      tr.req('c2s', 1, 'tools/call', { name: 'greet', arguments: { n: 'x' }, task: { ttl: 30000 } });
      tr.err('s2c', 1, -32602, 'Invalid arguments: n must be a number');
      tr.req('c2s', 2, 'tools/call', { name: 'greet', arguments: { n: 'x' } });
      tr.err('s2c', 2, -32602, 'Invalid arguments: n must be a number');
      return { record: cell(tr) };
    },
  },

  // --- task-op-standard-errors (errors-internal) ---------------------------------------------
  {
    check: 'task-op-standard-errors',
    name: '-32602 for an unknown task, -32603 for an internal failure',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.req('c2s', 1, 'tasks/get', { taskId: 'nope' });
      tr.err('s2c', 1, -32602, 'Task not found');
      tr.req('c2s', 2, 'tasks/list', {});
      tr.err('s2c', 2, -32603, 'store unavailable');
      return { record: cell(tr) };
    },
  },
  {
    check: 'task-op-standard-errors',
    name: 'tasks/cancel answered -32000',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      const req = tr.req('c2s', 2, 'tasks/cancel', { taskId: TS_ID });
      const res = tr.err('s2c', 2, -32000, 'Cannot cancel now');
      return { record: cell(tr), evidence: [req, res] };
    },
  },
  {
    check: 'task-op-standard-errors',
    name: 'a tasks/get before initialize (a lifecycle error, not a task one)',
    outcome: 'n/a',
    build: () => {
      const tr = new Trace();
      tr.req('c2s', 1, 'tasks/get', { taskId: 'x' });
      tr.err('s2c', 1, -32000, 'Server not initialized');
      return { record: cell(tr) };
    },
  },

  // --- list-paginates ---------------------------------------------------------------------------
  {
    check: 'list-paginates',
    name: '30 tasks listed 10 per page',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      for (let i = 0; i < 30; i++) tr.createTask(10 + i, task({ taskId: hex(i + 1) }));
      const ids = Array.from({ length: 30 }, (_, i) => hex(i + 1));
      for (let p = 0; p < 3; p++) {
        tr.req('c2s', 100 + p, 'tasks/list', p ? { cursor: ids[p * 10 - 1] } : {});
        tr.ok('s2c', 100 + p, {
          tasks: ids.slice(p * 10, p * 10 + 10).map((taskId) => task({ taskId })),
          ...(p < 2 ? { nextCursor: ids[p * 10 + 9] } : {}),
        });
      }
      return { record: cell(tr) };
    },
  },
  {
    check: 'list-paginates',
    name: 'Python 1.27.2+: 30 tasks in one page, no nextCursor',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      const ids = Array.from({ length: 30 }, (_, i) => `${hex(i + 1)}:3b8f6a2e-1c4d-4e7a-9b2f-8d6c5a4e3f21`);
      for (const [i, taskId] of ids.entries()) tr.createTask(10 + i, task({ taskId }));
      const req = tr.req('c2s', 100, 'tasks/list', {});
      const res = tr.ok('s2c', 100, { tasks: ids.map((taskId) => task({ taskId })) });
      return { record: cell(tr), evidence: [req, res] };
    },
  },
  {
    check: 'list-paginates',
    name: 'two tasks',
    outcome: 'n/a',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      tr.req('c2s', 2, 'tasks/list', {});
      tr.ok('s2c', 2, { tasks: [task()] });
      return { record: cell(tr) };
    },
  },

  // --- max-ttl-enforced -------------------------------------------------------------------------
  {
    check: 'max-ttl-enforced',
    name: 'a ttl of 10^12 ms capped to an hour',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1, task({ ttl: 3_600_000 }), { ttl: 1e12 });
      return { record: cell(tr, { scenario: scenario({ server: { ttl: { max: 3_600_000 }, tools: scenario().server.tools } }) }) };
    },
  },
  {
    check: 'max-ttl-enforced',
    name: 'capped by the scenario, yet the SDK reports the huge ttl',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      const c = tr.createTask(1, task({ ttl: 1e12 }), { ttl: 1e12 });
      return {
        record: cell(tr, { scenario: scenario({ server: { ttl: { max: 3_600_000 }, tools: scenario().server.tools } }) }),
        evidence: [c.req, c.res],
      };
    },
  },
  {
    check: 'max-ttl-enforced',
    name: 'no maximum, because the scenario sets none',
    outcome: 'fail',
    blame: 'scenario',
    message: /sets no server\.ttl\.max/,
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1, task({ ttl: 1e12 }), { ttl: 1e12 });
      return { record: cell(tr) };
    },
  },

  // --- input-required-calls-result: the requestor's own flow ---------------------------------
  {
    check: 'input-required-calls-result',
    name: 'the SDK flow sees input_required and calls tasks/result',
    outcome: 'pass',
    build: () => {
      const f = flow(['working', 'input_required'], { polledBy: 'sdk', result: true });
      return { record: cell(f.tr, { scenario: f.sc, observations: [f.rec] }) };
    },
  },
  {
    check: 'input-required-calls-result',
    name: 'the SDK flow sees input_required and only polls on',
    outcome: 'fail',
    blame: 'client',
    build: () => {
      const f = flow(['input_required', 'input_required'], { polledBy: 'sdk' });
      return { record: cell(f.tr, { scenario: f.sc, observations: [f.rec] }), evidence: [f.gets[0]!.res] };
    },
  },
  {
    check: 'input-required-calls-result',
    name: "the driver's own low-level flow does it: the harness is blamed",
    outcome: 'fail',
    blame: 'harness',
    build: () => {
      const f = flow(['input_required', 'input_required'], { polledBy: 'driver' });
      return { record: cell(f.tr, { scenario: f.sc, observations: [f.rec] }) };
    },
  },
  {
    check: 'input-required-calls-result',
    name: 'a scripted poll step that stops at input_required (the script, not a requestor choice)',
    outcome: 'n/a',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      tr.get(2, task({ status: 'input_required' }));
      return { record: cell(tr) };
    },
  },

  // --- requestor-polls-until-terminal -----------------------------------------------------------
  {
    check: 'requestor-polls-until-terminal',
    name: 'the SDK flow polls until completed and fetches the result',
    outcome: 'pass',
    build: () => {
      const f = flow(['working', 'working', 'completed'], { polledBy: 'sdk', result: true });
      return { record: cell(f.tr, { scenario: f.sc, observations: [f.rec] }) };
    },
  },
  {
    check: 'requestor-polls-until-terminal',
    name: 'the SDK flow ends while the task is still working',
    outcome: 'fail',
    blame: 'client',
    message: /stopped polling before a terminal status/,
    build: () => {
      const f = flow(['working', 'working'], { polledBy: 'sdk' });
      return { record: cell(f.tr, { scenario: f.sc, observations: [f.rec] }), evidence: [f.gets[1]!.res] };
    },
  },
  {
    check: 'requestor-polls-until-terminal',
    name: 'the SDK flow stops polling and waits (for a notification) until the driver gives up',
    outcome: 'fail',
    blame: 'client',
    message: /sent nothing for it for/,
    build: () => {
      const f = flow(['working'], { polledBy: 'sdk', endGapMs: 3000 });
      f.rec.ok = false;
      f.rec.error = { code: null, message: 'step timed out', local: true };
      return { record: cell(f.tr, { scenario: f.sc, observations: [f.rec] }), evidence: [f.gets[0]!.res] };
    },
  },
  {
    check: 'requestor-polls-until-terminal',
    name: 'after its tasks/result failed the flow ends without polling again',
    outcome: 'fail',
    blame: 'client',
    message: /after its tasks\/result failed/,
    build: () => {
      const f = flow(['working'], { polledBy: 'sdk' });
      const req = f.tr.req('c2s', 9, 'tasks/result', { taskId: TS_ID });
      const res = f.tr.err('s2c', 9, -32603, 'stream closed');
      f.rec.endedAt = f.tr.t + 1;
      return { record: cell(f.tr, { scenario: f.sc, observations: [f.rec] }), evidence: [req, res] };
    },
  },

  {
    check: 'requestor-polls-until-terminal',
    name: "a harness fault (garbage before a tasks/get answer) explains the flow's silence",
    outcome: 'pass',
    build: () => {
      const f = flow(['working'], { polledBy: 'sdk', endGapMs: 3000 });
      const g = f.gets[0]!;
      f.tr.events.push({
        seq: f.tr.events.length,
        t: f.tr.events[g.res]!.t,
        kind: 'fault',
        fault: 'garbage',
        index: 0,
        detail: 'garbage before the response to tasks/get (id 2)',
        dir: 's2c',
      });
      f.rec.ok = false;
      f.rec.error = { code: null, message: 'step timed out', local: true };
      return { record: cell(f.tr, { scenario: f.sc, observations: [f.rec] }) };
    },
  },

  {
    check: 'requestor-polls-until-terminal',
    name: 'the flow ends because tasks/get says the task is gone (-32602): nothing left to poll',
    outcome: 'pass',
    build: () => {
      const f = flow(['working'], { polledBy: 'sdk' });
      f.tr.wait(50);
      f.tr.req('c2s', 9, 'tasks/get', { taskId: TS_ID });
      f.tr.err('s2c', 9, -32602, 'Task not found');
      f.rec.endedAt = f.tr.t + 1;
      f.rec.ok = false;
      f.rec.error = { code: -32602, message: 'Task not found' };
      return { record: cell(f.tr, { scenario: f.sc, observations: [f.rec] }) };
    },
  },

  // --- flow-status-from-polls --------------------------------------------------------------------
  {
    check: 'flow-status-from-polls',
    name: 'every reported status came from a poll',
    outcome: 'pass',
    build: () => {
      const f = flow(['working', 'completed'], { polledBy: 'sdk', result: true });
      f.tr.note('s2c', 'notifications/tasks/status', task({ status: 'completed' }));
      return { record: cell(f.tr, { scenario: f.sc, observations: [f.rec] }) };
    },
  },
  {
    check: 'flow-status-from-polls',
    name: 'the flow reports completed that only a status notification said',
    outcome: 'fail',
    blame: 'client',
    message: /relied on the optional notification/,
    build: () => {
      const f = flow(['working'], { polledBy: 'sdk' });
      const note = f.tr.note('s2c', 'notifications/tasks/status', task({ status: 'completed' }));
      f.rec.polls = [...(f.rec.polls ?? []), { at: f.tr.t + 1, status: 'completed' }];
      f.rec.endedAt = f.tr.t + 2;
      return { record: cell(f.tr, { scenario: f.sc, observations: [f.rec] }), evidence: [note] };
    },
  },

  // --- poll-interval-respected: whose loop ----------------------------------------------------------
  {
    check: 'poll-interval-respected',
    name: "the driver's own poll loop polls too fast: the harness is blamed",
    outcome: 'fail',
    blame: 'harness',
    message: /the driver's own polling loop/,
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1, task({ pollInterval: 500 }));
      const start = tr.t;
      tr.get(2, task({ pollInterval: 500 }));
      tr.wait(5);
      tr.get(3, task({ pollInterval: 500 }));
      const obs: ObservationRecord[] = [stepRecord(1, 'poll', start - 1, tr.t, { polledBy: 'driver' })];
      return { record: cell(tr, { observations: obs }) };
    },
  },

  // --- session-isolation -------------------------------------------------------------------------------
  {
    check: 'session-isolation',
    name: "session B gets -32602 for A's task and lists only its own",
    outcome: 'pass',
    build: () => {
      const s = twoSessions();
      s.call('B', 1, 'tasks/get', { taskId: TS_ID }, s.err('B', -32602, 'Task not found'));
      s.call('B', 2, 'tasks/list', {}, s.ok('B', { tasks: [] }));
      return { record: cell(s.tr) };
    },
  },
  {
    check: 'session-isolation',
    name: "B's list leaves A's task out, but B's tasks/get serves it",
    outcome: 'fail',
    blame: 'server',
    message: /was served, although/,
    build: () => {
      const s = twoSessions();
      s.call('B', 1, 'tasks/list', {}, s.ok('B', { tasks: [] }));
      const g = s.call('B', 2, 'tasks/get', { taskId: TS_ID }, s.ok('B', task()));
      return { record: cell(s.tr), evidence: [g.req, g.res] };
    },
  },
  {
    check: 'session-isolation',
    name: 'a receiver that binds nothing (judged by the tasks.list rule instead)',
    outcome: 'n/a',
    build: () => {
      const s = twoSessions();
      s.call('B', 1, 'tasks/get', { taskId: TS_ID }, s.ok('B', task()));
      return { record: cell(s.tr) };
    },
  },

  // --- list-capability-needs-identified-requestors ---------------------------------------------------------
  {
    check: 'list-capability-needs-identified-requestors',
    name: "B's listing shows only B's tasks",
    outcome: 'pass',
    build: () => {
      const s = twoSessions();
      s.call('B', 1, 'tasks/list', {}, s.ok('B', { tasks: [] }));
      return { record: cell(s.tr) };
    },
  },
  {
    check: 'list-capability-needs-identified-requestors',
    name: "TS 1.29 / Python <1.27.2: B's listing shows A's task while tasks.list is declared",
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const s = twoSessions();
      const l = s.call('B', 1, 'tasks/list', {}, s.ok('B', { tasks: [task()] }));
      return { record: cell(s.tr), evidence: [l.req, l.res, s.a.res] };
    },
  },
  {
    check: 'list-capability-needs-identified-requestors',
    name: 'stdio: one requestor',
    outcome: 'n/a',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      tr.req('c2s', 2, 'tasks/list', {});
      tr.ok('s2c', 2, { tasks: [task()] });
      return { record: cell(tr) };
    },
  },

  {
    check: 'list-cursor-invalid-params',
    name: "session B sends session A's cursor and gets a list",
    outcome: 'fail',
    blame: 'server',
    message: /never issued in this session/,
    build: () => {
      const s = twoSessions();
      s.call('A', 2, 'tasks/list', {}, s.ok('A', { tasks: [task()], nextCursor: TS_ID }));
      const b = s.call('B', 1, 'tasks/list', { cursor: TS_ID }, s.ok('B', { tasks: [] }));
      return { record: cell(s.tr), evidence: [b.req, b.res] };
    },
  },

  // --- client-answers-any-stream ---------------------------------------------------------------------------
  {
    check: 'client-answers-any-stream',
    name: 'an elicitation on the GET stream is answered',
    outcome: 'pass',
    build: () => {
      const tr = new Trace('http');
      tr.init();
      const get = tr.exchange();
      tr.req('s2c', 0, 'elicitation/create', ELICIT_PARAMS, { exchange: get, stream: 'get-sse' });
      tr.ok('c2s', 0, { action: 'accept', content: { name: 'Ada' } }, { exchange: tr.exchange(), stream: 'request' });
      return { record: cell(tr) };
    },
  },
  {
    check: 'client-answers-any-stream',
    name: 'an elicitation moved to the GET stream is never answered',
    outcome: 'fail',
    blame: 'client',
    message: /the GET stream/,
    build: () => {
      const tr = new Trace('http');
      tr.init();
      const get = tr.exchange();
      const el = tr.req('s2c', 0, 'elicitation/create', ELICIT_PARAMS, { exchange: get, stream: 'get-sse' });
      tr.wait(3000);
      tr.req('c2s', 5, 'ping', {}, { exchange: tr.exchange(), stream: 'request' });
      return { record: cell(tr), evidence: [el] };
    },
  },
  {
    check: 'client-answers-any-stream',
    name: 'stdio',
    outcome: 'n/a',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.req('s2c', 0, 'elicitation/create', ELICIT_PARAMS);
      tr.wait(3000);
      return { record: cell(tr) };
    },
  },

  // --- a raw `send` is the scenario's, not the requestor's -------------------------------------------------
  {
    check: 'related-task-absent-in-task-requests',
    name: 'a raw send carrying related-task metadata on purpose',
    outcome: 'n/a',
    build: () => {
      const tr = new Trace();
      tr.init();
      const start = tr.t;
      tr.req('c2s', 1, 'tasks/get', { taskId: TS_ID, _meta: { 'io.modelcontextprotocol/related-task': { taskId: TS_ID_2 } } });
      tr.err('s2c', 1, -32602, 'Task not found');
      const sc = scripted([{ send: 'tasks/get', params: { taskId: TS_ID } }]);
      return { record: cell(tr, { scenario: sc, observations: [stepRecord(0, 'send', start - 1, tr.t)] }) };
    },
  },
  {
    check: 'wire-schema',
    name: 'a raw send of tasks/get with a numeric taskId is not the client SDK speaking',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      const start = tr.t;
      tr.req('c2s', 1, 'tasks/get', { taskId: 42 });
      tr.err('s2c', 1, -32602, 'Invalid params: taskId must be a string');
      const sc = scripted([{ send: 'tasks/get', params: { taskId: 42 } }]);
      return { record: cell(tr, { scenario: sc, observations: [stepRecord(0, 'send', start - 1, tr.t)] }) };
    },
  },
  {
    check: 'unknown-task-invalid-params',
    name: 'a numeric taskId answered with a Task',
    outcome: 'fail',
    blame: 'server',
    message: /invalid taskId 42/,
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      const start = tr.t;
      const req = tr.req('c2s', 2, 'tasks/get', { taskId: 42 });
      const res = tr.ok('s2c', 2, task());
      const sc = scripted([{ send: 'tasks/get', params: { taskId: 42 } }]);
      return { record: cell(tr, { scenario: sc, observations: [stepRecord(0, 'send', start - 1, tr.t)] }), evidence: [req, res] };
    },
  },
  {
    check: 'cursor-opaque',
    name: 'a raw send with a modified cursor',
    outcome: 'n/a',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.req('c2s', 1, 'tasks/list', {});
      tr.ok('s2c', 1, { tasks: [task()], nextCursor: TS_ID });
      const start = tr.t;
      tr.req('c2s', 2, 'tasks/list', { cursor: `${TS_ID}x` });
      tr.err('s2c', 2, -32602, 'Invalid cursor');
      const sc = scripted([{ listTasks: null }, { send: 'tasks/list', params: { cursor: `${TS_ID}x` } }]);
      return { record: cell(tr, { scenario: sc, observations: [stepRecord(1, 'send', start - 1, tr.t)] }) };
    },
  },
];
