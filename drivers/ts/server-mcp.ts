/**
 * The `ts-mcp` server driver: `McpServer`, the way most TS users write servers. `optional` and
 * `required` tools are registered with `mcp.experimental.tasks.registerToolTask` (its
 * `createTask` creates the task in `extra.taskStore` and starts the actions), the others
 * (`forbidden`, or no `execution`) with `registerTool`. taskSupport is McpServer's business: the
 * driver checks nothing (a `required` tool called without a task, a `forbidden` one called with
 * one, an `optional` one called without: what McpServer answers is the finding). The task
 * methods are served by the SDK from the store, as for the low-level driver.
 *
 * Input schemas: McpServer takes Zod only (1.28.0+ throws on plain JSON Schema; ≤1.27.1 silently
 * lists and validates against an empty schema: getZodSchemaObject in server/mcp.js), so the scenario's JSON Schema is
 * turned into Zod with `z.fromJSONSchema` of the zod the release itself uses (sdk-resolve-hooks.ts)
 * and tools/list shows McpServer's JSON Schema of that, not the scenario's text.
 *
 *   server-mcp.js --scenario <file> --transport stdio | --transport http --port <port>
 */
import { InMemoryTaskMessageQueue, InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { DriverInput, Tool } from '../../src/vocabulary/index.js';
import { errorMessage, log, unsupported } from '../common.js';
import { installedSdkVersion } from './sdk-info.js';
import { createTaskResult, serverCapabilities } from './server-config.js';
import { type HostedServer, runServerDriver } from './server-host.js';
import { runActions, runTaskJob } from './tool-runner.js';
import { chooseTtl } from './ttl-policy.js';

/** The tool's JSON Schema as a Zod schema (z.fromJSONSchema: zod 4.2+, which every release installs today). */
function zodSchema(tool: Tool): z.ZodType {
  const fromJSONSchema = (z as { fromJSONSchema?: (schema: unknown) => z.ZodType }).fromJSONSchema;
  if (typeof fromJSONSchema !== 'function') {
    unsupported(
      'option:zod-json-schema',
      "the SDK's zod has no z.fromJSONSchema (zod < 4.2), so a scenario's JSON Schema cannot become McpServer's Zod schema",
    );
  }
  try {
    return fromJSONSchema(tool.inputSchema);
  } catch (err) {
    return unsupported(
      'option:zod-json-schema',
      `z.fromJSONSchema cannot express the inputSchema of tool ${tool.name}: ${errorMessage(err)}`,
    );
  }
}

function buildServer(input: DriverInput, schemas: Map<string, z.ZodType>): HostedServer {
  const taskStore = new InMemoryTaskStore();
  const mcp = new McpServer(
    { name: 'interop-ts-mcp-server', version: installedSdkVersion() },
    { capabilities: serverCapabilities(input), taskStore, taskMessageQueue: new InMemoryTaskMessageQueue() },
  );
  const server = mcp.server;

  for (const tool of input.server.tools) {
    const support = tool.execution?.taskSupport;
    // Absent title/description stay absent on the wire (JSON drops undefined).
    const config = { title: tool.title, description: tool.description, inputSchema: schemas.get(tool.name)! };
    if (support === 'optional' || support === 'required') {
      mcp.experimental.tasks.registerToolTask<z.ZodType, undefined>(
        tool.name,
        { ...config, execution: { taskSupport: support } },
        {
          createTask: async (args, extra) => {
            const store = extra.taskStore;
            const task = await store.createTask({
              ttl: chooseTtl(input.server.ttl, extra.taskRequestedTtl),
              pollInterval: input.server.pollInterval,
            });
            const progressToken = extra._meta?.progressToken;
            log('task-created', { tool: tool.name, taskId: task.taskId, ttl: task.ttl, pollInterval: task.pollInterval, progressToken });
            // As in the low-level driver: started, not awaited; progress through server.notification (extra.sendNotification fails over HTTP once the tools/call stream has closed).
            void runTaskJob({
              server,
              tool,
              // Typing cast: with a Zod schema (not a raw shape) McpServer types the parsed arguments `unknown`.
              args: (args ?? {}) as Record<string, unknown>,
              progressToken,
              sendProgress: (n) => server.notification(n),
              task: { taskId: task.taskId, store },
            }).catch((err) => log('job-crashed', { taskId: task.taskId, error: errorMessage(err) }));
            return createTaskResult(task, tool);
          },
          // Required by the type; the SDK serves tasks/get and tasks/result from the store and never calls these.
          getTask: async (_args, extra) => extra.taskStore.getTask(extra.taskId),
          // Typing cast: the store returns a Result; what was stored is the tool's CallToolResult.
          getTaskResult: async (_args, extra) => (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
        },
      );
    } else {
      mcp.registerTool(tool.name, config, async (args, extra) => {
        const outcome = await runActions({
          server,
          tool,
          args: (args ?? {}) as Record<string, unknown>,
          progressToken: extra._meta?.progressToken,
          sendProgress: (n) => extra.sendNotification(n),
          relatedRequestId: extra.requestId,
        });
        return outcome.type === 'result' ? outcome.result : ({ content: [] } satisfies CallToolResult);
      });
    }
  }

  server.onerror = (err) => log('sdk-error', { error: errorMessage(err) });
  return { server, taskStore, connect: (transport) => mcp.connect(transport) };
}

runServerDriver('server-mcp.js', (input) => {
  // Which zod the schemas come from (the release's own, through sdk-resolve-hooks.ts): for the log.
  log('zod', { resolved: import.meta.resolve('zod') });
  // Converted once, before serving, so that a schema the SDK's zod cannot express ends the driver with 127 at start-up.
  const schemas = new Map(input.server.tools.map((tool) => [tool.name, zodSchema(tool)]));
  return () => buildServer(input, schemas);
});
