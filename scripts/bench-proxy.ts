/**
 * Cost of the HTTP recording proxy: runs the same workload of task round trips (tools/call with
 * `task` -> CreateTaskResult, tasks/get, tasks/result) with the TS SDK client against an
 * in-process TS SDK Streamable HTTP server, directly and through the proxy (recording to a temp
 * trace), several times each in alternating order, and prints the medians and their ratio.
 * It prints figures and asserts nothing.
 *
 *   node dist/scripts/bench-proxy.js [--round-trips 500] [--runs 5]
 */

import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTaskMessageQueue, InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  CreateTaskResultSchema,
  isInitializeRequest,
  ListToolsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import getPort from 'get-port';
import { monoMs } from '../src/record/clock.js';
import { startHttpProxy } from '../src/record/http-proxy.js';
import { TraceWriter } from '../src/record/trace-writer.js';

/** Stateful Streamable HTTP server, one low-level Server per session, with one task tool that completes at once. */
async function startServer(port: number) {
  const taskStore = new InMemoryTaskStore();
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const buildServer = () => {
    const server = new Server(
      { name: 'bench-server', version: '1.0.0' },
      {
        capabilities: { tools: {}, tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } },
        taskStore,
        taskMessageQueue: new InMemoryTaskMessageQueue(),
      },
    );
    server.setRequestHandler(ListToolsRequestSchema, async () => ({
      tools: [{ name: 'echo', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } }],
    }));
    server.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
      const store = extra.taskStore!;
      const task = await store.createTask({ ttl: 600_000, pollInterval: 10 });
      // Completed before the CreateTaskResult goes out, so tasks/result never waits on a poll timer
      // (the status notification this emits travels on the GET stream).
      await store.storeTaskResult(task.taskId, 'completed', {
        content: [{ type: 'text', text: JSON.stringify(req.params.arguments ?? {}) }],
      });
      return { task };
    });
    return server;
  };

  const sockets = new Set<Socket>();
  const httpServer = http.createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body: unknown = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      const sid = req.headers['mcp-session-id'];
      const sessionId = Array.isArray(sid) ? sid[0] : sid;
      let t = sessionId ? transports.get(sessionId) : undefined;
      if (!t && !sessionId && req.method === 'POST' && isInitializeRequest(body)) {
        const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => void transports.set(id, created),
        });
        created.onclose = () => {
          if (created.sessionId) transports.delete(created.sessionId);
        };
        await buildServer().connect(created);
        t = created;
      }
      if (!t) {
        res.writeHead(sessionId ? 404 : 400, { 'content-type': 'text/plain' }).end(sessionId ? 'unknown session' : 'no session');
        return;
      }
      await t.handleRequest(req, res, body);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    }
  });
  httpServer.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => httpServer.listen(port, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: async () => {
      for (const t of transports.values()) await t.close().catch(() => {});
      taskStore.cleanup();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => httpServer.close(() => r()));
    },
  };
}

/** One session: connect, N round trips, terminate. Returns the wall time of the round trips. */
async function workload(url: string, roundTrips: number): Promise<number> {
  const client = new Client({ name: 'bench-client', version: '1.0.0' }, { capabilities: {} });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  const t0 = monoMs();
  for (let i = 0; i < roundTrips; i++) {
    const created = await client.request({ method: 'tools/call', params: { name: 'echo', arguments: { i } } }, CreateTaskResultSchema, {
      task: { ttl: 600_000 },
    });
    const taskId = created.task.taskId;
    const got = await client.experimental.tasks.getTask(taskId);
    if (got.status !== 'completed') throw new Error(`round trip ${i}: task ${taskId} is ${got.status}`);
    await client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema);
  }
  const elapsed = monoMs() - t0;
  await transport.terminateSession();
  await client.close();
  return elapsed;
}

async function proxied(targetUrl: string, roundTrips: number): Promise<{ ms: number; messages: number; events: number; bytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-proxy-'));
  const trace = new TraceWriter(join(dir, 'trace.jsonl'));
  const proxy = await startHttpProxy({ target: targetUrl, port: await getPort({ host: '127.0.0.1' }), trace });
  try {
    const ms = await workload(proxy.url, roundTrips);
    await proxy.close();
    trace.close();
    const text = readFileSync(trace.path, 'utf8');
    const lines = text.split('\n').filter((l) => l !== '');
    const messages = lines.filter((l) => (JSON.parse(l) as { kind: string }).kind === 'message').length;
    return { ms, messages, events: lines.length, bytes: Buffer.byteLength(text) };
  } finally {
    await proxy.close();
    trace.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'round-trips': { type: 'string', default: '500' }, runs: { type: 'string', default: '5' } },
  });
  const roundTrips = Number(values['round-trips']);
  const runs = Number(values.runs);
  if (!Number.isInteger(roundTrips) || roundTrips < 1 || !Number.isInteger(runs) || runs < 1) {
    process.stderr.write('usage: bench-proxy [--round-trips N] [--runs K]\n');
    process.exit(2);
  }

  const server = await startServer(await getPort({ host: '127.0.0.1' }));
  try {
    console.log(`bench-proxy: ${roundTrips} task round trips per run (tools/call+task -> CreateTaskResult, tasks/get, tasks/result),`);
    console.log(
      `  TS SDK client -> TS SDK Streamable HTTP server in process, ${runs} runs each, alternating order, after one warm-up each`,
    );
    const warm = Math.min(roundTrips, 50);
    await workload(server.url, warm);
    await proxied(server.url, warm);

    const direct: number[] = [];
    const viaProxy: number[] = [];
    let recorded = { messages: 0, events: 0, bytes: 0 };
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? (['direct', 'proxy'] as const) : (['proxy', 'direct'] as const);
      for (const which of order) {
        if (which === 'direct') {
          direct.push(await workload(server.url, roundTrips));
        } else {
          const r = await proxied(server.url, roundTrips);
          viaProxy.push(r.ms);
          recorded = r;
        }
      }
      console.log(
        `  run ${run + 1} (${order.join(' then ')}): direct ${direct.at(-1)!.toFixed(1)} ms, proxied ${viaProxy.at(-1)!.toFixed(1)} ms`,
      );
    }
    const md = median(direct);
    const mp = median(viaProxy);
    console.log(`median direct:  ${md.toFixed(1)} ms (${((md / roundTrips) * 1000).toFixed(0)} us per round trip)`);
    console.log(`median proxied: ${mp.toFixed(1)} ms (${((mp / roundTrips) * 1000).toFixed(0)} us per round trip)`);
    console.log(`ratio proxied/direct: ${(mp / md).toFixed(2)}`);
    console.log(
      `recorded per proxied run: ${recorded.messages} messages, ${recorded.events} trace events, ${(recorded.bytes / 1024).toFixed(0)} KiB`,
    );
  } finally {
    await server.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
