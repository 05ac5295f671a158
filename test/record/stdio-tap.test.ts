import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST_DIR } from '../../src/paths.js';
import { LineSplitter } from '../../src/record/line-splitter.js';
import { TraceWriter } from '../../src/record/trace-writer.js';
import { TraceEvent } from '../../src/vocabulary/trace.js';
import { tempDir } from '../helpers.js';

const readTrace = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => TraceEvent.parse(JSON.parse(l)));

describe('LineSplitter', () => {
  it('keeps partial lines and multi-byte characters split across chunks', () => {
    const s = new LineSplitter();
    const euro = Buffer.from('€');
    expect(s.push(Buffer.concat([Buffer.from('{"a":"'), euro.subarray(0, 1)]))).toEqual([]);
    expect(s.push(Buffer.concat([euro.subarray(1), Buffer.from('"}\n{"b"')]))).toEqual(['{"a":"€"}']);
    expect(s.push(':1}\n')).toEqual(['{"b":1}']);
    expect(s.flush()).toEqual([]);
  });
});

describe('TraceWriter', () => {
  it('numbers events, splits batches and keeps unparsable text as raw', () => {
    const file = join(tempDir(), 'trace.jsonl');
    const w = new TraceWriter(file);
    w.writeJsonText('{"jsonrpc":"2.0","id":1,"method":"tasks/get"}', { dir: 'c2s', transport: 'stdio' }, 5);
    w.writeJsonText('[{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","method":"b"}]', { dir: 's2c', transport: 'stdio' }, 6);
    w.writeJsonText('not json', { dir: 's2c', transport: 'stdio' }, 7);
    w.writeJsonText('42', { dir: 's2c', transport: 'stdio' }, 8);
    w.close();
    const events = readTrace(file);
    expect(events.map((e) => [e.seq, e.kind, e.t])).toEqual([
      [0, 'message', 5],
      [1, 'message', 6],
      [2, 'message', 6],
      [3, 'raw', 7],
      [4, 'raw', 8],
    ]);
    expect(events[1]).toMatchObject({ batch: true, msg: { method: 'a' } });
    expect(events[3]).toMatchObject({ raw: 'not json', dir: 's2c' });
  });
});

describe('stdio tap', () => {
  it('passes bytes through unchanged, records both directions and the exit status', async () => {
    const dir = tempDir();
    const trace = join(dir, 'trace.jsonl');
    // A fake server: echoes each line back as a response, writes to stderr, exits 3 on EOF.
    const server = `process.stdin.on('data', d => { for (const l of d.toString().split('\\n').filter(Boolean)) { try { process.stdout.write(JSON.stringify({jsonrpc:'2.0', id: JSON.parse(l).id, result: {}}) + '\\n'); } catch {} } console.error('log line'); }); process.stdin.on('end', () => process.exit(3));`;
    const tap = spawn(process.execPath, [
      join(DIST_DIR, 'src/record/stdio-tap.js'),
      '--trace',
      trace,
      '--stderr',
      join(dir, 'err.log'),
      '--pid-file',
      join(dir, 'pids'),
      '--',
      process.execPath,
      '-e',
      server,
    ]);
    let out = '';
    tap.stdout.on('data', (d) => (out += d));
    tap.stdin.write('{"jsonrpc":"2.0","id":1,"method":"tasks/get","params":{"taskId":"é"}}\n');
    tap.stdin.write('garbage\n');
    await new Promise((r) => setTimeout(r, 300));
    tap.stdin.end();
    const code = await new Promise((r) => tap.on('close', r));
    expect(code).toBe(3);
    expect(out).toBe('{"jsonrpc":"2.0","id":1,"result":{}}\n');
    const events = readTrace(trace);
    expect(
      events.map((e) => (e.kind === 'message' || e.kind === 'raw' ? `${e.kind}:${e.dir}` : `${e.kind}:${'event' in e ? e.event : ''}`)),
    ).toEqual(['process:spawn', 'message:c2s', 'raw:c2s', 'message:s2c', 'process:exit']);
    expect(events[1]).toMatchObject({ msg: { params: { taskId: 'é' } }, transport: 'stdio' });
    expect(events[4]).toMatchObject({ code: 3 });
    expect(readFileSync(join(dir, 'err.log'), 'utf8')).toContain('log line');
    expect(readFileSync(join(dir, 'pids'), 'utf8').trim().split(' ')).toHaveLength(3); // front, tap, server
  });
});
