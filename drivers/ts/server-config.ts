/**
 * What both TS server drivers (low-level `Server` and `McpServer`) take from the scenario in the
 * same way: the capabilities they declare, and the extra `_meta` of a tool's CreateTaskResult.
 */
import type { ServerCapabilities, Task } from '@modelcontextprotocol/sdk/types.js';
import { CONTRACT, type DriverInput, type Tool } from '../../src/vocabulary/index.js';

const IMMEDIATE_RESPONSE_KEY = CONTRACT.immediateResponseKey;

export function serverCapabilities(input: DriverInput): ServerCapabilities {
  const caps = input.server.capabilities;
  const tasks: NonNullable<ServerCapabilities['tasks']> = {};
  if (caps.list) tasks.list = {};
  if (caps.cancel) tasks.cancel = {};
  if (caps.toolsCall) tasks.requests = { tools: { call: {} } };
  return { tools: {}, tasks };
}

/** The CreateTaskResult a createTask handler returns: the Task, with the tool's immediate response when it has one. */
export function createTaskResult(task: Task, tool: Tool): { task: Task; _meta?: Record<string, unknown> } {
  return tool.immediateResponse !== undefined ? { task, _meta: { [IMMEDIATE_RESPONSE_KEY]: tool.immediateResponse } } : { task };
}
