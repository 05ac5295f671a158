/**
 * Capabilities and tool-level negotiation: who may augment which request with a task, and how a
 * receiver answers a task it did not offer (or a required task it did not get).
 */
import type { Scenario } from '../../vocabulary/scenario.js';
import {
  capabilitiesOf,
  declaresTaskRequest,
  declaresTasks,
  errorCode,
  hasInitialize,
  indexOf,
  isCreateTaskResult,
  isTaskAugmented,
  otherSide,
  type RequestEntry,
  type TraceIndex,
  toolAt,
} from '../trace-index.js';
import type { CellRecord } from '../types.js';
import { defineCheck, show, Verdict } from './define.js';
import {
  deliberatePlainCall,
  deliberateTaskCallOnForbidden,
  deliberateTaskCallWithoutCapability,
  hasTool,
  scenarioTaskSupport,
} from './exemptions.js';

/** Task-augmented requests that got an answer, with the receiver's capabilities when known. */
function augmented(index: TraceIndex) {
  return index.requests.filter(isTaskAugmented).map((req) => {
    const receiver = otherSide(req.sender);
    return { req, receiver, caps: hasInitialize(index, receiver) ? capabilitiesOf(index, receiver, req.seq) : undefined };
  });
}

function toolName(req: RequestEntry): string | undefined {
  return typeof req.params?.name === 'string' ? req.params.name : undefined;
}

/**
 * A tool's `execution.taskSupport` as the server listed it in tools/list; when the trace has no
 * listing of it, as the scenario declared it (the server driver serves the scenario's tools).
 */
export function toolSupport(
  index: TraceIndex,
  scenario: Scenario | undefined,
  name: string,
  seq: number,
): { support: unknown; from: string } | undefined {
  const listed = toolAt(index, name, seq);
  if (listed) return { support: listed.taskSupport, from: `tools/list (seq ${listed.seq})` };
  if (hasTool(scenario, name)) return { support: scenarioTaskSupport(scenario, name), from: 'the scenario (no tools/list in the trace)' };
  return undefined;
}

const forbids = (support: unknown) => support === undefined || support === 'forbidden';

/** Client tools/call requests sent while the server declared `tasks.requests.tools.call`. */
function toolCallsUnderCapability(index: TraceIndex) {
  return index.requests
    .filter((req) => req.method === 'tools/call' && req.sender === 'client' && hasInitialize(index, 'server'))
    .filter((req) => declaresTaskRequest(capabilitiesOf(index, 'server', req.seq), 'tools/call'));
}

export const receiverDeclaresTasks = defineCheck({
  id: 'receiver-declares-tasks',
  requirements: ['cap-declare-tasks'],
  blame: 'server',
  run(record: CellRecord) {
    const v = new Verdict();
    for (const { req, receiver, caps } of augmented(indexOf(record))) {
      if (!caps || !isCreateTaskResult(req.response)) continue;
      v.applies();
      if (!declaresTasks(caps)) {
        v.fail(
          receiver,
          `the ${receiver} created a task for ${req.method} (id ${show(req.id)}) but declared no \`tasks\` capability at initialization`,
          [req.seq, req.response?.seq],
        );
      }
    }
    return v.result();
  },
});

export const taskIgnoredWithoutCapability = defineCheck({
  id: 'task-ignored-without-capability',
  requirements: ['handling-undeclared-normal'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    for (const { req, receiver, caps } of augmented(indexOf(record))) {
      if (!caps || !req.response || declaresTaskRequest(caps, req.method)) continue;
      v.applies();
      const res = req.response;
      if (res.error) {
        v.fail(
          receiver,
          `${req.method} carried \`task\` although the ${receiver} does not declare tasks.requests for it; it answered error ${show(res.error.code)} ${show(res.error.message)} instead of processing the request normally`,
          [req.seq, res.seq],
        );
      } else if (isCreateTaskResult(res) && declaresTasks(caps)) {
        // Without any `tasks` capability this is reported by receiver-declares-tasks instead.
        v.fail(
          receiver,
          `${req.method} carried \`task\` although the ${receiver} does not declare tasks.requests for it; it created a task instead of ignoring the task metadata`,
          [req.seq, res.seq],
        );
      }
    }
    return v.result();
  },
});

export const augmentOnlyDeclaredRequests = defineCheck({
  id: 'augment-only-declared-requests',
  requirements: ['neg-augment-declared', 'neg-no-tasks-capability'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    // tools/call has its own MUST NOT (client-task-needs-server-capability).
    for (const { req, receiver, caps } of augmented(indexOf(record))) {
      if (!caps || req.method === 'tools/call') continue;
      v.applies();
      if (!declaresTaskRequest(caps, req.method)) {
        v.fail(
          req.sender,
          `the ${req.sender} augmented ${req.method} (id ${show(req.id)}) with a task, but the ${receiver} declared no tasks.requests capability for it`,
          [req.seq],
        );
      }
    }
    return v.result();
  },
});

export const clientTaskNeedsServerCapability = defineCheck({
  id: 'client-task-needs-server-capability',
  requirements: ['tool-no-capability-no-task', 'neg-augment-declared', 'neg-no-tasks-capability'],
  blame: 'client',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    if (!hasInitialize(index, 'server')) return 'n/a';
    for (const req of index.requests) {
      if (req.method !== 'tools/call' || req.sender !== 'client' || !isTaskAugmented(req)) continue;
      const tool = toolName(req);
      if (tool !== undefined && deliberateTaskCallWithoutCapability(record.scenario, tool)) continue;
      v.applies();
      if (!declaresTaskRequest(capabilitiesOf(index, 'server', req.seq), 'tools/call')) {
        v.fail('client', `tools/call of ${show(tool)} carried \`task\` but the server does not declare tasks.requests.tools.call`, [
          req.seq,
        ]);
      }
    }
    return v.result();
  },
});

export const clientTaskNeedsToolSupport = defineCheck({
  id: 'client-task-needs-tool-support',
  requirements: ['tool-forbidden-no-task'],
  blame: 'client',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const req of toolCallsUnderCapability(index)) {
      const tool = toolName(req);
      if (!isTaskAugmented(req) || tool === undefined) continue;
      const info = toolSupport(index, record.scenario, tool, req.seq);
      if (!info || deliberateTaskCallOnForbidden(record.scenario, tool)) continue;
      v.applies();
      if (forbids(info.support)) {
        v.fail(
          'client',
          `tools/call of ${show(tool)} carried \`task\` but the tool's execution.taskSupport is ${show(info.support)} per ${info.from}`,
          [req.seq],
        );
      }
    }
    return v.result();
  },
});

export const clientRequiredToolAsTask = defineCheck({
  id: 'client-required-tool-as-task',
  requirements: ['tool-required-task'],
  blame: 'client',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const req of toolCallsUnderCapability(index)) {
      const tool = toolName(req);
      if (tool === undefined) continue;
      const info = toolSupport(index, record.scenario, tool, req.seq);
      if (info?.support !== 'required' || deliberatePlainCall(record.scenario, tool)) continue;
      v.applies();
      if (!isTaskAugmented(req)) {
        v.fail(
          'client',
          `tools/call of ${show(tool)} carried no \`task\` but the tool's execution.taskSupport is "required" per ${info.from}`,
          [req.seq],
        );
      }
    }
    return v.result();
  },
});

export const serverRequiredToolError = defineCheck({
  id: 'server-required-tool-error',
  requirements: ['tool-required-error'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const req of toolCallsUnderCapability(index)) {
      const tool = toolName(req);
      if (isTaskAugmented(req) || tool === undefined || !req.response) continue;
      const info = toolSupport(index, record.scenario, tool, req.seq);
      if (info?.support !== 'required') continue;
      v.applies();
      const code = errorCode(req.response);
      if (code !== -32601) {
        const got = req.response.error ? `error ${show(req.response.error.code)}` : `a result ${show(req.response.result)}`;
        v.fail('server', `tools/call of required tool ${show(tool)} without \`task\` was answered with ${got}, not error -32601`, [
          req.seq,
          req.response.seq,
        ]);
      }
    }
    return v.result();
  },
});

export const serverForbiddenToolError = defineCheck({
  id: 'server-forbidden-tool-error',
  requirements: ['tool-forbidden-error'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const req of toolCallsUnderCapability(index)) {
      const tool = toolName(req);
      if (!isTaskAugmented(req) || tool === undefined || !req.response) continue;
      const info = toolSupport(index, record.scenario, tool, req.seq);
      if (!info || !forbids(info.support)) continue;
      v.applies();
      if (errorCode(req.response) !== -32601) {
        const got = req.response.error
          ? `error ${show(req.response.error.code)}`
          : isCreateTaskResult(req.response)
            ? 'a CreateTaskResult'
            : 'a plain result';
        v.fail(
          'server',
          `tools/call with \`task\` of ${show(tool)} (taskSupport ${show(info.support)}) was answered with ${got}, not error -32601`,
          [req.seq, req.response.seq],
        );
      }
    }
    return v.result();
  },
});

export const capabilityChecks = [
  receiverDeclaresTasks,
  taskIgnoredWithoutCapability,
  augmentOnlyDeclaredRequests,
  clientTaskNeedsServerCapability,
  clientTaskNeedsToolSupport,
  clientRequiredToolAsTask,
  serverRequiredToolError,
  serverForbiddenToolError,
];
