/**
 * Valid and invalid task messages, each labelled with the schema.json `$defs` name it is checked
 * against. wire-schemas.test.ts requires the harness's zod schema, the official JSON Schema and
 * the label to agree on every item. Values follow what the SDKs put on the wire.
 */
import type { WireSchemaName } from '../../../src/judge/spec/wire-schemas.js';

export interface CorpusItem {
  def: WireSchemaName;
  valid: boolean;
  note: string;
  value: unknown;
}

const TASK = {
  taskId: '786512e2-9e0d-44bd-8f29-789f320fe840',
  status: 'working',
  statusMessage: 'The operation is now in progress.',
  createdAt: '2025-11-25T10:30:00Z',
  lastUpdatedAt: '2025-11-25T10:40:00Z',
  ttl: 60000,
  pollInterval: 5000,
};
const { ttl: _ttl, ...NO_TTL } = TASK;
const { lastUpdatedAt: _lu, ...NO_LAST_UPDATED } = TASK;
const RELATED = { 'io.modelcontextprotocol/related-task': { taskId: TASK.taskId } };

const v = (def: WireSchemaName, note: string, value: unknown): CorpusItem => ({ def, valid: true, note, value });
const x = (def: WireSchemaName, note: string, value: unknown): CorpusItem => ({ def, valid: false, note, value });

export const CORPUS: CorpusItem[] = [
  v('Task', 'spec example', TASK),
  v('Task', 'minimal: no statusMessage, no pollInterval', { taskId: 'a', status: 'completed', createdAt: 'x', lastUpdatedAt: 'y', ttl: 1 }),
  v('Task', 'ttl null (unlimited)', { ...TASK, ttl: null }),
  v('Task', 'extra properties are allowed', { ...TASK, vendor: { x: 1 } }),
  v('Task', 'a ttl beyond 2^53 is still an integer', { ...TASK, ttl: 1e20 }),
  v('Task', 'timestamps are plain strings in the schema', { ...TASK, createdAt: 'yesterday' }),
  x('Task', 'ttl missing (python, no ttl requested)', NO_TTL),
  x('Task', 'lastUpdatedAt missing', NO_LAST_UPDATED),
  x('Task', 'ttl as a string', { ...TASK, ttl: '60000' }),
  x('Task', 'ttl with a fraction', { ...TASK, ttl: 1.5 }),
  x('Task', 'pollInterval with a fraction', { ...TASK, pollInterval: 0.5 }),
  x('Task', 'unknown status', { ...TASK, status: 'running' }),
  x('Task', 'numeric taskId', { ...TASK, taskId: 42 }),
  x('Task', 'statusMessage null', { ...TASK, statusMessage: null }),
  x('Task', 'an array', [TASK]),

  v('TaskStatus', 'input_required', 'input_required'),
  x('TaskStatus', 'done', 'done'),

  v('TaskMetadata', 'empty (receiver picks the ttl)', {}),
  v('TaskMetadata', 'ttl', { ttl: 30000 }),
  x('TaskMetadata', 'ttl null (TS 1.29+ answers -32603)', { ttl: null }),
  x('TaskMetadata', 'ttl "abc" (TS 1.24.0 never answered it)', { ttl: 'abc' }),

  v('RelatedTaskMetadata', 'taskId', { taskId: TASK.taskId }),
  x('RelatedTaskMetadata', 'empty', {}),
  x('RelatedTaskMetadata', 'numeric taskId', { taskId: 7 }),

  v('Result', 'empty', {}),
  v('Result', 'empty _meta', { _meta: {} }),
  x('Result', '_meta array', { _meta: [] }),
  x('Result', '_meta string', { _meta: 'x' }),

  v('CreateTaskResult', 'spec example', { task: TASK }),
  v('CreateTaskResult', 'with model-immediate-response', {
    task: TASK,
    _meta: { 'io.modelcontextprotocol/model-immediate-response': 'Working on it.' },
  }),
  x('CreateTaskResult', 'no task', {}),
  x('CreateTaskResult', 'task without ttl', { task: NO_TTL }),
  x('CreateTaskResult', 'task null', { task: null }),
  x('CreateTaskResult', 'a CallToolResult instead (python @server.call_tool() error)', {
    content: [{ type: 'text', text: 'TaskSupport not running.' }],
    isError: true,
  }),

  v('GetTaskResult', 'task with empty _meta', { ...TASK, _meta: {} }),
  x('GetTaskResult', 'lastUpdatedAt missing', NO_LAST_UPDATED),
  x('GetTaskResult', '_meta number', { ...TASK, _meta: 5 }),

  v('CancelTaskResult', 'cancelled task', { ...TASK, status: 'cancelled', statusMessage: 'Client cancelled task execution.', _meta: {} }),
  x('CancelTaskResult', 'no status', { ...TASK, status: undefined }),

  v('GetTaskPayloadResult', 'CallToolResult with related-task', {
    content: [{ type: 'text', text: 'ok' }],
    isError: false,
    _meta: RELATED,
  }),
  v('GetTaskPayloadResult', 'empty (python failed task)', { _meta: RELATED }),
  x('GetTaskPayloadResult', '_meta number', { _meta: 1 }),
  x('GetTaskPayloadResult', 'an array', []),

  v('ListTasksResult', 'empty list', { tasks: [] }),
  v('ListTasksResult', 'a page with nextCursor', {
    tasks: [TASK, { ...TASK, taskId: 'abc123-def456-ghi789', status: 'completed' }],
    nextCursor: 'next-page-cursor',
  }),
  x('ListTasksResult', 'a task without ttl', { tasks: [NO_TTL] }),
  x('ListTasksResult', 'nextCursor number', { tasks: [], nextCursor: 5 }),
  x('ListTasksResult', 'no tasks', {}),
  x('ListTasksResult', 'nextCursor null', { tasks: [], nextCursor: null }),

  v('GetTaskRequest', 'spec example', { jsonrpc: '2.0', id: 3, method: 'tasks/get', params: { taskId: TASK.taskId } }),
  v('GetTaskRequest', 'string id (python)', { jsonrpc: '2.0', id: 'req-1', method: 'tasks/get', params: { taskId: TASK.taskId } }),
  x('GetTaskRequest', 'id null', { jsonrpc: '2.0', id: null, method: 'tasks/get', params: { taskId: TASK.taskId } }),
  x('GetTaskRequest', 'no params', { jsonrpc: '2.0', id: 3, method: 'tasks/get' }),
  x('GetTaskRequest', 'numeric taskId', { jsonrpc: '2.0', id: 3, method: 'tasks/get', params: { taskId: 3 } }),
  x('GetTaskRequest', 'jsonrpc 1.0', { jsonrpc: '1.0', id: 3, method: 'tasks/get', params: { taskId: TASK.taskId } }),
  x('GetTaskRequest', 'wrong method', { jsonrpc: '2.0', id: 3, method: 'tasks/result', params: { taskId: TASK.taskId } }),

  v('GetTaskPayloadRequest', 'spec example', { jsonrpc: '2.0', id: 4, method: 'tasks/result', params: { taskId: TASK.taskId } }),
  x('GetTaskPayloadRequest', 'params without taskId', { jsonrpc: '2.0', id: 4, method: 'tasks/result', params: {} }),

  v('CancelTaskRequest', 'spec example', { jsonrpc: '2.0', id: 6, method: 'tasks/cancel', params: { taskId: TASK.taskId } }),
  x('CancelTaskRequest', 'id with a fraction', { jsonrpc: '2.0', id: 6.5, method: 'tasks/cancel', params: { taskId: TASK.taskId } }),

  v('ListTasksRequest', 'no params', { jsonrpc: '2.0', id: 5, method: 'tasks/list' }),
  v('ListTasksRequest', 'cursor', { jsonrpc: '2.0', id: 5, method: 'tasks/list', params: { cursor: 'optional-cursor-value' } }),
  x('ListTasksRequest', 'cursor number', { jsonrpc: '2.0', id: 5, method: 'tasks/list', params: { cursor: 2 } }),
  x('ListTasksRequest', 'progressToken boolean', {
    jsonrpc: '2.0',
    id: 5,
    method: 'tasks/list',
    params: { _meta: { progressToken: true } },
  }),

  v('PaginatedRequestParams', 'empty', {}),
  x('PaginatedRequestParams', 'cursor null', { cursor: null }),

  v('NotificationParams', 'empty', {}),
  x('NotificationParams', '_meta number', { _meta: 3 }),

  v('TaskStatusNotificationParams', 'full task', { ...TASK, status: 'completed' }),
  x('TaskStatusNotificationParams', 'ttl missing (python, no ttl requested)', NO_TTL),

  v('TaskStatusNotification', 'spec example', {
    jsonrpc: '2.0',
    method: 'notifications/tasks/status',
    params: { ...TASK, status: 'completed' },
  }),
  x('TaskStatusNotification', 'no params', { jsonrpc: '2.0', method: 'notifications/tasks/status' }),
  x('TaskStatusNotification', 'partial task', {
    jsonrpc: '2.0',
    method: 'notifications/tasks/status',
    params: { taskId: TASK.taskId, status: 'completed' },
  }),

  v('ToolExecution', 'empty', {}),
  v('ToolExecution', 'required', { taskSupport: 'required' }),
  x('ToolExecution', 'unknown value', { taskSupport: 'sometimes' }),
  x('ToolExecution', 'boolean', { taskSupport: true }),

  v('CallToolRequestParams', 'plain call', { name: 'get_weather', arguments: { city: 'New York' } }),
  v('CallToolRequestParams', 'task-augmented (spec example)', {
    name: 'get_weather',
    arguments: { city: 'New York' },
    task: { ttl: 60000 },
  }),
  v('CallToolRequestParams', 'task {} with a progress token', { name: 'slow', task: {}, _meta: { progressToken: 'p1' } }),
  x('CallToolRequestParams', 'no name', { arguments: {} }),
  x('CallToolRequestParams', 'task.ttl null', { name: 'slow', task: { ttl: null } }),
  x('CallToolRequestParams', 'arguments array', { name: 'slow', arguments: [] }),
  x('CallToolRequestParams', 'progressToken with a fraction', { name: 'slow', _meta: { progressToken: 1.5 } }),

  v('ClientCapabilities', 'none', {}),
  v('ClientCapabilities', 'TS client as task receiver', {
    elicitation: { form: {} },
    tasks: { list: {}, cancel: {}, requests: { elicitation: { create: {} }, sampling: { createMessage: {} } } },
  }),
  x('ClientCapabilities', 'elicitation.create true instead of {}', { tasks: { requests: { elicitation: { create: true } } } }),
  x('ClientCapabilities', 'tasks.list array', { tasks: { list: [] } }),
  x('ClientCapabilities', 'roots.listChanged string', { roots: { listChanged: 'yes' } }),

  v('ServerCapabilities', 'TS server', {
    tools: { listChanged: true },
    tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
  }),
  v('ServerCapabilities', 'python <1.27 (tools without call)', {
    tools: { listChanged: false },
    tasks: { list: {}, cancel: {}, requests: { tools: {} } },
  }),
  x('ServerCapabilities', 'tools.call null', { tasks: { requests: { tools: { call: null } } } }),
  x('ServerCapabilities', 'tools.listChanged string', { tools: { listChanged: 'yes' } }),
  x('ServerCapabilities', 'experimental entry not an object', { experimental: { x: 1 } }),
];
