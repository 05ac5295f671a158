#!/usr/bin/env node
/**
 * The stdio recorder. The client driver starts the server through it:
 *
 *   node dist/src/record/stdio-tap.js --trace <trace.jsonl> --stderr <server.stderr.log> \
 *        [--pid-file <file>] [--env NAME=VALUE ...] -- <server argv...>
 *
 * Bytes pass through unchanged in both directions; each newline-delimited message is appended
 * to the trace as it goes by. The server's stderr goes straight to a file. The tap exits with
 * the server's exit status, and forwards SIGTERM/SIGINT to it, so to the client SDK it looks
 * exactly like the server. `--env` sets the server driver's own contract variables (its
 * implementation and SDK release), which differ from the client's that the client SDK passes on.
 */
import { spawn } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Direction } from '../vocabulary/trace.js';
import { monoMs } from './clock.js';
import { LineSplitter } from './line-splitter.js';
import { TraceWriter } from './trace-writer.js';

/** Records the complete lines of one direction. */
function recorder(trace: TraceWriter, dir: Direction) {
  const lines = new LineSplitter();
  const record = (line: string, t: number) => {
    const text = line.replace(/\r$/, '');
    if (text.trim()) trace.writeJsonText(text, { dir, transport: 'stdio' }, t);
  };
  return {
    chunk(data: Buffer) {
      const t = monoMs();
      for (const line of lines.push(data)) record(line, t);
    },
    end() {
      const t = monoMs();
      for (const line of lines.flush()) record(line, t);
    },
  };
}

function main(): void {
  const sep = process.argv.indexOf('--');
  const { values } = parseArgs({
    args: process.argv.slice(2, sep < 0 ? undefined : sep),
    options: {
      trace: { type: 'string' },
      stderr: { type: 'string' },
      'pid-file': { type: 'string' },
      env: { type: 'string', multiple: true },
    },
  });
  const argv = sep < 0 ? [] : process.argv.slice(sep + 1);
  if (!values.trace || !values.stderr || argv.length === 0) {
    process.stderr.write('usage: stdio-tap --trace <file> --stderr <file> [--pid-file <file>] [--env NAME=VALUE ...] -- <command...>\n');
    process.exit(2);
  }

  const trace = new TraceWriter(values.trace);
  const stderrFd = openSync(values.stderr, 'a');
  const env = { ...process.env };
  for (const pair of values.env ?? []) {
    const eq = pair.indexOf('=');
    if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', stderrFd], env });
  const childIn = child.stdin!;
  const childOut = child.stdout!;

  child.on('error', (err) => {
    trace.write({ kind: 'process', role: 'server', event: 'error', argv, detail: err.message });
    process.stderr.write(`stdio-tap: cannot start ${argv[0]}: ${err.message}\n`);
    process.exit(127);
  });
  if (child.pid !== undefined) {
    trace.write({ kind: 'process', role: 'server', event: 'spawn', pid: child.pid, argv });
    // The runner kills both if they outlive the cell (a client SDK may start us in a new session).
    if (values['pid-file']) writeFileSync(values['pid-file'], `${process.pid} ${child.pid}\n`);
  }

  const c2s = recorder(trace, 'c2s');
  const s2c = recorder(trace, 's2c');

  process.stdin.on('data', (data: Buffer) => {
    c2s.chunk(data);
    childIn.write(data);
  });
  process.stdin.on('end', () => {
    c2s.end();
    childIn.end();
  });
  childOut.on('data', (data: Buffer) => {
    s2c.chunk(data);
    process.stdout.write(data);
  });
  childOut.on('end', () => s2c.end());

  // The peer going away mid-write is normal at shutdown; it must not kill the tap before it
  // has recorded the server's exit.
  childIn.on('error', () => {});
  process.stdout.on('error', () => {});

  let killTimer: NodeJS.Timeout | undefined;
  const forward = (signal: NodeJS.Signals) => {
    child.kill(signal);
    killTimer ??= setTimeout(() => child.kill('SIGKILL'), 3000);
  };
  process.on('SIGTERM', () => forward('SIGTERM'));
  process.on('SIGINT', () => forward('SIGINT'));

  child.on('close', (code, signal) => {
    if (killTimer) clearTimeout(killTimer);
    trace.write({ kind: 'process', role: 'server', event: 'exit', pid: child.pid, code, signal });
    trace.close();
    process.exitCode = code ?? 128 + (signal === 'SIGKILL' ? 9 : 15);
    process.stdout.end();
    process.stdin.destroy();
  });
}

main();
