/**
 * The `ts` server driver: the low-level `Server` (tools/list returns the
 * scenario's JSON Schema verbatim, and the driver applies taskSupport itself, as that API requires
 * of its users), with the SDK's InMemoryTaskStore and InMemoryTaskMessageQueue doing tasks/get,
 * tasks/result, tasks/list and tasks/cancel. Hosting (stdio, HTTP) is server-host.ts.
 *
 *   server-lowlevel.js --scenario <file> --transport stdio | --transport http --port <port>
 */
import { InMemoryTaskMessageQueue, InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type Tool as SdkTool,
} from '@modelcontextprotocol/sdk/types.js';
import type { DriverInput } from '../../src/vocabulary/index.js';
import { errorMessage, log } from '../common.js';
import { installedSdkVersion } from './sdk-info.js';
import { createTaskResult, serverCapabilities } from './server-config.js';
import { type HostedServer, runServerDriver } from './server-host.js';
import { runActions, runTaskJob } from './tool-runner.js';
import { chooseTtl } from './ttl-policy.js';

function buildServer(input: DriverInput): HostedServer {
  const taskStore = new InMemoryTaskStore();
  const server = new Server(
    { name: 'interop-ts-server', version: installedSdkVersion() },
    { capabilities: serverCapabilities(input), taskStore, taskMessageQueue: new InMemoryTaskMessageQueue() },
  );

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    // The scenario's tools as written; typing cast because inputSchema is arbitrary JSON Schema.
    tools: input.server.tools.map(
      (t) =>
        ({
          name: t.name,
          ...(t.title !== undefined && { title: t.title }),
          ...(t.description !== undefined && { description: t.description }),
          inputSchema: t.inputSchema,
          ...(t.execution !== undefined && { execution: t.execution }),
        }) as SdkTool,
    ),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name } = request.params;
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    const tool = input.server.tools.find((t) => t.name === name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    const support = tool.execution?.taskSupport ?? 'forbidden';
    const wantsTask = request.params.task !== undefined;
    const progressToken = extra._meta?.progressToken;
    log('tools/call', { tool: name, task: request.params.task, support, progressToken, sessionId: extra.sessionId });

    // The two mismatches: the spec (tool-level negotiation) asks for -32601; with the low-level
    // Server the documented way to answer with an error is to throw an McpError.
    if (wantsTask && support === 'forbidden') {
      throw new McpError(ErrorCode.MethodNotFound, `Tool ${name} does not support task-augmented execution`);
    }
    if (!wantsTask && support === 'required') {
      throw new McpError(ErrorCode.MethodNotFound, `Tool ${name} requires task-augmented execution`);
    }

    if (!wantsTask) {
      // Inline: progress goes on the request itself; a thrown error is left to the SDK.
      const outcome = await runActions({
        server,
        tool,
        args,
        progressToken,
        sendProgress: (n) => extra.sendNotification(n),
        relatedRequestId: extra.requestId,
      });
      return outcome.type === 'result' ? outcome.result : ({ content: [] } satisfies CallToolResult);
    }

    const store = extra.taskStore;
    if (!store) throw new McpError(ErrorCode.InternalError, 'no task store'); // cannot happen: taskStore is configured
    const task = await store.createTask({
      ttl: chooseTtl(input.server.ttl, extra.taskRequestedTtl),
      pollInterval: input.server.pollInterval,
    });
    log('task-created', { taskId: task.taskId, ttl: task.ttl, pollInterval: task.pollInterval });
    // Started, not awaited: the CreateTaskResult goes back now. Progress uses server.notification,
    // because extra.sendNotification fails on HTTP once the tools/call stream is closed ("No connection established for request ID").
    void runTaskJob({
      server,
      tool,
      args,
      progressToken,
      sendProgress: (n) => server.notification(n),
      task: { taskId: task.taskId, store },
    }).catch((err) => log('job-crashed', { taskId: task.taskId, error: errorMessage(err) }));
    return createTaskResult(task, tool);
  });

  server.onerror = (err) => log('sdk-error', { error: errorMessage(err) });
  return { server, taskStore, connect: (transport) => server.connect(transport) };
}

runServerDriver('server-lowlevel.js', (input) => () => buildServer(input));
