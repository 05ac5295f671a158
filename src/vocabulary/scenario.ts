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
import { SPEC_SECTION_IDS } from './spec-sections.js';

export const TASK_STATUSES = ['working', 'input_required', 'completed', 'failed', 'cancelled'] as const;
export const TERMINAL_STATUSES = ['completed', 'failed', 'cancelled'] as const;
export const TaskStatus = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatus>;

const Ms = z.number().int().nonnegative();
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
});

export const SERVER_ACTION_KINDS = [
  'sleep',
  'progress',
  'status',
  'elicit',
  'sample',
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

/** Expectations are judged by the harness; drivers never see them. */
export const Expect = z.strictObject({
  /** The step must fail with this JSON-RPC error code. Without it, any error fails the step. */
  error: ErrorCode.optional(),
  /**
   * The step may succeed or fail: the scenario leaves the answer to the spec checks (for what the
   * spec only says SHOULD about, or leaves to the receiver).
   */
  mayFail: z.boolean().optional(),
  /** Status of the task the step ends with (CreateTaskResult, tasks/get, last poll, tasks/cancel). */
  status: TaskStatus.optional(),
  /** Partial match on that Task object (statusMessage, ttl, pollInterval, ...). */
  task: JsonObject.optional(),
  /** The distinct statuses a poll step saw, in order (repeats collapsed). */
  statuses: z.array(TaskStatus).min(1).optional(),
  /** Partial match on the result's content array (same length, each block a superset). */
  content: z.array(ContentBlock).optional(),
  structuredContent: JsonObject.optional(),
  isError: z.boolean().optional(),
  /** listTools: the exact set of tool names. */
  tools: z.array(z.string()).optional(),
  /** listTasks: task aliases (from `as`) that must be in the list. */
  includes: z.array(Name).optional(),
  /** How many elicitation/sampling requests the client answered while this step ran. */
  inputRequests: z.number().int().nonnegative().optional(),
});
export type Expect = z.infer<typeof Expect>;

const stepCommon = {
  /** A stable name for reports and the known-failures baseline; default `s<n>-<kind>`. */
  name: Name.optional(),
  expect: Expect.optional(),
  /** Longest time the step may take before the driver gives up on it. */
  timeoutMs: Ms.optional(),
};

/** A task reference: an alias given by an earlier `as`, or a literal task id with `taskId:`. */
const TaskRef = Name;

export const ListToolsStep = z.strictObject({ kind: z.literal('listTools'), listTools: z.null().optional(), ...stepCommon });
export const CallTaskStep = z.strictObject({
  kind: z.literal('callTask'),
  /** Tool name: tools/call augmented with `task` (a ttl when given, else `task: {}`). */
  callTask: z.string().min(1),
  arguments: JsonObject.default({}),
  ttl: Ms.optional(),
  /** Alias for the created task, used by later steps. */
  as: Name.optional(),
  ...stepCommon,
});
export const CallToolStep = z.strictObject({
  kind: z.literal('callTool'),
  /** Tool name: a plain tools/call without task augmentation. */
  callTool: z.string().min(1),
  arguments: JsonObject.default({}),
  ...stepCommon,
});
export const PollStep = z.strictObject({
  kind: z.literal('poll'),
  /** tasks/get repeatedly, waiting the task's pollInterval, until the status is one of `until`. */
  poll: TaskRef,
  until: z.array(TaskStatus).min(1).default(['completed', 'failed', 'cancelled']),
  ...stepCommon,
});
export const GetTaskStep = z.strictObject({
  kind: z.literal('getTask'),
  getTask: TaskRef.optional(),
  taskId: z.string().optional(),
  ...stepCommon,
});
export const ResultStep = z.strictObject({
  kind: z.literal('result'),
  result: TaskRef.optional(),
  taskId: z.string().optional(),
  ...stepCommon,
});
export const ListTasksStep = z.strictObject({
  kind: z.literal('listTasks'),
  listTasks: z.null().optional(),
  cursor: z.string().optional(),
  ...stepCommon,
});
export const CancelStep = z.strictObject({
  kind: z.literal('cancel'),
  cancel: TaskRef.optional(),
  taskId: z.string().optional(),
  ...stepCommon,
});
export const WaitStep = z.strictObject({ kind: z.literal('wait'), wait: Ms, ...stepCommon });

export const CLIENT_STEP_KINDS = ['listTools', 'callTask', 'callTool', 'poll', 'getTask', 'result', 'listTasks', 'cancel', 'wait'] as const;
export type ClientStepKind = (typeof CLIENT_STEP_KINDS)[number];

export const ClientStep = keyed(
  CLIENT_STEP_KINDS,
  z
    .discriminatedUnion('kind', [
      ListToolsStep,
      CallTaskStep,
      CallToolStep,
      PollStep,
      GetTaskStep,
      ResultStep,
      ListTasksStep,
      CancelStep,
      WaitStep,
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

export const ClientSection = z.strictObject({
  /** Canned answers to elicitation/create, used in order; when exhausted the client answers `cancel`. */
  elicitation: z.array(ElicitationAnswer).default([]),
  /** Canned answers to sampling/createMessage, used in order; when exhausted the client answers an error. */
  sampling: z.array(SamplingAnswer).default([]),
  steps: z.array(ClientStep).min(1),
});

// ---------------------------------------------------------------------------------------------

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
    timeoutMs: Ms.default(20_000),
    /**
     * Only these client (server) implementations run the scenario, e.g. `clients: [raw]` for a
     * scenario that sends what SDK clients cannot; absent = every implementation.
     */
    clients: z.array(Name).min(1).optional(),
    servers: z.array(Name).min(1).optional(),
    server: ServerSection,
    client: ClientSection,
  })
  .superRefine((s, ctx) => {
    const tools = new Set(s.server.tools.map((t) => t.name));
    const aliases = new Set<string>();
    s.client.steps.forEach((step, i) => {
      if ((step.kind === 'callTask' || step.kind === 'callTool') && !tools.has(kindValue(step) as string)) {
        ctx.addIssue({
          code: 'custom',
          path: ['client', 'steps', i, step.kind],
          message: `expected one of the server's tools (${[...tools].join(', ')})`,
        });
      }
      if (step.kind === 'callTask' && step.as) aliases.add(step.as);
      const ref = taskRef(step);
      if (ref?.alias !== undefined && !aliases.has(ref.alias)) {
        ctx.addIssue({
          code: 'custom',
          path: ['client', 'steps', i, step.kind],
          message: `expected a task alias given by an earlier callTask \`as\` (known: ${[...aliases].join(', ') || 'none'})`,
        });
      }
      for (const alias of step.expect?.includes ?? []) {
        if (!aliases.has(alias))
          ctx.addIssue({ code: 'custom', path: ['client', 'steps', i, 'expect', 'includes'], message: `unknown task alias "${alias}"` });
      }
    });
    const names = s.client.steps.map((st) => st.name).filter(Boolean);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) ctx.addIssue({ code: 'custom', path: ['client', 'steps'], message: `step name "${dup}" is used twice` });
  });
export type Scenario = z.output<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;

/** The value written under the step's (or action's) kind key: `callTask: greet` gives "greet". */
export function kindValue(item: { kind: string }): unknown {
  return (item as Record<string, unknown>)[item.kind];
}

/** The task a poll/getTask/result/cancel step acts on: an alias from an earlier `as`, or a literal id. */
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
