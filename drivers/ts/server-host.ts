/**
 * Hosting for both TS server drivers (drivers/README.md, "Server driver"): the command line, stdio,
 * and stateful Streamable HTTP on node:http (no express: `createMcpExpressApp` has no import path
 * valid on every release: server/index.js until 1.24.1, server/express.js from 1.24.2). Each driver only
 * says how to build one server object; one is built per stdio process and per HTTP session (1.26.0+
 * refuses to reuse one: "Already connected to a transport").
 *
 *   <driver>.js --scenario <file> --transport stdio
 *   <driver>.js --scenario <file> --transport http --port <port>
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import type { InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { type DriverInput, EXIT, READY_PREFIX } from '../../src/vocabulary/index.js';
import { errorMessage, log, readDriverInput, usageError } from '../common.js';

/** One server object as a driver builds it: the low-level `Server` (McpServer's `.server`) and its task store. */
export interface HostedServer {
  server: Server;
  taskStore: InMemoryTaskStore;
  /** `server.connect`, or `mcpServer.connect`. */
  connect(transport: Transport): Promise<void>;
}

/** Builds a new server object (called once per stdio process, once per HTTP session). */
export type BuildServer = () => HostedServer;
/** Prepares a driver for the scenario once, at start-up (where a driver finds out it cannot run it), and returns its builder. */
export type SetupServer = (input: DriverInput) => BuildServer;

async function serveStdio(build: BuildServer): Promise<void> {
  const { server, taskStore, connect } = build();
  const shutdown = (why: string) => {
    log('shutdown', { why });
    // The store's ttl timers are not unref()'d and would keep the process alive: clear them, then leave at once.
    taskStore.cleanup();
    process.exit(EXIT.ok);
  };
  // A status notification written after the client went away must not crash us with EPIPE (an unhandled 'error' event on stdout).
  process.stdout.on('error', (err) => log('stdout-error', { error: errorMessage(err) }));
  // StdioServerTransport does not watch for the end of stdin; the contract wants a prompt exit.
  process.stdin.on('end', () => shutdown('stdin ended'));
  process.stdin.on('close', () => shutdown('stdin closed'));
  server.onclose = () => shutdown('transport closed');
  await connect(new StdioServerTransport());
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
 * transport and a new server object (with its own task store) per session.
 */
async function serveHttp(port: number, build: BuildServer): Promise<void> {
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; built: HostedServer }>();

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
          const built = build();
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
          await built.connect(transport);
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

async function serve(script: string, setup: SetupServer): Promise<void> {
  const usage = `${script} --scenario <file> --transport stdio | --transport http --port <port>`;
  let values: { scenario?: string; transport?: string; port?: string };
  try {
    ({ values } = parseArgs({
      options: { scenario: { type: 'string' }, transport: { type: 'string' }, port: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    usageError(errorMessage(err), usage);
  }
  if (!values.scenario) usageError('--scenario is required', usage);
  const build = setup(readDriverInput(values.scenario, usage));
  if (values.transport === 'stdio') {
    if (values.port !== undefined) usageError('--port is only for --transport http', usage);
    return serveStdio(build);
  }
  if (values.transport === 'http') {
    const port = Number(values.port);
    if (!values.port || !Number.isInteger(port) || port < 1 || port > 65535) usageError('--transport http needs --port <1-65535>', usage);
    return serveHttp(port, build);
  }
  usageError(`--transport must be stdio or http (got ${values.transport ?? 'nothing'})`, usage);
}

/** The whole server process: parse the command line, serve, exit 1 on an unexpected error. */
export function runServerDriver(script: string, setup: SetupServer): void {
  serve(script, setup).catch((err) => {
    process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(EXIT.driverError);
  });
}
