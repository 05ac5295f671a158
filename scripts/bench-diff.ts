/**
 * `npm run bench:diff`: the time of diffing two 10,000-message traces, read from trace.jsonl
 * files as `mcp-interop diff` does (read, validate, normalise both, diff). The traces are HTTP
 * conversations of many tasks (tools/call, polls, a status notification on the GET stream,
 * tasks/result) that differ the way two runs do: other ids and task ids, other poll counts,
 * notifications interleaved elsewhere, plus a few real differences.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffConversations } from '../src/diff/diff.js';
import { normalise } from '../src/diff/normalise.js';
import { loadSide } from '../src/diff/sources.js';
import { readTrace } from '../src/judge/read-records.js';
import type { TraceEvent } from '../src/vocabulary/trace.js';

const MESSAGES = 10_000;
const ROUNDS = 5;

function traceOf(variant: 'a' | 'b'): TraceEvent[] {
  const events: TraceEvent[] = [];
  let exchange = 0;
  let messages = 0;
  const push = (e: TraceEvent) => {
    events.push(e);
    if (e.kind === 'message') messages++;
  };
  let rnd = variant === 'a' ? 1 : 2;
  const random = () => {
    rnd = (rnd * 1103515245 + 12345) % 2 ** 31;
    return rnd / 2 ** 31;
  };
  const session = `session-${variant}-0000-1111`;
  const time = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, 0, n)).toISOString();
  const post = (msg: Record<string, unknown>, answer?: Record<string, unknown>) => {
    const x = exchange++;
    const http = { exchange: x, method: 'POST', path: '/mcp', sessionId: session };
    push({
      seq: 0,
      t: 0,
      kind: 'message',
      dir: 'c2s',
      transport: 'http',
      http: { ...http, contentType: 'application/json', stream: 'request' },
      msg,
    });
    if (answer)
      push({
        seq: 0,
        t: 0,
        kind: 'message',
        dir: 's2c',
        transport: 'http',
        http: { ...http, status: 200, contentType: 'text/event-stream', stream: 'post-sse' },
        msg: answer,
      });
    else events.push({ seq: 0, t: 0, kind: 'http', dir: 's2c', event: 'response', http: { ...http, status: 202 } });
  };
  const id = (n: number) => (variant === 'a' ? n : `req-${n}`);
  let next = 0;
  const request = (method: string, params: Record<string, unknown>, result: Record<string, unknown>) => {
    const n = next++;
    post({ jsonrpc: '2.0', id: id(n), method, params }, { jsonrpc: '2.0', id: id(n), result });
  };
  request(
    'initialize',
    { protocolVersion: '2025-11-25', capabilities: {} },
    { protocolVersion: '2025-11-25', capabilities: { tasks: {} } },
  );
  post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  const get = exchange++;
  const getHttp = { exchange: get, method: 'GET', path: '/mcp', sessionId: session };
  events.push({ seq: 0, t: 0, kind: 'http', dir: 'c2s', event: 'request', http: getHttp });
  events.push({ seq: 0, t: 0, kind: 'http', dir: 's2c', event: 'stream-open', http: { ...getHttp, status: 200, stream: 'get-sse' } });

  let task = 0;
  while (messages < MESSAGES) {
    const taskId = `${variant}-${(task * 2654435761) % 2 ** 32}-task`;
    const obj = (status: string) => ({
      taskId,
      status,
      ttl: 30000,
      pollInterval: 50,
      createdAt: time(task),
      lastUpdatedAt: time(task + 7),
    });
    request('tools/call', { name: 'job', arguments: { n: task }, task: { ttl: 30000 } }, { task: obj('working') });
    const polls = 1 + Math.floor(random() * 4);
    for (let p = 0; p < polls; p++) request('tasks/get', { taskId }, obj('working'));
    const notify = () =>
      push({
        seq: 0,
        t: 0,
        kind: 'message',
        dir: 's2c',
        transport: 'http',
        http: { ...getHttp, status: 200, stream: 'get-sse' },
        msg: { jsonrpc: '2.0', method: 'notifications/tasks/status', params: obj('completed') },
      });
    // The notification on the GET stream lands before or after the last poll's answer.
    const early = random() < 0.5;
    if (early) notify();
    request('tasks/get', { taskId }, obj('completed'));
    if (!early) notify();
    // A few real differences on B.
    const text = variant === 'b' && task % 97 === 0 ? `job ${task} done differently` : `job ${task} done`;
    request('tasks/result', { taskId }, { content: [{ type: 'text', text }] });
    task++;
  }
  events.forEach((e, i) => {
    e.seq = i;
    e.t = i;
  });
  return events;
}

function write(dir: string, events: TraceEvent[]): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'trace.jsonl'), `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
  return dir;
}

const root = join(tmpdir(), `mcp-interop-bench-diff-${process.pid}`);
const traces = { a: traceOf('a'), b: traceOf('b') };
const dirA = write(join(root, 'a'), traces.a);
const dirB = write(join(root, 'b'), traces.b);
const count = (events: TraceEvent[]) => events.filter((e) => e.kind === 'message').length;
console.log(`traces: ${count(traces.a)} and ${count(traces.b)} messages (${traces.a.length} and ${traces.b.length} events), under ${root}`);

const rounds: { read: number; normalise: number; diff: number; total: number; cpu: number }[] = [];
let found = 0;
for (let i = 0; i < ROUNDS; i++) {
  // The whole of `mcp-interop diff <A> <B>`, then its phases alone (the same work, timed apart).
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const result = diffConversations(loadSide(dirA).conversation, loadSide(dirB).conversation);
  const total = performance.now() - started;
  // CPU time too: on a shared machine the wall time says as much about the neighbours.
  const used = process.cpuUsage(cpuStarted);
  const cpu = (used.user + used.system) / 1000;
  found = result.differences.length;
  let t = performance.now();
  const ra = readTrace(join(dirA, 'trace.jsonl')).records;
  const rb = readTrace(join(dirB, 'trace.jsonl')).records;
  const read = performance.now() - t;
  t = performance.now();
  const ca = normalise(ra, 'http');
  const cb = normalise(rb, 'http');
  const norm = performance.now() - t;
  t = performance.now();
  diffConversations(ca, cb);
  rounds.push({ read, normalise: norm, diff: performance.now() - t, total, cpu });
}
const median = (k: keyof (typeof rounds)[number]) =>
  rounds
    .map((r) => r[k])
    .sort((x, y) => x - y)
    [ROUNDS >> 1]!.toFixed(0);
console.log(`differences found: ${found}`);
console.log(`phases (median): read + validate ${median('read')} ms, normalise ${median('normalise')} ms, diff ${median('diff')} ms`);
const totals = rounds.map((r) => r.total).sort((x, y) => x - y);
console.log(
  `diff of two ${MESSAGES.toLocaleString('en')}-message traces: median ${median('total')} ms wall, ${median('cpu')} ms CPU (wall min ${totals[0]!.toFixed(0)}, max ${totals.at(-1)!.toFixed(0)}, ${ROUNDS} rounds; load average ${loadavg()[0]!.toFixed(1)})`,
);
rmSync(root, { recursive: true, force: true });
