import {
  CLIENT_CAPS,
  cell,
  NO_TASKS_SERVER_CAPS,
  PY_OLD_SERVER_CAPS,
  scenario,
  TASK_CLIENT_CAPS,
  Trace,
  TS_SERVER_CAPS,
  task,
} from '../builders.js';
import type { CheckCase } from './types.js';

const elicitAsTask = (clientCaps: Record<string, unknown>) => {
  const tr = new Trace();
  tr.init(TS_SERVER_CAPS, clientCaps);
  const req = tr.req('s2c', 0, 'elicitation/create', {
    mode: 'form',
    message: 'Confirm?',
    requestedSchema: { type: 'object', properties: {} },
    task: { ttl: 60000 },
  });
  tr.ok('c2s', 0, { task: task({ taskId: 'c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6' }) });
  return { tr, req };
};

export const capabilityCases: CheckCase[] = [
  {
    check: 'receiver-declares-tasks',
    name: 'a TS server with tasks capability creates a task',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      return { record: cell(tr) };
    },
  },
  {
    check: 'receiver-declares-tasks',
    name: 'a server without tasks capability answers with a CreateTaskResult',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init(NO_TASKS_SERVER_CAPS);
      const c = tr.createTask(1);
      return { record: cell(tr), evidence: [c.req, c.res] };
    },
  },
  {
    check: 'receiver-declares-tasks',
    name: 'no initialize in the trace',
    outcome: 'n/a',
    build: () => {
      const tr = new Trace();
      tr.createTask(1);
      return { record: cell(tr) };
    },
  },

  {
    check: 'task-ignored-without-capability',
    name: 'a server without tasks.requests.tools.call runs the tool normally',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init(NO_TASKS_SERVER_CAPS);
      tr.req('c2s', 1, 'tools/call', { name: 'greet', arguments: {}, task: { ttl: 30000 } });
      tr.ok('s2c', 1, { content: [{ type: 'text', text: 'hi' }] });
      return { record: cell(tr) };
    },
  },
  {
    check: 'task-ignored-without-capability',
    name: 'TS server without tools.call answers -32603',
    outcome: 'fail',
    blame: 'server',
    message: /instead of processing/,
    build: () => {
      const tr = new Trace();
      tr.init({ tools: {}, tasks: { list: {}, cancel: {} } });
      const req = tr.req('c2s', 1, 'tools/call', { name: 'greet', arguments: {}, task: { ttl: 30000 } });
      const res = tr.err('s2c', 1, -32603, 'MCP error -32603: Server does not support task creation (required for tools/call)');
      return { record: cell(tr), evidence: [req, res] };
    },
  },
  {
    check: 'task-ignored-without-capability',
    name: 'a server declaring tasks but not tools.call still creates a task',
    outcome: 'fail',
    blame: 'server',
    message: /created a task/,
    build: () => {
      const tr = new Trace();
      tr.init(PY_OLD_SERVER_CAPS);
      const c = tr.createTask(1);
      return { record: cell(tr), evidence: [c.req, c.res] };
    },
  },

  {
    check: 'augment-only-declared-requests',
    name: 'task-augmented elicitation to a client declaring tasks.requests.elicitation.create',
    outcome: 'pass',
    build: () => ({ record: cell(elicitAsTask(TASK_CLIENT_CAPS).tr) }),
  },
  {
    check: 'augment-only-declared-requests',
    name: 'task-augmented elicitation to a client without tasks capability',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const { tr, req } = elicitAsTask(CLIENT_CAPS);
      return { record: cell(tr), evidence: [req] };
    },
  },

  {
    check: 'client-task-needs-server-capability',
    name: 'task-augmented call to a server declaring tools.call',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.createTask(1);
      return { record: cell(tr) };
    },
  },
  {
    check: 'client-task-needs-server-capability',
    name: 'task-augmented call to a Python <1.27 server (tools without call)',
    outcome: 'fail',
    blame: 'client',
    build: () => {
      const tr = new Trace();
      tr.init(PY_OLD_SERVER_CAPS);
      const c = tr.createTask(1);
      return { record: cell(tr), evidence: [c.req] };
    },
  },
  {
    check: 'client-task-needs-server-capability',
    name: 'the scenario turns tools.call off and calls a task on purpose',
    outcome: 'n/a',
    build: () => {
      const tr = new Trace();
      tr.init({ tools: {}, tasks: { list: {}, cancel: {} } });
      tr.createTask(1);
      return {
        record: cell(tr, {
          scenario: scenario({
            server: {
              capabilities: { toolsCall: false },
              tools: [{ name: 'greet', execution: { taskSupport: 'optional' }, actions: [{ complete: [{ type: 'text', text: 'hi' }] }] }],
            },
          }),
        }),
      };
    },
  },

  {
    check: 'client-task-needs-tool-support',
    name: 'task call to an optional tool',
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
    check: 'client-task-needs-tool-support',
    name: 'task call to a tool McpServer listed as forbidden',
    outcome: 'fail',
    blame: 'client',
    message: /"forbidden"/,
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.listTools(1, [{ name: 'greet', taskSupport: 'forbidden' }]);
      const c = tr.createTask(2);
      return { record: cell(tr), evidence: [c.req] };
    },
  },
  {
    check: 'client-task-needs-tool-support',
    name: 'task call to a tool without execution (absent = forbidden)',
    outcome: 'fail',
    blame: 'client',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.listTools(1, [{ name: 'greet' }]);
      const c = tr.createTask(2);
      return { record: cell(tr), evidence: [c.req] };
    },
  },
  {
    check: 'client-task-needs-tool-support',
    name: 'the scenario calls its forbidden tool as a task on purpose',
    outcome: 'n/a',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.listTools(1, [{ name: 'plain', taskSupport: 'forbidden' }]);
      tr.req('c2s', 2, 'tools/call', { name: 'plain', arguments: {}, task: {} });
      tr.err('s2c', 2, -32601, 'MCP error -32601: Tool plain does not support task augmentation');
      const sc = scenario({
        server: {
          tools: [{ name: 'plain', execution: { taskSupport: 'forbidden' }, actions: [{ complete: [{ type: 'text', text: 'x' }] }] }],
        },
        client: { steps: [{ callTask: 'plain', expect: { error: -32601 } }] },
      });
      return { record: cell(tr, { scenario: sc }) };
    },
  },

  {
    check: 'client-required-tool-as-task',
    name: 'a required tool called as a task',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.listTools(1, [{ name: 'crunch', taskSupport: 'required' }]);
      tr.createTask(2, task(), { tool: 'crunch' });
      return { record: cell(tr) };
    },
  },
  {
    check: 'client-required-tool-as-task',
    name: 'a required tool called without a task',
    outcome: 'fail',
    blame: 'client',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.listTools(1, [{ name: 'crunch', taskSupport: 'required' }]);
      const req = tr.req('c2s', 2, 'tools/call', { name: 'crunch', arguments: {} });
      tr.err('s2c', 2, -32601, 'MCP error -32601: Tool crunch requires task augmentation');
      return { record: cell(tr), evidence: [req] };
    },
  },
  {
    check: 'client-required-tool-as-task',
    name: 'the scenario calls its required tool plainly on purpose',
    outcome: 'n/a',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.listTools(1, [{ name: 'crunch', taskSupport: 'required' }]);
      tr.req('c2s', 2, 'tools/call', { name: 'crunch', arguments: {} });
      tr.err('s2c', 2, -32601, 'Tool crunch requires task augmentation');
      const sc = scenario({
        server: {
          tools: [{ name: 'crunch', execution: { taskSupport: 'required' }, actions: [{ complete: [{ type: 'text', text: 'x' }] }] }],
        },
        client: { steps: [{ callTool: 'crunch', expect: { error: -32601 } }] },
      });
      return { record: cell(tr, { scenario: sc }) };
    },
  },

  {
    check: 'server-required-tool-error',
    name: 'low-level Server answers -32601',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.listTools(1, [{ name: 'crunch', taskSupport: 'required' }]);
      tr.req('c2s', 2, 'tools/call', { name: 'crunch', arguments: {} });
      tr.err('s2c', 2, -32601, 'MCP error -32601: Tool crunch requires task augmentation');
      return { record: cell(tr) };
    },
  },
  {
    check: 'server-required-tool-error',
    name: 'McpServer answers an isError result (typescript-sdk#1385)',
    outcome: 'fail',
    blame: 'server',
    message: /not error -32601/,
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.listTools(1, [{ name: 'crunch', taskSupport: 'required' }]);
      const req = tr.req('c2s', 2, 'tools/call', { name: 'crunch', arguments: {} });
      const res = tr.ok('s2c', 2, {
        isError: true,
        content: [{ type: 'text', text: 'MCP error -32601: Tool crunch requires task augmentation (taskSupport: "required")' }],
      });
      return { record: cell(tr), evidence: [req, res] };
    },
  },

  {
    check: 'server-forbidden-tool-error',
    name: 'a forbidden tool called as a task gets -32601',
    outcome: 'pass',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.listTools(1, [{ name: 'plain', taskSupport: 'forbidden' }]);
      tr.req('c2s', 2, 'tools/call', { name: 'plain', arguments: {}, task: { ttl: 30000 } });
      tr.err('s2c', 2, -32601, 'MCP error -32601: Tool plain does not support task-augmented execution');
      return { record: cell(tr) };
    },
  },
  {
    check: 'server-forbidden-tool-error',
    name: 'McpServer answers -32602 "Invalid task creation result" (typescript-sdk#1385)',
    outcome: 'fail',
    blame: 'server',
    build: () => {
      const tr = new Trace();
      tr.init();
      tr.listTools(1, [{ name: 'plain', taskSupport: 'forbidden' }]);
      const req = tr.req('c2s', 2, 'tools/call', { name: 'plain', arguments: {}, task: { ttl: 30000 } });
      const res = tr.err('s2c', 2, -32602, 'MCP error -32602: Invalid task creation result: [{"code":"invalid_type","path":["task"]}]');
      return { record: cell(tr), evidence: [req, res] };
    },
  },
];
