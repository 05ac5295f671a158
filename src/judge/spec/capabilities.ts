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
  deliberateUndeclaredAugment,
  hasTool,
  scenarioTaskSupport,
} from './exemptions.js';
import { isScripted } from './script.js';
import { validateWire } from './wire-schemas.js';

/** Task-augmented requests that got an answer, with the receiver's capabilities when known. */
function augmented(index: TraceIndex) {
  return index.requests.filter(isTaskAugmented).map((req) => {
    const receiver = otherSide(req.sender);
    return {
      req,
      receiver,
      caps: hasInitialize(index, receiver, req.session) ? capabilitiesOf(index, receiver, req.seq, req.session) : undefined,
    };
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
    .filter((req) => req.method === 'tools/call' && req.sender === 'client' && hasInitialize(index, 'server', req.session))
    .filter((req) => declaresTaskRequest(capabilitiesOf(index, 'server', req.seq, req.session), 'tools/call'));
}

/**
 * Why an error to a task-augmented request may be the request's own doing rather than the task
 * metadata's: malformed params, a tool the server does not have, or the same error for the same
 * call made without `task`. Undefined when nothing but the task metadata explains it.
 */
function ownError(index: TraceIndex, scenario: Scenario | undefined, req: RequestEntry): string | undefined {
  const params = { ...req.params };
  delete params.task;
  if (req.method === 'tools/call') {
    const problems = validateWire('CallToolRequestParams', params);
    if (problems.length) return `its params are malformed (${problems[0]})`;
    const tool = toolName(req);
    if (tool !== undefined && !toolAt(index, tool, req.seq) && !hasTool(scenario, tool)) return `the server has no tool ${show(tool)}`;
  }
  const code = req.response?.error?.code;
  const plain = index.requests.find(
    (r) =>
      r.method === req.method &&
      !isTaskAugmented(r) &&
      r.sender === req.sender &&
      toolName(r) === toolName(req) &&
      r.response?.error?.code === code,
  );
  return plain ? `the same ${req.method} without \`task\` got the same error (seq ${plain.response!.seq})` : undefined;
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
    const index = indexOf(record);
    for (const { req, receiver, caps } of augmented(index)) {
      if (!caps || !req.response || declaresTaskRequest(caps, req.method)) continue;
      v.applies();
      const res = req.response;
      // Processing normally may well end in an error the request itself earns.
      if (res.error && ownError(index, record.scenario, req) !== undefined) continue;
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
    // One finding per sender and method: a loop that augments every poll says it once.
    const wrong = new Map<string, { req: RequestEntry; receiver: string; seqs: number[] }>();
    // tools/call has its own MUST NOT (client-task-needs-server-capability). What the scenario
    // told the requestor to send (a raw `send`, a server told to augment regardless) is not judged.
    for (const { req, receiver, caps } of augmented(indexOf(record))) {
      if (!caps || req.method === 'tools/call' || isScripted(record, req.seq)) continue;
      if (req.sender === 'server' && deliberateUndeclaredAugment(record.scenario, req.method)) continue;
      v.applies();
      if (declaresTaskRequest(caps, req.method)) continue;
      const key = `${req.sender}|${req.method}`;
      const seen = wrong.get(key);
      if (seen) seen.seqs.push(req.seq);
      else wrong.set(key, { req, receiver, seqs: [req.seq] });
    }
    for (const { req, receiver, seqs } of wrong.values()) {
      // tasks/* requests are never task-augmentable (TS requestStream copies `task` into its polls).
      const why = req.method.startsWith('tasks/') ? ` (a ${req.method} is not a request type tasks can augment)` : '';
      const times =
        seqs.length > 1 ? `${seqs.length} ${req.method} requests (first id ${show(req.id)})` : `${req.method} (id ${show(req.id)})`;
      v.fail(
        req.sender,
        `the ${req.sender} augmented ${times} with a task, but the ${receiver} declared no tasks.requests capability for it${why}`,
        seqs.slice(0, 10),
      );
    }
    return v.result();
  },
});

export const clientTaskNeedsServerCapability = defineCheck({
  id: 'client-task-needs-server-capability',
  requirements: ['tool-no-capability-no-task', 'neg-augment-declared', 'neg-no-tasks-capability'],
  blame: 'client',
  serverToClient: false,
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const req of index.requests) {
      if (req.method !== 'tools/call' || req.sender !== 'client' || !isTaskAugmented(req) || isScripted(record, req.seq)) continue;
      if (!hasInitialize(index, 'server', req.session)) continue;
      const tool = toolName(req);
      if (tool !== undefined && deliberateTaskCallWithoutCapability(record.scenario, tool)) continue;
      v.applies();
      if (!declaresTaskRequest(capabilitiesOf(index, 'server', req.seq, req.session), 'tools/call')) {
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
  serverToClient: false,
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const req of toolCallsUnderCapability(index)) {
      const tool = toolName(req);
      if (!isTaskAugmented(req) || tool === undefined || isScripted(record, req.seq)) continue;
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
  serverToClient: false,
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const req of toolCallsUnderCapability(index)) {
      const tool = toolName(req);
      if (tool === undefined || isScripted(record, req.seq)) continue;
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
  serverToClient: false,
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
  serverToClient: false,
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
