/**
 * The `wire-schema` check: every task message in the trace against the harness's zod schemas
 * (wire-schemas.ts). Results are judged by the method of the request they answer; the sender of a
 * malformed message is blamed.
 */
import { type Entry, indexOf, isObject, isTaskAugmented, RELATED_TASK_KEY } from '../trace-index.js';
import { defineCheck, Verdict } from './define.js';
import { isScripted } from './script.js';
import { validateWire, type WireSchemaName } from './wire-schemas.js';

interface Target {
  schema: WireSchemaName;
  what: string;
  value: unknown;
}

const REQUEST_SCHEMAS: Record<string, WireSchemaName> = {
  'tasks/get': 'GetTaskRequest',
  'tasks/result': 'GetTaskPayloadRequest',
  'tasks/cancel': 'CancelTaskRequest',
  'tasks/list': 'ListTasksRequest',
};

const RESULT_SCHEMAS: Record<string, WireSchemaName> = {
  'tasks/get': 'GetTaskResult',
  'tasks/result': 'GetTaskPayloadResult',
  'tasks/cancel': 'CancelTaskResult',
  'tasks/list': 'ListTasksResult',
};

function relatedTaskTarget(container: unknown, what: string): Target[] {
  if (!isObject(container) || !isObject(container._meta) || !(RELATED_TASK_KEY in container._meta)) return [];
  return [{ schema: 'RelatedTaskMetadata', what: `${what}._meta["${RELATED_TASK_KEY}"]`, value: container._meta[RELATED_TASK_KEY] }];
}

/** What to validate in one message. */
export function targetsOf(entry: Entry): Target[] {
  const out: Target[] = [];
  if (entry.kind === 'request') {
    const schema = REQUEST_SCHEMAS[entry.method];
    if (schema) out.push({ schema, what: `${entry.method} request`, value: entry.msg });
    else if (entry.method === 'tools/call')
      out.push({ schema: 'CallToolRequestParams', what: 'tools/call params', value: entry.msg.params });
    else if (isTaskAugmented(entry)) out.push({ schema: 'TaskMetadata', what: `${entry.method} params.task`, value: entry.params!.task });
    if (entry.method === 'initialize' && entry.params && 'capabilities' in entry.params) {
      out.push({ schema: 'ClientCapabilities', what: 'initialize params.capabilities', value: entry.params.capabilities });
    }
    out.push(...relatedTaskTarget(entry.params, `${entry.method} params`));
  } else if (entry.kind === 'notification') {
    if (entry.method === 'notifications/tasks/status')
      out.push({ schema: 'TaskStatusNotification', what: 'notifications/tasks/status', value: entry.msg });
    out.push(...relatedTaskTarget(entry.params, `${entry.method} params`));
  } else if (entry.result && entry.request) {
    const req = entry.request;
    const schema = RESULT_SCHEMAS[req.method];
    if (schema) out.push({ schema, what: `${req.method} result`, value: entry.result });
    else if (isTaskAugmented(req) && 'task' in entry.result)
      out.push({ schema: 'CreateTaskResult', what: `CreateTaskResult for ${req.method}`, value: entry.result });
    if (req.method === 'initialize' && 'capabilities' in entry.result) {
      out.push({ schema: 'ServerCapabilities', what: 'initialize result.capabilities', value: entry.result.capabilities });
    }
    if (req.method === 'tools/list' && Array.isArray(entry.result.tools)) {
      entry.result.tools.forEach((tool, i) => {
        if (isObject(tool) && 'execution' in tool)
          out.push({ schema: 'ToolExecution', what: `tools/list result tools[${i}].execution`, value: tool.execution });
      });
    }
    out.push(...relatedTaskTarget(entry.result, `${req.method} result`));
  }
  return out;
}

export const wireSchema = defineCheck({
  id: 'wire-schema',
  requirements: ['schema-task-messages', 'schema-task-status', 'schema-poll-interval', 'schema-status-notification'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    for (const entry of indexOf(record).entries) {
      // What a raw `send` put on the wire is the scenario's own (often invalid on purpose).
      if (isScripted(record, entry.seq)) continue;
      for (const target of targetsOf(entry)) {
        v.applies();
        const problems = validateWire(target.schema, target.value);
        if (problems.length) {
          const more = problems.length > 3 ? ` (+${problems.length - 3} more)` : '';
          v.fail(entry.sender, `${target.what} is not a valid ${target.schema}: ${problems.slice(0, 3).join('; ')}${more}`, [entry.seq]);
        }
      }
    }
    return v.result();
  },
});
