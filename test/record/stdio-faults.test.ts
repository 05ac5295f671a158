/**
 * Faults over stdio: one direction of the tap (StdioLane) with drop, delay and garbage, and the
 * tap process itself with a faults file and the teardown settle. Each fault has a case where it
 * applies and one where the message does not match and passes untouched.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST_DIR } from '../../src/paths.js';
import { monoMs } from '../../src/record/clock.js';
import { FaultPlan, MessageTracker } from '../../src/record/fault-plan.js';
import { StdioLane } from '../../src/record/stdio-lane.js';
import { TraceWriter } from '../../src/record/trace-writer.js';
import { isAlive } from '../../src/run/processes.js';
import { Fault } from '../../src/vocabulary/scenario.js';
import { type FaultEvent, TraceEvent } from '../../src/vocabulary/trace.js';
import { tempDir } from '../helpers.js';

const readTrace = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => TraceEvent.parse(JSON.parse(l)));
const line = (o: unknown) => Buffer.from(`${JSON.stringify(o)}\n`);
const status = (n: number) => ({ jsonrpc: '2.0', method: 'notifications/tasks/status', params: { taskId: 't', status: 'working', n } });
const getReq = (id: number) => ({ jsonrpc: '2.0', id, method: 'tasks/get', params: { taskId: 't' } });
const getRes = (id: number) => ({ jsonrpc: '2.0', id, result: { taskId: 't', status: 'working' } });

/** A c2s and an s2c lane over one trace, collecting what each delivers. */
function lanes(...faultItems: unknown[]) {
  const file = join(tempDir(), 'trace.jsonl');
  const trace = new TraceWriter(file);
  const deps = { trace, plan: new FaultPlan(faultItems.map((f) => Fault.parse(f))), tracker: new MessageTracker() };
  const out = { c2s: [] as string[], s2c: [] as string[] };
  const c2s = new StdioLane('c2s', deps, (b) => out.c2s.push(b.toString()));
  const s2c = new StdioLane('s2c', deps, (b) => out.s2c.push(b.toString()));
  return { c2s, s2c, out, events: () => readTrace(file), trace };
}

describe('stdio lane faults', () => {
  it('without faults passes every line byte for byte, a partial line once it is complete', () => {
    const l = lanes();
    l.c2s.chunk(Buffer.from('{"jsonrpc":"2.0","id":1,"method":"ping"}\r\n{"jsonrpc":"2.0",'));
    l.c2s.chunk(Buffer.from('"method":"x"}\n\nnot json\n'));
    expect(l.out.c2s).toEqual(['{"jsonrpc":"2.0","id":1,"method":"ping"}\r\n', '{"jsonrpc":"2.0","method":"x"}\n', '\n', 'not json\n']);
    expect(l.events().map((e) => e.kind)).toEqual(['message', 'message', 'raw']);
  });

  it('drop withholds matching messages, records each as a fault with the message, and lets others through', () => {
    const l = lanes({ drop: { method: 'notifications/tasks/status' } });
    l.s2c.chunk(Buffer.concat([line(status(1)), line(getRes(5)), line(status(2))]));
    expect(l.out.s2c.map((s) => JSON.parse(s))).toEqual([getRes(5)]);
    const ev = l.events();
    expect(ev.filter((e) => e.kind === 'message').map((e) => (e as { msg: unknown }).msg)).toEqual([getRes(5)]);
    const fault = ev.filter((e): e is FaultEvent => e.kind === 'fault');
    expect(fault.map((f) => [f.fault, f.index, f.dir, (f.msg!.params as { n: number }).n])).toEqual([
      ['drop', 0, 's2c', 1],
      ['drop', 0, 's2c', 2],
    ]);
    expect(fault[0]!.detail).toMatch(/dropped the notification notifications\/tasks\/status/);
  });

  it('drop with type response and nth drops only that answer, found through its request', () => {
    const l = lanes({ drop: { method: 'tasks/get', type: 'response', nth: 2 } });
    for (const id of [1, 2, 3]) {
      l.c2s.chunk(line(getReq(id)));
      l.s2c.chunk(line(getRes(id)));
    }
    expect(l.out.c2s).toHaveLength(3); // requests are not responses
    expect(l.out.s2c.map((s) => JSON.parse(s).id)).toEqual([1, 3]);
  });

  it('drop keeps the other elements of a batch, re-serialised', () => {
    const l = lanes({ drop: { method: 'notifications/tasks/status' } });
    l.s2c.chunk(line([status(1), getRes(2)]));
    expect(l.out.s2c).toEqual([`${JSON.stringify([getRes(2)])}\n`]);
  });

  it('delay holds a matching message and what follows it in that direction, and records the release time', async () => {
    const l = lanes({ delay: 150, match: { method: 'tasks/get', type: 'response' } });
    const t0 = monoMs();
    l.c2s.chunk(line(getReq(1)));
    l.s2c.chunk(Buffer.concat([line(getRes(1)), line(status(1))]));
    l.c2s.chunk(line(getReq(2))); // the other direction is not held
    expect(l.out.s2c).toEqual([]);
    expect(l.out.c2s).toHaveLength(2);
    await l.s2c.drained();
    expect(l.out.s2c.map((s) => JSON.parse(s).id ?? 'status')).toEqual([1, 'status']);
    const ev = l.events();
    const held = ev.find((e): e is FaultEvent => e.kind === 'fault')!;
    expect(held.detail).toMatch(/held the response to tasks\/get \(id 1\) for 150 ms/);
    const delivered = ev.find((e) => e.kind === 'message' && e.dir === 's2c')!;
    expect(delivered.t - t0).toBeGreaterThanOrEqual(140);
    expect(delivered.seq).toBeGreaterThan(held.seq);
  });

  it('delay does not touch messages that do not match', () => {
    const l = lanes({ delay: 5000, match: { method: 'tasks/result' } });
    l.s2c.chunk(line(status(1)));
    expect(l.out.s2c).toHaveLength(1);
  });

  it('garbage writes a non-JSON line just before the match, recorded as a fault and a raw event', () => {
    const l = lanes({ garbage: 'not json at all', before: { method: 'tasks/get', direction: 'c2s', nth: 2 } });
    l.c2s.chunk(Buffer.concat([line(getReq(1)), line(getReq(2)), line(getReq(3))]));
    expect(l.out.c2s.map((s) => s.trim())).toEqual([
      JSON.stringify(getReq(1)),
      'not json at all',
      JSON.stringify(getReq(2)),
      JSON.stringify(getReq(3)),
    ]);
    const kinds = l.events().map((e) => (e.kind === 'message' ? `message:${(e.msg as { id: number }).id}` : e.kind));
    expect(kinds).toEqual(['message:1', 'fault', 'raw', 'message:2', 'message:3']);
  });
});

/** Runs the tap around a fake server; resolves with what the client side saw, the trace and timings. */
async function runTap(opts: { faults?: unknown[]; settle?: string; server: string; send: string[]; waitMs?: number }) {
  const dir = tempDir();
  const trace = join(dir, 'trace.jsonl');
  const args = [join(DIST_DIR, 'src/record/stdio-tap.js'), '--trace', trace, '--stderr', join(dir, 'err.log')];
  if (opts.faults) {
    writeFileSync(join(dir, 'faults.json'), JSON.stringify(opts.faults.map((f) => Fault.parse(f))));
    args.push('--faults', join(dir, 'faults.json'));
  }
  if (opts.settle) args.push('--settle', opts.settle);
  const tap = spawn(process.execPath, [...args, '--', process.execPath, '-e', opts.server]);
  let out = '';
  tap.stdout.on('data', (d) => (out += d));
  let stderr = '';
  tap.stderr.on('data', (d) => (stderr += d));
  for (const s of opts.send) tap.stdin.write(`${s}\n`);
  await new Promise((r) => setTimeout(r, opts.waitMs ?? 300));
  const endAt = monoMs();
  tap.stdin.end();
  const code = await new Promise((r) => tap.on('close', r));
  return { out, code, stderr, events: readTrace(trace), endAt, closedAt: monoMs() };
}

// Echoes each request as a response; on EOF waits 100 ms, says a last thing, and exits 0.
const ECHO = `let buf=''; process.stdin.on('data', d => { buf += d; let i; while ((i = buf.indexOf('\\n')) >= 0) { const l = buf.slice(0, i); buf = buf.slice(i + 1); try { const m = JSON.parse(l); if (m.id !== undefined) process.stdout.write(JSON.stringify({jsonrpc:'2.0', id: m.id, result: {}}) + '\\n'); } catch { process.stdout.write(JSON.stringify({jsonrpc:'2.0', id: null, error: {code: -32700, message: 'Parse error'}}) + '\\n'); } } }); process.stdin.on('end', () => process.exit(0));`;

describe('stdio tap with faults', () => {
  it('applies the faults file: garbage reaches the server, which answers it; a dropped answer never reaches the client', async () => {
    const r = await runTap({
      faults: [{ garbage: 'oops', before: { method: 'ping', nth: 1 } }, { drop: { method: 'ping', type: 'response', nth: 2 } }],
      settle: '0:0',
      server: ECHO,
      send: [JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }), JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' })],
    });
    expect(r.code).toBe(0);
    const got = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(got).toEqual([
      { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } },
      { jsonrpc: '2.0', id: 1, result: {} },
    ]);
    expect(r.events.filter((e) => e.kind === 'fault').map((e) => (e as FaultEvent).fault)).toEqual(['garbage', 'drop']);
    expect(r.events.some((e) => e.kind === 'raw' && e.dir === 'c2s' && e.raw === 'oops')).toBe(true);
  });

  it('rejects a faults file that does not validate, naming the file and the field', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'faults.json'), JSON.stringify([{ kind: 'drop', drop: { nth: 0 } }]));
    const tap = spawn(process.execPath, [
      join(DIST_DIR, 'src/record/stdio-tap.js'),
      '--trace',
      join(dir, 't.jsonl'),
      '--stderr',
      join(dir, 'e.log'),
      '--faults',
      join(dir, 'faults.json'),
      '--',
      process.execPath,
      '-e',
      '',
    ]);
    let stderr = '';
    tap.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((r) => tap.on('close', r));
    expect(code).toBe(2);
    expect(stderr).toMatch(/faults\.json: \[0\.drop\.nth\]/);
  });
});

describe('stdio tap teardown settle', () => {
  // Creates a task on tools/call, and reports it completed 250 ms later by notification.
  const TASKS = `let buf=''; process.stdin.on('data', d => { buf += d; let i; while ((i = buf.indexOf('\\n')) >= 0) { const m = JSON.parse(buf.slice(0, i)); buf = buf.slice(i + 1); process.stdout.write(JSON.stringify({jsonrpc:'2.0', id: m.id, result: {task: {taskId: 'k', status: 'working'}}}) + '\\n'); setTimeout(() => process.stdout.write(JSON.stringify({jsonrpc:'2.0', method: 'notifications/tasks/status', params: {taskId: 'k', status: 'completed'}}) + '\\n'), 250); } }); process.stdin.on('end', () => process.exit(0));`;
  const call = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', task: {} } });

  it('holds the EOF until the server reported its task terminal, so the late notification is recorded', async () => {
    const r = await runTap({ settle: '50:2000', server: TASKS, send: [call], waitMs: 20 });
    const methods = r.events.flatMap((e) => (e.kind === 'message' ? [(e.msg as { method?: string }).method ?? 'response'] : []));
    expect(methods).toEqual(['tools/call', 'response', 'notifications/tasks/status']);
  });

  it('a client that kills the process it started kills only the front: the tap records the rest and the exit', async () => {
    const dir = tempDir();
    const trace = join(dir, 'trace.jsonl');
    const pids = join(dir, 'pids');
    const tap = spawn(process.execPath, [
      join(DIST_DIR, 'src/record/stdio-tap.js'),
      '--trace',
      trace,
      '--stderr',
      join(dir, 'err.log'),
      '--pid-file',
      pids,
      '--settle',
      '50:2000',
      '--',
      process.execPath,
      '-e',
      TASKS,
    ]);
    let out = '';
    tap.stdout.on('data', (d) => (out += d));
    tap.stdin.write(`${call}\n`);
    for (let i = 0; i < 400 && !out.includes('"id":1'); i++) await new Promise((r) => setTimeout(r, 25));
    const [frontPid, tapPid, serverPid] = readFileSync(pids, 'utf8').trim().split(' ').map(Number);
    expect(frontPid).toBe(tap.pid);
    tap.kill('SIGKILL'); // as asyncio does to a child it stopped waiting for
    tap.stdin.end();
    for (let i = 0; i < 200 && !readFileSync(trace, 'utf8').includes('"event":"exit"'); i++) await new Promise((r) => setTimeout(r, 25));
    const events = readTrace(trace);
    const methods = events.flatMap((e) => (e.kind === 'message' ? [(e.msg as { method?: string }).method ?? 'response'] : []));
    expect(methods).toEqual(['tools/call', 'response', 'notifications/tasks/status']);
    expect(events.at(-1)).toMatchObject({ kind: 'process', event: 'exit', pid: serverPid, code: 0 });
    for (let i = 0; i < 200 && [tapPid!, serverPid!].some(isAlive); i++) await new Promise((r) => setTimeout(r, 25));
    expect([tapPid!, serverPid!].filter(isAlive)).toEqual([]);
  });

  it('without the settle, the same server loses its notification (what made results depend on timing)', async () => {
    const r = await runTap({ settle: '0:0', server: TASKS, send: [call], waitMs: 20 });
    const methods = r.events.flatMap((e) => (e.kind === 'message' ? [(e.msg as { method?: string }).method ?? 'response'] : []));
    expect(methods).toEqual(['tools/call', 'response']);
  });
});
