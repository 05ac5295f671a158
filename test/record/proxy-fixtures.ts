/** Shared fixtures of the HTTP proxy tests: a scriptable fake upstream, a raw HTTP client, a temp trace. */
import { mkdtempSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TraceWriter } from '../../src/record/trace-writer.js';
import { TraceEvent } from '../../src/vocabulary/trace.js';

export function tempTrace(): { writer: TraceWriter; read(): TraceEvent[] } {
  const dir = mkdtempSync(join(tmpdir(), 'http-proxy-test-'));
  const writer = new TraceWriter(join(dir, 'trace.jsonl'));
  return {
    writer,
    // Every line must be a valid trace event: the schema is the contract.
    read: () =>
      readFileSync(writer.path, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => TraceEvent.parse(JSON.parse(l))),
  };
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

export interface FakeUpstream {
  url: string;
  port: number;
  handler: Handler;
  /** Requests seen, with their raw headers and body. */
  seen: { method: string; url: string; rawHeaders: string[]; headers: http.IncomingHttpHeaders; body: Buffer }[];
  /** Every request body byte received, complete request or not (a cut body never ends). */
  received: Buffer[];
  close(): Promise<void>;
}

export async function fakeUpstream(): Promise<FakeUpstream> {
  const sockets = new Set<import('node:net').Socket>();
  const up: FakeUpstream = {
    url: '',
    port: 0,
    seen: [],
    received: [],
    handler: (_req, res) => {
      res.writeHead(500);
      res.end('no handler');
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      chunks.push(c);
      up.received.push(c);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      up.seen.push({ method: req.method!, url: req.url!, rawHeaders: req.rawHeaders, headers: req.headers, body });
      void up.handler(req, res, body);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  up.port = (server.address() as import('node:net').AddressInfo).port;
  up.url = `http://127.0.0.1:${up.port}/mcp`;
  return up;
}

export interface ClientResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  text: string;
}

export interface ClientOptions {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Called with each chunk as it arrives. */
  onChunk?: (chunk: Buffer) => void;
  onResponse?: (res: IncomingMessage) => void;
  agent?: http.Agent;
}

/** One request straight to `url` (the proxy), resolving with the bytes received. */
export function request(url: string, o: ClientOptions = {}): { done: Promise<ClientResult>; req: http.ClientRequest } {
  const u = new URL(url);
  let req!: http.ClientRequest;
  const done = new Promise<ClientResult>((resolve, reject) => {
    req = http.request(
      {
        hostname: u.hostname,
        port: u.port,
        method: o.method ?? 'POST',
        path: o.path ?? u.pathname,
        headers: o.headers ?? {},
        agent: o.agent ?? false,
      },
      (res) => {
        o.onResponse?.(res);
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          o.onChunk?.(c);
        });
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode!, headers: res.headers, rawHeaders: res.rawHeaders, body, text: body.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (o.body !== undefined) req.write(o.body);
    req.end();
  });
  return { done, req };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resolves when `cond()` holds, polling; rejects after `ms`. */
export async function until(cond: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** A promise with its resolver, and a timeout so a buffered stream fails the test rather than hanging. */
export function signal(ms = 2000): { promise: Promise<boolean>; resolve(): void } {
  let resolve!: (v: boolean) => void;
  const promise = new Promise<boolean>((r) => {
    resolve = r;
    setTimeout(() => r(false), ms).unref();
  });
  return { promise, resolve: () => resolve(true) };
}
