/**
 * TS SDK server driver (drivers/README.md, "Server driver"): serves the scenario's tools with the
 * low-level `Server` (guide §2.2 option B: tools/list returns the scenario's JSON Schema verbatim,
 * and the driver applies taskSupport itself as that API requires of its users), with the SDK's
 * InMemoryTaskStore and InMemoryTaskMessageQueue doing tasks/get, tasks/result, tasks/list and
 * tasks/cancel.
 *
 *   server.js --scenario <file> --transport stdio
 *   server.js --scenario <file> --transport http --port <port>
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { InMemoryTaskMessageQueue, InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  isInitializeRequest,
  ListToolsRequestSchema,
  McpError,
  type Tool as SdkTool,
  type ServerCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import { type DriverInput, EXIT, READY_PREFIX } from '../../src/vocabulary/index.js';
import { errorMessage, log, readDriverInput, usageError } from './common.js';
import { installedSdkVersion } from './sdk-info.js';
import { runActions, runTaskJob } from './tool-runner.js';

const USAGE = 'server.js --scenario <file> --transport stdio | --transport http --port <port>';

/** Everything one Server needs; one per stdio process, one per HTTP session. */
interface Built {
  server: Server;
  taskStore: InMemoryTaskStore;
}

function capabilities(input: DriverInput): ServerCapabilities {
  const caps = input.server.capabilities;
  const tasks: NonNullable<ServerCapabilities['tasks']> = {};
  if (caps.list) tasks.list = {};
  if (caps.cancel) tasks.cancel = {};
  if (caps.toolsCall) tasks.requests = { tools: { call: {} } };
  return { tools: {}, tasks };
}

/** TTL policy of the contract: the requested ttl capped at max when honoured, else the default (null = unlimited). */
function chooseTtl(input: DriverInput, requested: number | undefined): number | null {
  const { ttl } = input.server;
  if (ttl.honourRequested && requested !== undefined) return ttl.max !== undefined ? Math.min(requested, ttl.max) : requested;
  return ttl.default;
}

function buildServer(input: DriverInput): Built {
  const taskStore = new InMemoryTaskStore();
  const server = new Server(
    { name: 'interop-ts-server', version: installedSdkVersion() },
    { capabilities: capabilities(input), taskStore, taskMessageQueue: new InMemoryTaskMessageQueue() },
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
      });
      return outcome.type === 'result' ? outcome.result : ({ content: [] } satisfies CallToolResult);
    }

    const store = extra.taskStore;
    if (!store) throw new McpError(ErrorCode.InternalError, 'no task store'); // cannot happen: taskStore is configured
    const task = await store.createTask({ ttl: chooseTtl(input, extra.taskRequestedTtl), pollInterval: input.server.pollInterval });
    log('task-created', { taskId: task.taskId, ttl: task.ttl, pollInterval: task.pollInterval });
    // Started, not awaited: the CreateTaskResult goes back now. Progress uses server.notification,
    // because extra.sendNotification fails on HTTP once the tools/call stream is closed (guide §2.6).
    void runTaskJob({
      server,
      tool,
      args,
      progressToken,
      sendProgress: (n) => server.notification(n),
      task: { taskId: task.taskId, store },
    }).catch((err) => log('job-crashed', { taskId: task.taskId, error: errorMessage(err) }));
    return { task };
  });

  server.onerror = (err) => log('sdk-error', { error: errorMessage(err) });
  return { server, taskStore };
}

async function serveStdio(input: DriverInput): Promise<void> {
  const { server, taskStore } = buildServer(input);
  const shutdown = (why: string) => {
    log('shutdown', { why });
    // The store's ttl timers are not unref()'d (guide §2.5): clear them, then leave at once.
    taskStore.cleanup();
    process.exit(EXIT.ok);
  };
  // A status notification written after the client went away must not crash us with EPIPE (guide §4).
  process.stdout.on('error', (err) => log('stdout-error', { error: errorMessage(err) }));
  // StdioServerTransport does not watch for the end of stdin; the contract wants a prompt exit.
  process.stdin.on('end', () => shutdown('stdin ended'));
  process.stdin.on('close', () => shutdown('stdin closed'));
  server.onclose = () => shutdown('transport closed');
  await server.connect(new StdioServerTransport());
  log('listening', { transport: 'stdio' });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function jsonError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

/**
 * Stateful Streamable HTTP as the SDK documents it: a Map of transports by Mcp-Session-Id, a new
 * transport and a new Server (with its own task store) per session; node:http instead of express.
 */
async function serveHttp(input: DriverInput, port: number): Promise<void> {
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; built: Built }>();

  const http = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/mcp') return jsonError(res, 404, -32000, 'Not found');
      const header = req.headers['mcp-session-id'];
      const sessionId = Array.isArray(header) ? header[0] : header;
      const session = sessionId !== undefined ? sessions.get(sessionId) : undefined;

      if (req.method === 'POST') {
        let body: unknown;
        try {
          body = JSON.parse(await readBody(req));
        } catch {
          return jsonError(res, 400, ErrorCode.ParseError, 'Parse error');
        }
        if (session) return session.transport.handleRequest(req, res, body);
        if (sessionId === undefined && isInitializeRequest(body)) {
          const built = buildServer(input);
          const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
            sessionIdGenerator: () => randomUUID(),
            onsessioninitialized: (id) => {
              sessions.set(id, { transport, built });
              log('session', { sessionId: id });
            },
          });
          transport.onclose = () => {
            const id = transport.sessionId;
            if (id !== undefined) sessions.delete(id);
            built.taskStore.cleanup();
            log('session-closed', { sessionId: id });
          };
          await built.server.connect(transport);
          return transport.handleRequest(req, res, body);
        }
        if (sessionId !== undefined) return jsonError(res, 404, -32001, 'Session not found');
        return jsonError(res, 400, -32000, 'Bad Request: No valid session ID');
      }
      if (req.method === 'GET' || req.method === 'DELETE') {
        if (sessionId === undefined) return jsonError(res, 400, -32000, 'Bad Request: Missing session ID');
        if (!session) return jsonError(res, 404, -32001, 'Session not found');
        return session.transport.handleRequest(req, res);
      }
      res.writeHead(405, { allow: 'GET, POST, DELETE' }).end();
    })().catch((err) => {
      log('http-error', { error: errorMessage(err) });
      if (!res.headersSent) jsonError(res, 500, ErrorCode.InternalError, 'Internal server error');
    });
  });

  const shutdown = (why: string) => {
    log('shutdown', { why });
    for (const { transport, built } of sessions.values()) {
      built.taskStore.cleanup();
      void transport.close().catch(() => {});
    }
    http.close();
    process.exit(EXIT.ok);
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  http.on('error', (err) => {
    // Never fall back to another port (contract): the harness knows only this one.
    process.stderr.write(`error: cannot listen on 127.0.0.1:${port}: ${errorMessage(err)}\n`);
    process.exit(EXIT.driverError);
  });
  http.listen(port, '127.0.0.1', () => {
    log('listening', { transport: 'http', port });
    process.stdout.write(`${READY_PREFIX} http://127.0.0.1:${port}/mcp\n`);
  });
}

async function main(): Promise<void> {
  let values: { scenario?: string; transport?: string; port?: string };
  try {
    ({ values } = parseArgs({
      options: { scenario: { type: 'string' }, transport: { type: 'string' }, port: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    usageError(errorMessage(err), USAGE);
  }
  if (!values.scenario) usageError('--scenario is required', USAGE);
  const input = readDriverInput(values.scenario, USAGE);
  if (values.transport === 'stdio') {
    if (values.port !== undefined) usageError('--port is only for --transport http', USAGE);
    return serveStdio(input);
  }
  if (values.transport === 'http') {
    const port = Number(values.port);
    if (!values.port || !Number.isInteger(port) || port < 1 || port > 65535) usageError('--transport http needs --port <1-65535>', USAGE);
    return serveHttp(input, port);
  }
  usageError(`--transport must be stdio or http (got ${values.transport ?? 'nothing'})`, USAGE);
}

main().catch((err) => {
  process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(EXIT.driverError);
});
