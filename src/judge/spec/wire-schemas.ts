/**
 * The harness's own zod schemas of the task messages of MCP 2025-11-25, written from schema.json
 * (`$defs`) so the product needs no copy of the spec at run time. Each export mirrors the
 * definition of the same name, field for field: where the JSON Schema leaves extra properties
 * allowed the schema is loose, "integer" means any JSON number without a fraction (zod's .int()
 * would also cap it at 2^53), and optional means "may be absent" (never null unless the
 * definition says so). test/judge/spec/wire-schemas.test.ts checks them against schema.json.
 */
import { z } from 'zod';

const Int = z.number().refine(Number.isInteger, { message: 'expected an integer' });
const AnyObject = z.record(z.string(), z.unknown());
/** `{"type":"object","additionalProperties":true,"properties":{}}` */
const EmptyLoose = z.looseObject({});

export const RequestId = z.union([z.string(), Int]);
export const ProgressToken = z.union([z.string(), Int]);

/** `_meta` of request params: any object, with progressToken typed when present. */
const RequestMeta = z.looseObject({ progressToken: ProgressToken.optional() });

export const TaskStatus = z.enum(['cancelled', 'completed', 'failed', 'input_required', 'working']);

export const Task = z.looseObject({
  createdAt: z.string(),
  lastUpdatedAt: z.string(),
  pollInterval: Int.optional(),
  status: TaskStatus,
  statusMessage: z.string().optional(),
  taskId: z.string(),
  ttl: Int.nullable(),
});

export const TaskMetadata = z.looseObject({ ttl: Int.optional() });
export const RelatedTaskMetadata = z.looseObject({ taskId: z.string() });

export const Result = z.looseObject({ _meta: AnyObject.optional() });
export const CreateTaskResult = z.looseObject({ _meta: AnyObject.optional(), task: Task });
/** allOf [Result, Task] */
export const GetTaskResult = Task.extend({ _meta: AnyObject.optional() });
export const CancelTaskResult = GetTaskResult;
export const GetTaskPayloadResult = z.looseObject({ _meta: AnyObject.optional() });
export const ListTasksResult = z.looseObject({
  _meta: AnyObject.optional(),
  nextCursor: z.string().optional(),
  tasks: z.array(Task),
});

const TaskIdParams = z.looseObject({ taskId: z.string() });
const request = <M extends string, P extends z.ZodType>(method: M, params: P) =>
  z.looseObject({ id: RequestId, jsonrpc: z.literal('2.0'), method: z.literal(method), params });

export const GetTaskRequest = request('tasks/get', TaskIdParams);
export const GetTaskPayloadRequest = request('tasks/result', TaskIdParams);
export const CancelTaskRequest = request('tasks/cancel', TaskIdParams);
export const PaginatedRequestParams = z.looseObject({ _meta: RequestMeta.optional(), cursor: z.string().optional() });
export const ListTasksRequest = request('tasks/list', PaginatedRequestParams.optional());

export const NotificationParams = z.looseObject({ _meta: AnyObject.optional() });
/** allOf [NotificationParams, Task] */
export const TaskStatusNotificationParams = Task.extend({ _meta: AnyObject.optional() });
export const TaskStatusNotification = z.looseObject({
  jsonrpc: z.literal('2.0'),
  method: z.literal('notifications/tasks/status'),
  params: TaskStatusNotificationParams,
});

export const ToolExecution = z.looseObject({ taskSupport: z.enum(['forbidden', 'optional', 'required']).optional() });

export const CallToolRequestParams = z.looseObject({
  _meta: RequestMeta.optional(),
  arguments: AnyObject.optional(),
  name: z.string(),
  task: TaskMetadata.optional(),
});

const Experimental = z.record(z.string(), EmptyLoose);

export const ClientCapabilities = z.looseObject({
  elicitation: z.looseObject({ form: EmptyLoose.optional(), url: EmptyLoose.optional() }).optional(),
  experimental: Experimental.optional(),
  roots: z.looseObject({ listChanged: z.boolean().optional() }).optional(),
  sampling: z.looseObject({ context: EmptyLoose.optional(), tools: EmptyLoose.optional() }).optional(),
  tasks: z
    .looseObject({
      cancel: EmptyLoose.optional(),
      list: EmptyLoose.optional(),
      requests: z
        .looseObject({
          elicitation: z.looseObject({ create: EmptyLoose.optional() }).optional(),
          sampling: z.looseObject({ createMessage: EmptyLoose.optional() }).optional(),
        })
        .optional(),
    })
    .optional(),
});

export const ServerCapabilities = z.looseObject({
  completions: EmptyLoose.optional(),
  experimental: Experimental.optional(),
  logging: EmptyLoose.optional(),
  prompts: z.looseObject({ listChanged: z.boolean().optional() }).optional(),
  resources: z.looseObject({ listChanged: z.boolean().optional(), subscribe: z.boolean().optional() }).optional(),
  tasks: z
    .looseObject({
      cancel: EmptyLoose.optional(),
      list: EmptyLoose.optional(),
      requests: z
        .looseObject({
          tools: z.looseObject({ call: EmptyLoose.optional() }).optional(),
        })
        .optional(),
    })
    .optional(),
  tools: z.looseObject({ listChanged: z.boolean().optional() }).optional(),
});

/** Every schema by its schema.json `$defs` name (the cross-check test walks this). */
export const WIRE_SCHEMAS = {
  Task,
  TaskStatus,
  TaskMetadata,
  RelatedTaskMetadata,
  Result,
  CreateTaskResult,
  GetTaskResult,
  CancelTaskResult,
  GetTaskPayloadResult,
  ListTasksResult,
  GetTaskRequest,
  GetTaskPayloadRequest,
  CancelTaskRequest,
  ListTasksRequest,
  PaginatedRequestParams,
  NotificationParams,
  TaskStatusNotificationParams,
  TaskStatusNotification,
  ToolExecution,
  CallToolRequestParams,
  ClientCapabilities,
  ServerCapabilities,
} as const satisfies Record<string, z.ZodType>;

export type WireSchemaName = keyof typeof WIRE_SCHEMAS;

/** Validates `value` against one schema; problems as `path: message` lines (empty when valid). */
export function validateWire(name: WireSchemaName, value: unknown): string[] {
  const parsed = WIRE_SCHEMAS[name].safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
}
