/**
 * The scenario vocabulary: the one definition of what a scenario file may say.
 *
 * Server actions (a tool's behaviour) and client steps are "one kind key per object" in YAML
 * (`- sleep: 200`, `- callTask: greet` with sibling fields). Before validation each object gets a
 * `kind` field naming that key, so the drivers dispatch on `kind` and error paths stay exactly the
 * paths of the file (`client.steps[2].ttl`). Drivers receive this normalised JSON minus the
 * expectations (see driver-input.ts); Python drivers read the generated JSON Schema
 * (drivers/vocabulary.schema.json) of the same definition.
 */
import { z } from 'zod';
import { FAULT_KINDS, FAULT_MEMBERS } from './faults.js';
import { SPEC_SECTION_IDS } from './spec-sections.js';

export const TASK_STATUSES = ['working', 'input_required', 'completed', 'failed', 'cancelled'] as const;
export const TERMINAL_STATUSES = ['completed', 'failed', 'cancelled'] as const;
export const TaskStatus = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatus>;

const Ms = z.number().int().nonnegative();
/** A duration that must be positive (timeouts: 0 would give up at once). */
const PositiveMs = z.number().int().positive();

/** Description and an example for editors and the generated schemas (issue: scenario authoring). */
function doc<T extends z.ZodType>(schema: T, description: string, example?: unknown): T {
  return schema.meta({ description, ...(example !== undefined ? { examples: [example] } : {}) }) as T;
}
const Name = z.string().regex(/^[A-Za-z][\w-]*$/, 'expected a name made of letters, digits, "_" and "-"');
const JsonObject = z.record(z.string(), z.unknown());

/** MCP content blocks as the scenario writes them; strings inside may use {{templates}}. */
export const ContentBlock = z.looseObject({ type: z.string() });

/**
 * Accepts `{kind-key: value, ...siblings}` (or a bare `"kind"` string for kinds without a value)
 * and adds `kind`, so that a discriminated union on `kind` can validate it with exact paths.
 */
function keyed<const K extends string, T extends z.ZodType>(kinds: readonly K[], union: T) {
  return z.preprocess((value) => {
    if (typeof value === 'string' && (kinds as readonly string[]).includes(value)) return { kind: value };
    if (value && typeof value === 'object' && !Array.isArray(value) && !('kind' in value)) {
      const present = Object.keys(value).filter((k) => (kinds as readonly string[]).includes(k));
      if (present.length === 1) {
        // `getTask:` with nothing after it (YAML null) means "no alias": drop it, so that only
        // the sibling `taskId:` names the task and drivers never see a null argument.
        const { [present[0]!]: arg, ...rest } = value as Record<string, unknown>;
        return arg === null ? { kind: present[0], ...rest } : { kind: present[0], ...value };
      }
    }
    return value;
  }, union);
}

// ---------------------------------------------------------------------------------------------
// Server side: a tool's behaviour, run in order by the server driver.

export const SleepAction = z.strictObject({
  kind: z.literal('sleep'),
  /** Milliseconds to wait; ends early when the task is cancelled. */
  sleep: Ms,
});
export const ProgressAction = z.strictObject({
  kind: z.literal('progress'),
  /** The progress value, sent as notifications/progress on the request's progressToken. */
  progress: z.number(),
  total: z.number().optional(),
  message: z.string().optional(),
});
export const StatusAction = z.strictObject({
  kind: z.literal('status'),
  /** A statusMessage set on the (still working) task. */
  status: z.string(),
});
export const ElicitAction = z.strictObject({
  kind: z.literal('elicit'),
  /** The message of a form-mode elicitation/create sent for the task (input_required). */
  elicit: z.string(),
  requestedSchema: JsonObject,
  /** Name under which the answer is kept for templates: {{<as>.action}}, {{<as>.content.<field>}}. */
  as: Name.default('elicitation'),
});
export const SampleAction = z.strictObject({
  kind: z.literal('sample'),
  /** The user message text of a sampling/createMessage request sent for the task (input_required). */
  sample: z.string(),
  maxTokens: z.number().int().positive().default(100),
  /** Name under which the answer is kept for templates: {{<as>.content.text}}, {{<as>.model}}. */
  as: Name.default('sampling'),
});
export const CompleteAction = z.strictObject({
  kind: z.literal('complete'),
  /** The CallToolResult content; strings may use {{arguments.x}} and elicitation/sampling answers. */
  complete: z.array(ContentBlock),
  structuredContent: JsonObject.optional(),
});
export const FailAction = z.strictObject({
  kind: z.literal('fail'),
  /** Content of the CallToolResult with isError: true; the task ends `failed` (spec: Task Execution Errors). */
  fail: z.array(ContentBlock),
  statusMessage: z.string().optional(),
});
export const ThrowAction = z.strictObject({
  kind: z.literal('throw'),
  /** The tool raises an exception with this message, the way application code fails. */
  throw: z.string(),
});
export const WaitForCancelAction = z.strictObject({
  kind: z.literal('waitForCancel'),
  /** Waits until the task is cancelled, at most this many milliseconds. */
  waitForCancel: Ms,
  /**
   * Once cancelled, the work goes on this long (its clean-up) before it stops. A scenario sets it
   * so that what happens when the work stops (an SDK that fails then, say) comes after the
   * tasks/cancel answer and the requestor's next poll instead of racing them.
   */
  cleanupMs: doc(Ms.default(0), 'Once the task is cancelled, the work takes this long to stop (its clean-up).', 500),
});

/**
 * Server→client tasks: the server sends a task-augmented request to the client (the client is
 * then the receiver), the SDK polls the client's task and fetches its result, and the answer is
 * kept for templates. With `cancelAfterMs` the server cancels the client's task instead.
 */
export const ElicitTaskAction = z.strictObject({
  kind: z.literal('elicitTask'),
  /** The message of a task-augmented form-mode elicitation/create to the client. */
  elicitTask: z.string(),
  requestedSchema: JsonObject,
  /** The ttl the server requests for the client-side task. */
  ttl: Ms.default(60_000),
  /** Name under which the answer is kept for templates, as for `elicit`. */
  as: Name.default('elicitation'),
  /** Cancel the client's task this long after it was created (tasks/cancel to the client) instead of waiting for its result. */
  cancelAfterMs: Ms.optional(),
});
export const SampleTaskAction = z.strictObject({
  kind: z.literal('sampleTask'),
  /** The user message text of a task-augmented sampling/createMessage to the client. */
  sampleTask: z.string(),
  maxTokens: z.number().int().positive().default(100),
  ttl: Ms.default(60_000),
  as: Name.default('sampling'),
  cancelAfterMs: Ms.optional(),
});

export const SERVER_ACTION_KINDS = [
  'sleep',
  'progress',
  'status',
  'elicit',
  'sample',
  'elicitTask',
  'sampleTask',
  'complete',
  'fail',
  'throw',
  'waitForCancel',
] as const;
export type ServerActionKind = (typeof SERVER_ACTION_KINDS)[number];

export const ServerAction = keyed(
  SERVER_ACTION_KINDS,
  z.discriminatedUnion('kind', [
    SleepAction,
    ProgressAction,
    StatusAction,
    ElicitAction,
    SampleAction,
    ElicitTaskAction,
    SampleTaskAction,
    CompleteAction,
    FailAction,
    ThrowAction,
    WaitForCancelAction,
  ]),
);
export type ServerAction = z.output<typeof ServerAction>;

export const TaskSupport = z.enum(['forbidden', 'optional', 'required']);

export const Tool = z.strictObject({
  name: z.string().min(1),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: JsonObject.default({ type: 'object' }),
  /** Omitted means the spec default, "forbidden" (tool-level negotiation). */
  execution: z.strictObject({ taskSupport: TaskSupport.optional() }).optional(),
  /**
   * A string the CreateTaskResult carries as `_meta["io.modelcontextprotocol/model-immediate-response"]`
   * (spec: Creating Tasks), through the SDK's way of attaching it.
   */
  immediateResponse: z.string().optional(),
  actions: z.array(ServerAction).min(1),
});
export type Tool = z.output<typeof Tool>;

export const TtlPolicy = z.strictObject({
  /** TTL used when the requestor sends none, or when requested ttls are not honoured; null = unlimited. */
  default: Ms.nullable().default(60_000),
  /** Upper bound applied to honoured requests (spec: receivers MAY override the requested ttl). */
  max: Ms.optional(),
  /** true: use the requested ttl (capped at max); false: always use `default`. */
  honourRequested: z.boolean().default(true),
});

export const ServerSection = z.strictObject({
  ttl: TtlPolicy.default({ default: 60_000, honourRequested: true }),
  /** pollInterval the server suggests in its tasks, in milliseconds. */
  pollInterval: Ms.default(100),
  /** Which tasks capabilities the server declares; all true by default. */
  capabilities: z
    .strictObject({
      list: z.boolean().default(true),
      cancel: z.boolean().default(true),
      toolsCall: z.boolean().default(true),
    })
    .default({ list: true, cancel: true, toolsCall: true }),
  tools: z.array(Tool).min(1),
});

// ---------------------------------------------------------------------------------------------
// Client side: steps run in order by the client driver, each with optional expectations.

/** A JSON-RPC error code the step must end with. */
const ErrorCode = z.number().int();

/** Expectations are judged by the harness; drivers never see them. Which key applies to which step: EXPECT_KEYS. */
export const Expect = z.strictObject({
  error: doc(
    ErrorCode.optional(),
    'The step must fail with this JSON-RPC error code. Without it (or mayFail), any error fails the step.',
    -32602,
  ),
  mayFail: doc(
    z.boolean().optional(),
    'The step may succeed or fail: the scenario leaves the answer to the spec checks (for what the spec only says SHOULD about, or leaves to the receiver).',
    true,
  ),
  status: doc(
    TaskStatus.optional(),
    'Status of the Task the step ends with (CreateTaskResult, tasks/get, last poll, tasks/cancel, the end of awaitTask).',
    'completed',
  ),
  task: doc(JsonObject.optional(), 'Partial match on that Task object (statusMessage, ttl, pollInterval, ...).', { ttl: 30000 }),
  statuses: doc(z.array(TaskStatus).min(1).optional(), 'The distinct statuses a poll (or awaitTask) saw, in order, repeats collapsed.', [
    'working',
    'completed',
  ]),
  content: doc(
    z.array(ContentBlock).optional(),
    "Partial match on the result's content array: same length, each block has at least these fields.",
    [{ type: 'text', text: '42' }],
  ),
  structuredContent: doc(JsonObject.optional(), "Partial match on the result's structuredContent.", { city: 'Paris' }),
  isError: doc(z.boolean().optional(), "The result's isError (absent counts as false).", true),
  tools: doc(z.array(z.string()).optional(), 'listTools: exactly these tool names.', ['greet']),
  includes: doc(
    z.array(Name).optional(),
    'listTasks: these task aliases (from `as`; a repeated callTask alias means all its tasks) are in the list.',
    ['t'],
  ),
  excludes: doc(z.array(Name).optional(), "listTasks: these task aliases are not in the list (another session's tasks, say).", ['other']),
  count: doc(z.number().int().nonnegative().optional(), 'listTasks: the number of tasks listed (over every page with `all: true`).', 12),
  inputRequests: doc(
    z.number().int().nonnegative().optional(),
    'How many elicitation/sampling requests the client answered while the step ran.',
    1,
  ),
  created: doc(z.boolean().optional(), 'awaitTask: whether the call created a task (with `augment: auto` the SDK decides).', true),
  result: doc(JsonObject.optional(), 'send: partial match on the JSON-RPC result.', { tasks: [] }),
});
export type Expect = z.infer<typeof Expect>;
export type ExpectKey = keyof Expect;

const stepCommon = {
  name: doc(Name.optional(), 'A stable name for reports and the known-failures baseline; default `s<n>-<kind>`.', 'cancel-again'),
  expect: Expect.optional(),
  timeoutMs: doc(PositiveMs.optional(), 'Longest time the step may take before the driver gives up on it (default 10000).', 5000),
  session: doc(
    Name.optional(),
    'The client session the step uses (declared in `client.sessions`); default the first one, `main`.',
    'other',
  ),
};

/** A task reference: an alias given by an earlier `as`, or a literal task id with `taskId:`. */
const TaskRef = Name;
const LiteralTaskId = doc(z.string().optional(), 'A literal task id instead of an alias (an unknown id, say).', 'does-not-exist');

export const ListToolsStep = z.strictObject({ kind: z.literal('listTools'), listTools: z.null().optional(), ...stepCommon });
export const CallTaskStep = z.strictObject({
  kind: z.literal('callTask'),
  callTask: doc(z.string().min(1), 'Tool name: tools/call augmented with `task` (a ttl when given, else `task: {}`).', 'greet'),
  arguments: JsonObject.default({}),
  ttl: Ms.optional(),
  as: doc(Name.optional(), 'Alias for the created task (all of them, with repeat), used by later steps.', 't'),
  repeat: doc(z.number().int().min(1).max(100).default(1), 'Create this many tasks, one call after the other.', 12),
  ...stepCommon,
});
export const CallToolStep = z.strictObject({
  kind: z.literal('callTool'),
  callTool: doc(z.string().min(1), 'Tool name: a plain tools/call without task augmentation.', 'greet'),
  arguments: JsonObject.default({}),
  ...stepCommon,
});
export const AwaitTaskStep = z.strictObject({
  kind: z.literal('awaitTask'),
  awaitTask: doc(
    z.string().min(1),
    "Tool name: hands the whole call to the client's high-level flow (TS callToolStream): call, poll, fetch the result, answer input requests; low-level implementations run the same with their own loop. Records every status the flow reported.",
    'greet',
  ),
  arguments: JsonObject.default({}),
  ttl: Ms.optional(),
  augment: doc(
    z.enum(['always', 'auto']).default('always'),
    '`always`: the call carries `task`; `auto`: the SDK decides (TS callToolStream: when the server declares tasks.requests.tools.call and listTools showed the tool optional or required).',
    'auto',
  ),
  as: Name.optional(),
  cancelAfterMs: doc(
    Ms.optional(),
    'Cancel the task (tasks/cancel) this long after it was created, while the flow runs, to see how the flow reports a cancelled task.',
    200,
  ),
  ...stepCommon,
});
export const PollStep = z.strictObject({
  kind: z.literal('poll'),
  poll: doc(TaskRef, "tasks/get repeatedly, waiting the task's pollInterval, until the status is one of `until`.", 't'),
  until: z.array(TaskStatus).min(1).default(['completed', 'failed', 'cancelled']),
  ...stepCommon,
});
export const GetTaskStep = z.strictObject({
  kind: z.literal('getTask'),
  getTask: doc(TaskRef.optional(), 'One tasks/get of the aliased task.', 't'),
  taskId: LiteralTaskId,
  ...stepCommon,
});
export const ResultStep = z.strictObject({
  kind: z.literal('result'),
  result: doc(TaskRef.optional(), 'tasks/result: blocks until the task is terminal; input requests arriving meanwhile are answered.', 't'),
  taskId: LiteralTaskId,
  ...stepCommon,
});
export const ListTasksStep = z.strictObject({
  kind: z.literal('listTasks'),
  listTasks: z.null().optional(),
  cursor: doc(
    z.string().optional(),
    'The cursor to send (a bogus one, say); templates such as {{page1.nextCursor}} are not supported, use `all`.',
    'bogus',
  ),
  all: doc(z.boolean().default(false), 'Follow nextCursor to the end, recording each page; expectations judge the union.', true),
  ...stepCommon,
});
export const CancelStep = z.strictObject({
  kind: z.literal('cancel'),
  cancel: doc(TaskRef.optional(), 'tasks/cancel of the aliased task.', 't'),
  taskId: LiteralTaskId,
  ...stepCommon,
});
export const WaitStep = z.strictObject({
  kind: z.literal('wait'),
  wait: doc(Ms, 'Do nothing for this many milliseconds.', 300),
  ...stepCommon,
});
export const SendStep = z.strictObject({
  kind: z.literal('send'),
  send: doc(
    z.string().min(1),
    "Raw client only: a JSON-RPC request with exactly this method and params ({{alias}} in a string becomes that task's id, {{step.path}} a value of the result an earlier step (by its name) recorded, e.g. {{page1.nextCursor}}; a string that is only a template becomes the value itself).",
    'tasks/get',
  ),
  params: doc(z.unknown().optional(), 'The params, sent exactly (any JSON, including invalid ones).', { taskId: '{{t}}' }),
  id: doc(
    z.union([z.string(), z.number(), z.null()]).optional(),
    'The JSON-RPC id to use (default: the next number); null sends `"id": null`.',
    'req-1',
  ),
  notification: doc(z.boolean().default(false), 'Send it as a notification (no id, no answer awaited).', true),
  ...stepCommon,
});
export const SendRawStep = z.strictObject({
  kind: z.literal('sendRaw'),
  sendRaw: doc(
    z.string(),
    'Raw client only: this exact text as one message (a stdio line, or an HTTP POST body), e.g. invalid JSON.',
    '{"jsonrpc":"2.0","id":7,',
  ),
  ...stepCommon,
});

export const CLIENT_STEP_KINDS = [
  'listTools',
  'callTask',
  'callTool',
  'awaitTask',
  'poll',
  'getTask',
  'result',
  'listTasks',
  'cancel',
  'wait',
  'send',
  'sendRaw',
] as const;
export type ClientStepKind = (typeof CLIENT_STEP_KINDS)[number];

/** Which expectation keys mean something for which step (others are rejected at load). */
export const EXPECT_KEYS: Record<ClientStepKind, readonly ExpectKey[]> = {
  listTools: ['error', 'mayFail', 'tools'],
  callTask: ['error', 'mayFail', 'status', 'task'],
  callTool: ['error', 'mayFail', 'content', 'structuredContent', 'isError', 'inputRequests'],
  awaitTask: ['error', 'mayFail', 'status', 'task', 'statuses', 'content', 'structuredContent', 'isError', 'inputRequests', 'created'],
  poll: ['error', 'mayFail', 'status', 'task', 'statuses'],
  getTask: ['error', 'mayFail', 'status', 'task'],
  result: ['error', 'mayFail', 'content', 'structuredContent', 'isError', 'inputRequests'],
  listTasks: ['error', 'mayFail', 'includes', 'excludes', 'count'],
  cancel: ['error', 'mayFail', 'status', 'task'],
  wait: ['inputRequests'],
  send: ['error', 'mayFail', 'result', 'inputRequests'],
  sendRaw: ['error', 'mayFail', 'result'],
};

export const ClientStep = keyed(
  CLIENT_STEP_KINDS,
  z
    .discriminatedUnion('kind', [
      ListToolsStep,
      CallTaskStep,
      CallToolStep,
      AwaitTaskStep,
      PollStep,
      GetTaskStep,
      ResultStep,
      ListTasksStep,
      CancelStep,
      WaitStep,
      SendStep,
      SendRawStep,
    ])
    .superRefine((step, ctx) => {
      // getTask/result/cancel name their task by alias (value of the kind key) or by literal taskId.
      if (step.kind === 'getTask' || step.kind === 'result' || step.kind === 'cancel') {
        const alias = (step as Record<string, unknown>)[step.kind];
        if ((alias === undefined) === (step.taskId === undefined)) {
          ctx.addIssue({
            code: 'custom',
            path: [step.kind],
            message: 'expected a task alias, or a literal `taskId:` (exactly one of them)',
          });
        }
      }
      for (const key of Object.keys(step.expect ?? {}) as ExpectKey[]) {
        if (!EXPECT_KEYS[step.kind].includes(key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['expect', key],
            message: `\`${key}\` does not apply to a ${step.kind} step (it takes ${EXPECT_KEYS[step.kind].join(', ')})`,
          });
        }
      }
    }),
);
export type ClientStep = z.output<typeof ClientStep>;

export const ElicitationAnswer = z.strictObject({
  action: z.enum(['accept', 'decline', 'cancel']),
  content: JsonObject.optional(),
});
export const SamplingAnswer = z.strictObject({
  text: z.string(),
  model: z.string().default('interop-model'),
});

/**
 * The client as a task receiver (server→client tasks): which task-augmented requests it declares
 * in its `tasks` capability, and how it runs the tasks it creates for them.
 */
export const ClientTasks = z.strictObject({
  elicitation: doc(
    z.boolean().default(true),
    'Declare tasks.requests.elicitation.create and answer task-augmented elicitations with a task.',
    true,
  ),
  sampling: doc(
    z.boolean().default(true),
    'Declare tasks.requests.sampling.createMessage and answer task-augmented sampling with a task.',
    true,
  ),
  list: z.boolean().default(true),
  cancel: z.boolean().default(true),
  ttl: TtlPolicy.default({ default: 60_000, honourRequested: true }),
  pollInterval: doc(Ms.default(100), 'pollInterval the client suggests in its tasks, in milliseconds.', 100),
  answerDelayMs: doc(
    Ms.default(0),
    "How long the client works on a task before storing its canned answer (so that the server's polls are seen).",
    300,
  ),
});
export type ClientTasks = z.output<typeof ClientTasks>;

export const ClientSection = z.strictObject({
  elicitation: doc(
    z.array(ElicitationAnswer).default([]),
    'Canned answers to elicitation/create, used in order; when exhausted the client answers `cancel`.',
    [{ action: 'accept', content: { name: 'Ada' } }],
  ),
  sampling: doc(
    z.array(SamplingAnswer).default([]),
    'Canned answers to sampling/createMessage, used in order; when exhausted the client answers an error.',
    [{ text: 'All good.' }],
  ),
  tasks: doc(ClientTasks.optional(), 'The client as task receiver: declared when present (server→client tasks).', {
    elicitation: true,
    answerDelayMs: 300,
  }),
  sessions: doc(
    z.array(Name).min(1).default(['main']),
    'The client sessions the scenario opens, in order (each its own initialize; over HTTP its own Mcp-Session-Id). Steps name one with `session`.',
    ['main', 'other'],
  ),
  handshake: doc(
    z.enum(['auto', 'manual']).default('auto'),
    '`manual` (raw client only): no initialize is sent for the client; the steps send it (or do not, to probe a request before initialize).',
    'manual',
  ),
  steps: z.array(ClientStep).min(1),
});

export const Fault = keyed(FAULT_KINDS, z.discriminatedUnion('kind', [...FAULT_MEMBERS]));
export type Fault = z.output<typeof Fault>;

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Checks of a whole scenario that catch authors' mistakes at load time.

/** `{{path}}` in a string; TEMPLATE_OPEN finds every opening, so an unclosed one is caught too. */
const TEMPLATE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const TEMPLATE_PATH = /^[A-Za-z_][\w-]*(\.[\w-]+)*$/;

/** Every string inside a JSON value, with its path. */
function stringsIn(value: unknown, path: PropertyKey[], out: { text: string; path: PropertyKey[] }[] = []): typeof out {
  if (typeof value === 'string') out.push({ text: value, path });
  else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) stringsIn(v, [...path, i], out);
  } else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) stringsIn(v, [...path, k], out);
  return out;
}

/** Problems of the {{templates}} in `text`: syntax, and the first path segment against `known`. */
function templateIssues(text: string, known: Set<string>, what: string): string[] {
  const problems: string[] = [];
  const opens = text.split('{{').length - 1;
  const matches = [...text.matchAll(TEMPLATE)];
  if (matches.length !== opens) problems.push(`a template does not parse: ${JSON.stringify(text)} (expected {{name.path}})`);
  for (const m of matches) {
    const path = m[1]!;
    if (!TEMPLATE_PATH.test(path)) problems.push(`{{${path}}} is not a template path (expected letters, digits, "_", "-" and dots)`);
    else if (!known.has(path.split('.')[0]!))
      problems.push(`{{${path}}} names "${path.split('.')[0]}", which ${what} (known: ${[...known].join(', ') || 'none'})`);
  }
  return problems;
}

const INPUT_ACTIONS = new Set(['elicit', 'sample', 'elicitTask', 'sampleTask']);

/**
 * Templates that cannot work, known at load time: `{{nope` (no closing braces), or a name no
 * earlier action defines (`{{who.content.name}}` before any `as: who`), in a tool's results; and
 * task aliases not yet given in a `send` step's params.
 */
export function templateProblems(s: {
  server: { tools: Tool[] };
  client: { steps: ClientStep[] };
}): { path: PropertyKey[]; message: string }[] {
  const out: { path: PropertyKey[]; message: string }[] = [];
  s.server.tools.forEach((tool, t) => {
    const known = new Set(['arguments']);
    tool.actions.forEach((action, a) => {
      const base = ['server', 'tools', t, 'actions', a];
      const templated =
        action.kind === 'complete'
          ? { complete: action.complete, structuredContent: action.structuredContent }
          : action.kind === 'fail'
            ? { fail: action.fail }
            : {};
      for (const { text, path } of stringsIn(templated, base)) {
        for (const message of templateIssues(
          text,
          known,
          'no earlier elicit/sample action of this tool keeps (`as`) and is not `arguments`',
        ))
          out.push({ path, message });
      }
      if (INPUT_ACTIONS.has(action.kind)) known.add((action as { as: string }).as);
    });
  });
  // A send step names a task by its alias ({{t}}) or a value of an earlier step's result by the
  // step's name ({{page1.nextCursor}}), so both are known.
  const aliases = new Set<string>();
  s.client.steps.forEach((step, i) => {
    if (step.kind === 'send') {
      for (const { text, path } of stringsIn(step.params, ['client', 'steps', i, 'params'])) {
        for (const message of templateIssues(text, aliases, 'no earlier step gives as a task alias')) out.push({ path, message });
      }
    }
    const alias = createsAlias(step);
    if (alias !== undefined) aliases.add(alias);
    aliases.add(stepName(step, i));
  });
  return out;
}

/**
 * The least time a scenario takes, from what must happen one after the other: the client's
 * waits, and the sleeps of every tool the client blocks on (callTool, awaitTask and result wait
 * for the tool's actions). A scenario needing more than its timeoutMs can never pass.
 */
export function minimumDurationMs(s: { server: { tools: Tool[] }; client: { steps: ClientStep[] } }): { total: number; detail: string } {
  const sleeps = new Map(s.server.tools.map((t) => [t.name, t.actions.reduce((n, a) => n + (a.kind === 'sleep' ? a.sleep : 0), 0)]));
  let waits = 0;
  let blocked = 0;
  const called = new Map<string, string>();
  for (const step of s.client.steps) {
    if (step.kind === 'wait') waits += step.wait;
    if (step.kind === 'callTask' || step.kind === 'awaitTask') {
      if (step.as) called.set(step.as, kindValue(step) as string);
    }
    // A task's sleeps are waited for once, by the first result step on it.
    const awaited = step.kind === 'result' && step.result !== undefined ? step.result : undefined;
    const tool =
      step.kind === 'callTool' || step.kind === 'awaitTask'
        ? (kindValue(step) as string)
        : awaited !== undefined
          ? called.get(awaited)
          : undefined;
    if (awaited !== undefined) called.delete(awaited);
    if (tool !== undefined) blocked += sleeps.get(tool) ?? 0;
  }
  return { total: waits + blocked, detail: `the client's waits (${waits} ms) and the sleeps of the tools it blocks on (${blocked} ms)` };
}

/** Steps that create tasks and give them an alias. */
function createsAlias(step: ClientStep): string | undefined {
  return step.kind === 'callTask' || step.kind === 'awaitTask' ? step.as : undefined;
}

export const Scenario = z
  .strictObject({
    /** Must equal the file name without .yaml. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lowercase id made of letters, digits and "-"'),
    title: z.string().min(1),
    description: z.string().optional(),
    /** Sections of basic/utilities/tasks the scenario exercises. */
    spec: z.array(z.enum(SPEC_SECTION_IDS)).min(1),
    tags: z.array(z.string()).default([]),
    /** Part of the default run (`npm start`)? */
    default: z.boolean().default(true),
    /** Upper bound for the whole cell; the runner kills everything after it. */
    timeoutMs: PositiveMs.default(20_000),
    /**
     * Only these client (server) implementations run the scenario, e.g. `clients: [raw]` for a
     * scenario that sends what SDK clients cannot; absent = every implementation.
     */
    clients: z.array(Name).min(1).optional(),
    servers: z.array(Name).min(1).optional(),
    /** Faults the harness puts on the wire (drop, delay, cut a stream, restart the server, ...). */
    faults: z.array(Fault).default([]),
    server: ServerSection,
    client: ClientSection,
  })
  .superRefine((s, ctx) => {
    const tools = new Set(s.server.tools.map((t) => t.name));
    const aliases = new Set<string>();
    const sessions = new Set(s.client.sessions);
    if (sessions.size !== s.client.sessions.length)
      ctx.addIssue({ code: 'custom', path: ['client', 'sessions'], message: 'a session name is used twice' });
    s.client.steps.forEach((step, i) => {
      const at = (...path: PropertyKey[]) => ['client', 'steps', i, ...path];
      if ((step.kind === 'callTask' || step.kind === 'callTool' || step.kind === 'awaitTask') && !tools.has(kindValue(step) as string)) {
        ctx.addIssue({ code: 'custom', path: at(step.kind), message: `expected one of the server's tools (${[...tools].join(', ')})` });
      }
      if (step.session !== undefined && !sessions.has(step.session)) {
        ctx.addIssue({ code: 'custom', path: at('session'), message: `expected one of client.sessions (${[...sessions].join(', ')})` });
      }
      const ref = taskRef(step);
      if (ref?.alias !== undefined && !aliases.has(ref.alias)) {
        ctx.addIssue({
          code: 'custom',
          path: at(step.kind),
          message: `expected a task alias given by an earlier callTask/awaitTask \`as\` (known: ${[...aliases].join(', ') || 'none'})`,
        });
      }
      for (const key of ['includes', 'excludes'] as const) {
        for (const alias of step.expect?.[key] ?? []) {
          if (!aliases.has(alias)) ctx.addIssue({ code: 'custom', path: at('expect', key), message: `unknown task alias "${alias}"` });
        }
      }
      const alias = createsAlias(step);
      if (alias !== undefined) {
        if (aliases.has(alias))
          ctx.addIssue({ code: 'custom', path: at('as'), message: `the alias "${alias}" is already given by an earlier step` });
        aliases.add(alias);
      }
    });
    const names = s.client.steps.map((st) => st.name).filter(Boolean);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) ctx.addIssue({ code: 'custom', path: ['client', 'steps'], message: `step name "${dup}" is used twice` });
    for (const p of templateProblems(s)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
    const time = minimumDurationMs(s);
    if (s.timeoutMs > 0 && time.total > s.timeoutMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeoutMs'],
        message: `${time.detail} add up to ${time.total} ms, more than the scenario's timeoutMs (${s.timeoutMs} ms): the cell would always time out`,
      });
    }
  });
export type Scenario = z.output<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;

/** The value written under the step's (or action's) kind key: `callTask: greet` gives "greet". */
export function kindValue(item: { kind: string }): unknown {
  return (item as Record<string, unknown>)[item.kind];
}

/** The task a poll/getTask/result/cancel step acts on: an alias from an earlier `as`, or a literal id. */
// (send steps name tasks inside their params, as {{alias}} templates.)
export function taskRef(step: ClientStep): { alias?: string; taskId?: string } | undefined {
  if (step.kind === 'poll') return { alias: step.poll };
  if (step.kind === 'getTask' || step.kind === 'result' || step.kind === 'cancel') {
    const alias = kindValue(step) as string | undefined;
    return alias !== undefined ? { alias } : { taskId: step.taskId };
  }
  return undefined;
}

/** The name reports and the baseline use for a step: its `name`, or `s<n>-<kind>`. */
export function stepName(step: ClientStep, index: number): string {
  return step.name ?? `s${index + 1}-${step.kind}`;
}
