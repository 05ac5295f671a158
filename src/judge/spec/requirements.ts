/**
 * Every normative sentence of the Tasks page (MCP 2025-11-25, basic/utilities/tasks), one entry
 * per keyword (MUST, MUST NOT, SHOULD, SHOULD NOT, MAY), in page order, quoted from the page; plus
 * two lowercase "should" sentences the harness judges, and the few schema facts the wire-schema
 * and task-object checks enforce (the page defers data types to schema.ts).
 *
 * Checks cite these by id (catalogue.ts); docs/requirements.md is generated from this list and the
 * catalogue, so which checks cover a requirement is derived, never copied by hand. A requirement
 * that no wire trace can show says why in `untestable`.
 */
import type { SpecSectionId } from '../../vocabulary/spec-sections.js';

export type RequirementLevel = 'MUST' | 'MUST NOT' | 'SHOULD' | 'SHOULD NOT' | 'MAY';

/** Whom the sentence binds. Requestor/receiver are roles either side can play. */
export type Party = 'receiver' | 'requestor' | 'client' | 'server' | 'both';

export interface Requirement {
  id: string;
  section: SpecSectionId;
  level: RequirementLevel;
  binds: Party;
  /** The sentence as the page words it (bold markers dropped). */
  text: string;
  /**
   * keyword: an RFC 2119 keyword sentence; lowercase: a lowercase "should" the harness judges;
   * schema: a fact of schema.ts the page refers to for its data types.
   */
  source: 'keyword' | 'lowercase' | 'schema';
  /** Why no check can judge it from the wire, or why it is out of scope (absent when checks cover it). */
  untestable?: string;
  /** Which kind of reason: what makes it genuinely untestable, or that it is left out by choice. */
  why?: UntestableKind;
  /** A MAY that grants a freedom: nothing on the wire can break it. */
  permission?: true;
  /** Where the sentence comes from, when it is not in the page as released. */
  note?: string;
  /** Binds the server only in practice (tools, Streamable HTTP server behaviour): no client-receiver scenario can exercise it. */
  serverOnly?: true;
}

/**
 * permission: a MAY nothing can violate; documentation: not on the wire; internal: the party's
 * own logs, monitoring or intent; no-auth: needs an authorization context the harness does not
 * have; no-bound: the page gives no number a trace could exceed; out-of-scope: testable, left
 * out by choice (another specification page).
 */
export type UntestableKind = 'permission' | 'documentation' | 'internal' | 'no-auth' | 'no-bound' | 'out-of-scope';

// Reasons shared by several requirements.
const TRANSPORT: Reason = {
  why: 'out-of-scope',
  text: 'Out of scope by choice, not untestable: a reminder of the Streamable HTTP transport specification, a page of its own; the harness records every HTTP exchange (status, content type, stream) but its checks judge the Tasks page only.',
};
const NO_AUTH: Reason = {
  why: 'no-auth',
  text: 'Needs an authorization context, and the harness has none (everything runs on 127.0.0.1 without authorization); the session-bound rules without one are judged by session-isolation and list-capability-needs-identified-requestors.',
};
const NOT_ON_WIRE_DOC: Reason = { why: 'documentation', text: 'Documentation is not on the wire.' };
const INTERNAL: Reason = {
  why: 'internal',
  text: 'Internal to the party (its logs, monitoring and bookkeeping); nothing of it reaches the wire, whatever the scenario.',
};

interface Reason {
  why: UntestableKind;
  text: string;
}

function r(
  id: string,
  section: SpecSectionId,
  level: RequirementLevel,
  binds: Party,
  text: string,
  extra: { untestable?: Reason; permission?: true; source?: Requirement['source']; note?: string; serverOnly?: true } = {},
): Requirement {
  return {
    id,
    section,
    level,
    binds,
    text,
    source: extra.source ?? 'keyword',
    ...(extra.untestable ? { untestable: extra.untestable.text, why: extra.untestable.why } : {}),
    ...(extra.permission ? { permission: true } : {}),
    ...(extra.note ? { note: extra.note } : {}),
    ...(extra.serverOnly ? { serverOnly: true } : {}),
  };
}

function permission(id: string, section: SpecSectionId, binds: Party, text: string): Requirement {
  return r(id, section, 'MAY', binds, text, {
    untestable: { why: 'permission', text: 'A permission: nothing on the wire can violate it.' },
    permission: true,
  });
}

export const REQUIREMENTS: readonly Requirement[] = [
  // Capabilities
  r(
    'cap-declare-tasks',
    'capabilities',
    'MUST',
    'receiver',
    'Servers and clients that support task-augmented requests MUST declare a `tasks` capability during initialization.',
  ),
  r(
    'neg-augment-declared',
    'capability-negotiation',
    'SHOULD',
    'requestor',
    'Requestors SHOULD only augment requests with a task if the corresponding capability has been declared by the receiver.',
  ),
  r(
    'neg-no-tasks-capability',
    'capability-negotiation',
    'SHOULD NOT',
    'requestor',
    'If `capabilities.tasks` is not defined, the peer SHOULD NOT attempt to create tasks during requests.',
  ),
  r(
    'tool-no-capability-no-task',
    'tool-level-negotiation',
    'MUST NOT',
    'client',
    "If a server's capabilities do not include `tasks.requests.tools.call`, then clients MUST NOT attempt to use task augmentation on that server's tools, regardless of the `execution.taskSupport` value.",
  ),
  r(
    'tool-forbidden-no-task',
    'tool-level-negotiation',
    'MUST NOT',
    'client',
    'If `execution.taskSupport` is not present or `"forbidden"`, clients MUST NOT attempt to invoke the tool as a task.',
  ),
  r(
    'tool-forbidden-error',
    'tool-level-negotiation',
    'SHOULD',
    'server',
    'Servers SHOULD return a `-32601` (Method not found) error if a client attempts to do so.',
  ),
  permission(
    'tool-optional-may',
    'tool-level-negotiation',
    'client',
    'If `execution.taskSupport` is `"optional"`, clients MAY invoke the tool as a task or as a normal request.',
  ),
  r(
    'tool-required-task',
    'tool-level-negotiation',
    'MUST',
    'client',
    'If `execution.taskSupport` is `"required"`, clients MUST invoke the tool as a task.',
  ),
  r(
    'tool-required-error',
    'tool-level-negotiation',
    'MUST',
    'server',
    'Servers MUST return a `-32601` (Method not found) error if a client does not attempt to do so.',
  ),

  // Protocol messages
  permission(
    'create-ttl-may',
    'creating-tasks',
    'requestor',
    'Requestors MAY include a `ttl` value indicating the desired task lifetime duration (in milliseconds) since its creation.',
  ),
  r(
    'create-immediate-response-string',
    'creating-tasks',
    'SHOULD',
    'server',
    'The value of this key should be a string intended to be passed as an immediate tool result to the model.',
    { source: 'lowercase' },
  ),
  permission(
    'get-sse-disconnect',
    'getting-tasks',
    'client',
    'In the Streamable HTTP (SSE) transport, clients MAY disconnect from an SSE stream opened by the server in response to a `tasks/get` request at any time.',
  ),
  r(
    'get-transport-compliance',
    'getting-tasks',
    'MUST',
    'both',
    'While this note is not prescriptive regarding the specific usage of SSE streams, all implementations MUST continue to comply with the existing Streamable HTTP transport specification.',
    { untestable: TRANSPORT },
  ),
  r(
    'get-poll-interval',
    'getting-tasks',
    'SHOULD',
    'requestor',
    'Requestors SHOULD respect the `pollInterval` provided in responses when determining polling frequency.',
  ),
  r(
    'get-poll-until-terminal',
    'getting-tasks',
    'SHOULD',
    'requestor',
    'Requestors SHOULD continue polling until the task reaches a terminal status (`completed`, `failed`, or `cancelled`), or until encountering the `input_required` status.',
  ),
  r(
    'get-poll-after-result',
    'getting-tasks',
    'SHOULD',
    'requestor',
    'Note that invoking `tasks/result` does not imply that the requestor needs to stop polling - requestors SHOULD continue polling the task status via `tasks/get` if they are not actively waiting for `tasks/result` to complete.',
  ),
  permission(
    'result-sse-disconnect',
    'retrieving-task-results',
    'client',
    'In the Streamable HTTP (SSE) transport, clients MAY disconnect from an SSE stream opened by the server in response to a `tasks/result` request at any time.',
  ),
  r(
    'result-transport-compliance',
    'retrieving-task-results',
    'MUST',
    'both',
    'While this note is not prescriptive regarding the specific usage of SSE streams, all implementations MUST continue to comply with the existing Streamable HTTP transport specification.',
    { untestable: TRANSPORT },
  ),
  permission(
    'status-notification-may',
    'task-status-notification',
    'receiver',
    'When a task status changes, receivers MAY send a `notifications/tasks/status` notification to inform the requestor of the change.',
  ),
  r(
    'status-notification-not-relied',
    'task-status-notification',
    'MUST NOT',
    'requestor',
    'Requestors MUST NOT rely on receiving this notifications, as it is optional.',
  ),
  r(
    'status-notification-keep-polling',
    'task-status-notification',
    'SHOULD',
    'requestor',
    'Requestors SHOULD continue to poll via `tasks/get` to ensure they receive status updates.',
  ),

  // Behavior requirements
  r(
    'handling-undeclared-normal',
    'task-support-and-handling',
    'MUST',
    'receiver',
    'Receivers that do not declare the task capability for a request type MUST process requests of that type normally, ignoring any task-augmentation metadata if present.',
  ),
  permission(
    'handling-declared-may-error',
    'task-support-and-handling',
    'receiver',
    'Receivers that declare the task capability for a request type MAY return an error for non-task-augmented requests, requiring requestors to use task augmentation.',
  ),
  r('id-string', 'task-id-requirements', 'MUST', 'receiver', 'Task IDs MUST be a string value.'),
  r(
    'id-receiver-generated',
    'task-id-requirements',
    'MUST',
    'receiver',
    'Task IDs MUST be generated by the receiver when creating a task.',
  ),
  r('id-unique', 'task-id-requirements', 'MUST', 'receiver', 'Task IDs MUST be unique among all tasks controlled by the receiver.'),
  r('lifecycle-begin-working', 'task-status-lifecycle', 'MUST', 'receiver', 'Tasks MUST begin in the `working` status when created.'),
  r(
    'lifecycle-valid-paths',
    'task-status-lifecycle',
    'MUST',
    'receiver',
    'Receivers MUST only transition tasks through the following valid paths: from `working` to `input_required`, `completed`, `failed`, or `cancelled`; from `input_required` to `working`, `completed`, `failed`, or `cancelled`.',
  ),
  r(
    'lifecycle-terminal-final',
    'task-status-lifecycle',
    'MUST NOT',
    'receiver',
    'Tasks with a `completed`, `failed`, or `cancelled` status are in a terminal state and MUST NOT transition to any other status',
  ),
  r(
    'input-any-stream',
    'input-required-status',
    'SHOULD',
    'client',
    'Servers have flexibility in how they manage SSE streams during task polling and result retrieval, and clients SHOULD expect messages to be delivered on any SSE stream, including the HTTP GET stream.',
  ),

  r(
    'input-get-no-sse',
    'input-required-status',
    'SHOULD NOT',
    'server',
    'Where possible, servers SHOULD NOT upgrade to an SSE stream in response to a `tasks/get` request, as the client has indicated it wishes to poll for a result.',
  ),
  r(
    'input-transport-compliance',
    'input-required-status',
    'MUST',
    'both',
    'While this note is not prescriptive regarding the specific usage of SSE streams, all implementations MUST continue to comply with the existing Streamable HTTP transport specification.',
    { untestable: TRANSPORT },
  ),
  r(
    'input-move-to-input-required',
    'input-required-status',
    'SHOULD',
    'receiver',
    'When the task receiver has messages for the requestor that are necessary to complete the task, the receiver SHOULD move the task to the `input_required` status.',
  ),
  r(
    'input-related-task',
    'input-required-status',
    'MUST',
    'receiver',
    'The receiver MUST include the `io.modelcontextprotocol/related-task` metadata in the request to associate it with the task.',
  ),
  r(
    'input-preemptive-result',
    'input-required-status',
    'SHOULD',
    'requestor',
    'When the requestor encounters the `input_required` status, it SHOULD preemptively call `tasks/result`.',
  ),
  r(
    'input-transition-out',
    'input-required-status',
    'SHOULD',
    'receiver',
    'When the receiver receives all required input, the task SHOULD transition out of `input_required` status (typically back to `working`).',
  ),
  r(
    'ttl-created-at',
    'ttl-and-resource-management',
    'MUST',
    'receiver',
    'Receivers MUST include a `createdAt` ISO 8601-formatted timestamp in all task responses to indicate when the task was created.',
  ),
  r(
    'ttl-last-updated-at',
    'ttl-and-resource-management',
    'MUST',
    'receiver',
    'Receivers MUST include a `lastUpdatedAt` ISO 8601-formatted timestamp in all task responses to indicate when the task was last updated.',
  ),
  r('ttl-override-may', 'ttl-and-resource-management', 'MAY', 'receiver', 'Receivers MAY override the requested `ttl` duration.'),
  r(
    'ttl-in-get',
    'ttl-and-resource-management',
    'MUST',
    'receiver',
    'Receivers MUST include the actual `ttl` duration (or `null` for unlimited) in `tasks/get` responses.',
  ),
  permission(
    'ttl-delete-may',
    'ttl-and-resource-management',
    'receiver',
    "After a task's `ttl` lifetime has elapsed, receivers MAY delete the task and its results, regardless of the task status.",
  ),
  permission(
    'ttl-poll-interval-may',
    'ttl-and-resource-management',
    'receiver',
    'Receivers MAY include a `pollInterval` value (in milliseconds) in `tasks/get` responses to suggest polling intervals.',
  ),
  r(
    'ttl-respect-poll-interval',
    'ttl-and-resource-management',
    'SHOULD',
    'requestor',
    'Requestors SHOULD respect this value when provided.',
  ),
  r(
    'retrieval-create-task-result',
    'result-retrieval',
    'MUST',
    'receiver',
    'Receivers that accept a task-augmented request MUST return a `CreateTaskResult` as the response.',
  ),
  r(
    'retrieval-asap',
    'result-retrieval',
    'SHOULD',
    'receiver',
    'This result SHOULD be returned as soon as possible after accepting the task.',
  ),

  r(
    'retrieval-terminal-final-result',
    'result-retrieval',
    'MUST',
    'receiver',
    'When a receiver receives a `tasks/result` request for a task in a terminal status (`completed`, `failed`, or `cancelled`), it MUST return the final result of the underlying request, whether that is a successful result or a JSON-RPC error.',
  ),
  r(
    'retrieval-block',
    'result-retrieval',
    'MUST',
    'receiver',
    'When a receiver receives a `tasks/result` request for a task in any other non-terminal status (`working` or `input_required`), it MUST block the response until the task reaches a terminal status.',
  ),
  r(
    'retrieval-exact',
    'result-retrieval',
    'MUST',
    'receiver',
    'For tasks in a terminal status, receivers MUST return from `tasks/result` exactly what the underlying request would have returned, whether that is a successful result or a JSON-RPC error.',
  ),
  r(
    'assoc-related-task',
    'associating-task-related-messages',
    'MUST',
    'both',
    'All requests, notifications, and responses related to a task MUST include the `io.modelcontextprotocol/related-task` key in their `_meta` field, with the value set to an object with a `taskId` matching the associated task ID.',
  ),
  r(
    'assoc-elicitation-same-task',
    'associating-task-related-messages',
    'MUST',
    'receiver',
    "For example, an elicitation that a task-augmented tool call depends on MUST share the same related task ID with that tool call's task.",
  ),
  r(
    'assoc-param-source-of-truth',
    'associating-task-related-messages',
    'MUST',
    'receiver',
    'For the `tasks/get`, `tasks/result`, and `tasks/cancel` operations, the `taskId` parameter in the request MUST be used as the source of truth for identifying the target task.',
  ),
  r(
    'assoc-requests-no-meta',
    'associating-task-related-messages',
    'SHOULD NOT',
    'requestor',
    'Requestors SHOULD NOT include `io.modelcontextprotocol/related-task` metadata in these requests, and receivers MUST ignore such metadata if present in favor of the RPC method parameter.',
  ),
  r(
    'assoc-ignore-meta',
    'associating-task-related-messages',
    'MUST',
    'receiver',
    'Requestors SHOULD NOT include `io.modelcontextprotocol/related-task` metadata in these requests, and receivers MUST ignore such metadata if present in favor of the RPC method parameter.',
  ),
  r(
    'assoc-results-no-meta',
    'associating-task-related-messages',
    'SHOULD NOT',
    'receiver',
    'Similarly, for the `tasks/get`, `tasks/list`, and `tasks/cancel` operations, receivers SHOULD NOT include `io.modelcontextprotocol/related-task` metadata in the result messages, as the `taskId` is already present in the response structure.',
  ),
  permission(
    'notifications-may',
    'task-notifications',
    'receiver',
    "Receivers MAY send `notifications/tasks/status` notifications when a task's status changes.",
  ),
  r(
    'notifications-not-relied',
    'task-notifications',
    'MUST NOT',
    'requestor',
    'Requestors MUST NOT rely on receiving the `notifications/tasks/status` notification, as it is optional.',
  ),
  r(
    'notifications-no-meta',
    'task-notifications',
    'SHOULD NOT',
    'receiver',
    'When sent, the `notifications/tasks/status` notification SHOULD NOT include the `io.modelcontextprotocol/related-task` metadata, as the task ID is already present in the notification parameters.',
  ),
  r(
    'listing-paginate',
    'task-listing',
    'SHOULD',
    'receiver',
    'Receivers SHOULD use cursor-based pagination to limit the number of tasks returned in a single response.',
  ),
  r(
    'listing-next-cursor',
    'task-listing',
    'MUST',
    'receiver',
    'Receivers MUST include a `nextCursor` in the response if more tasks are available.',
  ),
  r(
    'listing-cursor-opaque',
    'task-listing',
    'MUST',
    'requestor',
    'Requestors MUST treat cursors as opaque tokens and not attempt to parse or modify them.',
  ),
  r(
    'listing-retrievable',
    'task-listing',
    'MUST',
    'receiver',
    'If a task is retrievable via `tasks/get` for a requestor, it MUST be retrievable via `tasks/list` for that requestor.',
  ),
  r(
    'cancel-terminal-rejected',
    'task-cancellation',
    'MUST',
    'receiver',
    'Receivers MUST reject cancellation requests for tasks already in a terminal status (`completed`, `failed`, or `cancelled`) with error code `-32602` (Invalid params).',
  ),
  r(
    'cancel-attempt-stop',
    'task-cancellation',
    'SHOULD',
    'receiver',
    'Upon receiving a valid cancellation request, receivers SHOULD attempt to stop the task execution and MUST transition the task to `cancelled` status before sending the response.',
  ),

  r(
    'cancel-transition',
    'task-cancellation',
    'MUST',
    'receiver',
    'Upon receiving a valid cancellation request, receivers SHOULD attempt to stop the task execution and MUST transition the task to `cancelled` status before sending the response.',
  ),
  r(
    'cancel-stays',
    'task-cancellation',
    'MUST',
    'receiver',
    'Once a task is cancelled, it MUST remain in `cancelled` status even if execution continues to completion or fails.',
  ),
  permission(
    'cancel-delete-may',
    'task-cancellation',
    'receiver',
    'However, receivers MAY delete cancelled tasks at their discretion at any time, including immediately after cancellation or after the task `ttl` expires.',
  ),
  r(
    'cancel-not-retained',
    'task-cancellation',
    'SHOULD NOT',
    'requestor',
    'Requestors SHOULD NOT rely on cancelled tasks being retained for any specific duration and should retrieve any needed information before cancelling.',
    {
      untestable: {
        why: 'internal',
        text: "Which information a requestor needs, and whether it counted on the cancelled task staying, is its application's intent; the wire shows only the requests it made, and a deleted task's -32602 is an ordinary answer the receiver-side checks judge.",
      },
    },
  ),

  // Data types
  r(
    'schema-task-status',
    'task-status',
    'MUST',
    'receiver',
    'Task `status` is a `TaskStatus`: one of `working`, `input_required`, `completed`, `failed`, `cancelled` (schema.ts `TaskStatus`).',
    { source: 'schema' },
  ),
  r(
    'schema-poll-interval',
    'task',
    'MUST',
    'receiver',
    'Task `pollInterval`, when present, is an integer number of milliseconds (schema.ts `Task.pollInterval`).',
    { source: 'schema' },
  ),
  r(
    'schema-status-notification',
    'task-status-notification',
    'MUST',
    'receiver',
    'The notification includes the full `Task` object (schema.ts `TaskStatusNotificationParams` = `NotificationParams` and `Task`: `taskId`, `status`, `createdAt`, `lastUpdatedAt` and `ttl` required).',
    { source: 'schema' },
  ),
  r(
    'schema-task-messages',
    'task',
    'MUST',
    'both',
    'Task messages conform to schema.ts of revision 2025-11-25: `Task`, `CreateTaskResult`, `GetTaskRequest`/`GetTaskResult`, `GetTaskPayloadRequest`/`GetTaskPayloadResult`, `ListTasksRequest`/`ListTasksResult`, `CancelTaskRequest`/`CancelTaskResult`, `TaskStatusNotification`, `TaskMetadata` in request params, `RelatedTaskMetadata`, `ToolExecution` in tools/list and the `tasks` capabilities.',
    { source: 'schema' },
  ),
  r(
    'meta-all-associated',
    'related-task-metadata',
    'MUST',
    'both',
    'All requests, responses, and notifications associated with a task MUST include the `io.modelcontextprotocol/related-task` key in `_meta`',
  ),
  r(
    'meta-task-ops-no-meta',
    'related-task-metadata',
    'SHOULD NOT',
    'both',
    'For the `tasks/get`, `tasks/list`, and `tasks/cancel` operations, requestors and receivers SHOULD NOT include this metadata in their messages, as the `taskId` is already present in the message structure.',
  ),
  r(
    'meta-result-must',
    'related-task-metadata',
    'MUST',
    'receiver',
    'The `tasks/result` operation MUST include this metadata in its response, as the result structure itself does not contain the task ID.',
  ),

  // Error handling
  r(
    'errors-invalid-task-id',
    'protocol-errors',
    'MUST',
    'receiver',
    'Receivers MUST return standard JSON-RPC errors for the following protocol error cases: Invalid or nonexistent `taskId` in `tasks/get`, `tasks/result`, or `tasks/cancel`: `-32602` (Invalid params)',
  ),
  r(
    'errors-invalid-cursor',
    'protocol-errors',
    'MUST',
    'receiver',
    'Receivers MUST return standard JSON-RPC errors for the following protocol error cases: Invalid or nonexistent cursor in `tasks/list`: `-32602` (Invalid params)',
  ),
  r(
    'errors-cancel-terminal',
    'protocol-errors',
    'MUST',
    'receiver',
    'Receivers MUST return standard JSON-RPC errors for the following protocol error cases: Attempt to cancel a task already in a terminal status: `-32602` (Invalid params)',
  ),
  r(
    'errors-internal',
    'protocol-errors',
    'MUST',
    'receiver',
    'Receivers MUST return standard JSON-RPC errors for the following protocol error cases: Internal errors: `-32603` (Internal error)',
  ),
  permission(
    'errors-may-32600',
    'protocol-errors',
    'receiver',
    'Additionally, receivers MAY return the following errors: Non-task-augmented request when receiver requires task augmentation for that request type: `-32600` (Invalid request)',
  ),
  r(
    'errors-informative',
    'protocol-errors',
    'SHOULD',
    'receiver',
    'Receivers SHOULD provide informative error messages to describe the cause of errors.',
  ),
  r(
    'exec-failed-status-message',
    'task-execution-errors',
    'SHOULD',
    'receiver',
    'The `tasks/get` response SHOULD include a `statusMessage` field with diagnostic information about the failure.',
  ),
  r(
    'exec-is-error-failed',
    'task-execution-errors',
    'SHOULD',
    'receiver',
    'For tasks that wrap tool call requests, when the tool result has `isError` set to `true`, the task should reach `failed` status.',
    { source: 'lowercase', serverOnly: true },
  ),
  r(
    'exec-same-error',
    'task-execution-errors',
    'MUST',
    'receiver',
    'If the underlying request resulted in a JSON-RPC error, `tasks/result` MUST return that same JSON-RPC error.',
  ),
  r(
    'exec-same-result',
    'task-execution-errors',
    'MUST',
    'receiver',
    'If the request completed with a JSON-RPC response, `tasks/result` MUST return a successful JSON-RPC response containing that result.',
  ),

  // Security considerations
  r(
    'iso-bind-auth',
    'task-isolation-and-access-control',
    'MUST',
    'receiver',
    'When an authorization context is provided, receivers MUST bind tasks to said context.',
    { untestable: NO_AUTH },
  ),
  r(
    'iso-document',
    'task-isolation-and-access-control',
    'SHOULD',
    'receiver',
    'In these scenarios, receivers SHOULD document this limitation clearly, as task results may be accessible to any requestor that can guess the task ID.',
    { untestable: NOT_ON_WIRE_DOC },
  ),
  r(
    'iso-secure-ids',
    'task-isolation-and-access-control',
    'MUST',
    'receiver',
    'If context-binding is unavailable, receivers MUST generate cryptographically secure task IDs with enough entropy to prevent guessing and should consider using shorter TTL durations to reduce the exposure window.',
  ),
  r(
    'iso-list-unidentified',
    'task-isolation-and-access-control',
    'SHOULD NOT',
    'receiver',
    'Furthermore, receivers that cannot identify requestors SHOULD NOT declare the `tasks.list` capability, as listing tasks would expose task metadata to any requestor regardless of task ID entropy.',
    {
      note: 'Added to the 2025-11-25 page after its release (modelcontextprotocol commit 7b5513e, 2026-01-20: "clarify that servers should not advertise tasks.list without context-binding").',
    },
  ),
  r(
    'iso-reject-other-context',
    'task-isolation-and-access-control',
    'MUST',
    'receiver',
    'If context-binding is available, receivers MUST reject `tasks/get`, `tasks/result`, and `tasks/cancel` requests for tasks that do not belong to the same authorization context as the requestor.',
  ),
  r(
    'iso-list-own-context',
    'task-isolation-and-access-control',
    'MUST',
    'receiver',
    "For `tasks/list` requests, receivers MUST ensure the returned task list includes only tasks associated with the requestor's authorization context.",
  ),
  r(
    'iso-rate-limit',
    'task-isolation-and-access-control',
    'SHOULD',
    'receiver',
    'Additionally, receivers SHOULD implement rate limiting on task operations to prevent denial-of-service and enumeration attacks.',
    {
      untestable: {
        why: 'no-bound',
        text: 'The page names no rate; any limit a receiver sets may lie above what a scenario sends, so no trace can show that there is none.',
      },
    },
  ),
  r(
    'res-concurrent-limit',
    'resource-management',
    'SHOULD',
    'receiver',
    'Receivers SHOULD: Enforce limits on concurrent tasks per requestor',
    {
      untestable: {
        why: 'no-bound',
        text: 'The page names no number; a per-requestor limit may lie above any count a scenario creates, so no trace can show that there is none.',
      },
    },
  ),
  r(
    'res-max-ttl',
    'resource-management',
    'SHOULD',
    'receiver',
    'Receivers SHOULD: Enforce maximum `ttl` durations to prevent indefinite resource retention',
  ),

  r('res-cleanup', 'resource-management', 'SHOULD', 'receiver', 'Receivers SHOULD: Clean up expired tasks promptly to free resources'),
  r('res-document-max-ttl', 'resource-management', 'SHOULD', 'receiver', 'Receivers SHOULD: Document maximum supported `ttl` duration', {
    untestable: NOT_ON_WIRE_DOC,
  }),
  r(
    'res-document-concurrency',
    'resource-management',
    'SHOULD',
    'receiver',
    'Receivers SHOULD: Document maximum concurrent tasks per requestor',
    { untestable: NOT_ON_WIRE_DOC },
  ),
  r(
    'res-monitoring',
    'resource-management',
    'SHOULD',
    'receiver',
    'Receivers SHOULD: Implement monitoring and alerting for resource usage',
    { untestable: INTERNAL },
  ),
  r(
    'audit-log-events',
    'audit-and-logging',
    'SHOULD',
    'receiver',
    'Receivers SHOULD: Log task creation, completion, and retrieval events for audit purposes',
    { untestable: INTERNAL },
  ),
  r('audit-auth-context', 'audit-and-logging', 'SHOULD', 'receiver', 'Receivers SHOULD: Include auth context in logs when available', {
    untestable: INTERNAL,
  }),
  r(
    'audit-monitor',
    'audit-and-logging',
    'SHOULD',
    'receiver',
    'Receivers SHOULD: Monitor for suspicious patterns (e.g., many failed task lookups, excessive polling)',
    { untestable: INTERNAL },
  ),
  r(
    'audit-requestor-log',
    'audit-and-logging',
    'SHOULD',
    'requestor',
    'Requestors SHOULD: Log task lifecycle events for debugging and audit purposes',
    { untestable: INTERNAL },
  ),
  r(
    'audit-requestor-track',
    'audit-and-logging',
    'SHOULD',
    'requestor',
    'Requestors SHOULD: Track task IDs and their associated operations',
    { untestable: INTERNAL },
  ),
];

const BY_ID = new Map(REQUIREMENTS.map((req) => [req.id, req]));

export function requirementById(id: string): Requirement {
  const req = BY_ID.get(id);
  if (!req) throw new Error(`unknown requirement id "${id}" (see src/judge/spec/requirements.ts)`);
  return req;
}
