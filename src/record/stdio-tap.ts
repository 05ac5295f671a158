#!/usr/bin/env node
/**
 * The stdio recorder. The client driver starts the server through it:
 *
 *   node dist/src/record/stdio-tap.js --trace <trace.jsonl> --stderr <server.stderr.log> \
 *        [--pid-file <file>] [--faults <faults.json>] [--settle <quietMs>:<maxMs>] \
 *        [--env NAME=VALUE ...] -- <server argv...>
 *
 * Messages pass through line by line, unchanged, in both directions; each is appended to the
 * trace as it goes by. `--faults` names a JSON file with the scenario's `faults` (drop, delay,
 * garbage apply over stdio), applied on the way (stdio-lane.ts). When the client closes stdin the
 * tap lets the conversation settle (settle.ts) before it closes the server's stdin, so what is
 * recorded does not depend on how fast the client hung up. The server's stderr goes straight to a
 * file. The tap exits with the server's exit status, and forwards SIGTERM/SIGINT to it, so to the
 * client SDK it looks exactly like the server; it runs detached behind a small front process
 * (`front` below) so that a client killing it outright does not cut the recording short. `--env` sets the server driver's own contract
 * variables (its implementation and SDK release), which differ from the client's that the client
 * SDK passes on.
 */
import { spawn } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Fault } from '../vocabulary/scenario.js';
import { FaultPlan, MessageTracker } from './fault-plan.js';
import { SETTLE, Settler } from './settle.js';
import { StdioLane } from './stdio-lane.js';
import { TraceWriter } from './trace-writer.js';

const USAGE =
  'usage: stdio-tap --trace <file> --stderr <file> [--pid-file <file>] [--faults <file>] [--settle <quietMs>:<maxMs>] [--env NAME=VALUE ...] -- <command...>\n';

function fail(message: string): never {
  process.stderr.write(`stdio-tap: ${message}\n${USAGE}`);
  process.exit(2);
}

/**
 * The faults file the runner wrote next to scenario.json: the scenario's `faults`, validated.
 * The vocabulary (zod) is loaded only then: every stdio cell starts this tap twice (front and
 * tap proper), and most cells have no faults.
 */
async function readFaults(file: string | undefined): Promise<Fault[]> {
  if (!file) return [];
  const [{ z }, { Fault }] = await Promise.all([import('zod'), import('../vocabulary/scenario.js')]);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    fail(`--faults ${file}: ${(err as Error).message}`);
  }
  const parsed = z.array(Fault).safeParse(json);
  if (!parsed.success) fail(`--faults ${file}: ${parsed.error.issues.map((i) => `[${i.path.join('.')}] ${i.message}`).join('; ')}`);
  return parsed.data;
}

function readSettle(value: string | undefined): { quietMs: number; maxMs: number } {
  if (value === undefined) return SETTLE;
  const m = /^(\d+):(\d+)$/.exec(value);
  if (!m) fail(`--settle ${value}: expected <quietMs>:<maxMs>, e.g. 200:1000`);
  return { quietMs: Number(m[1]), maxMs: Number(m[2]) };
}

/** Set in the environment of the tap proper, to the pid of the front that started it. */
const BACKEND = 'MCP_INTEROP_TAP_FRONT_PID';

/**
 * The process the client SDK starts: it only starts the tap proper, detached (a process group
 * of its own) on the same stdin, stdout and stderr, relays SIGTERM/SIGINT to it and exits as it
 * exits. A client SDK that kills its server process outright (Python's asyncio kills a child it
 * stopped waiting for, when the session's teardown is cancelled) then kills only this front: the
 * tap proper lives on, still on the client's pipes, lets the conversation settle and records how
 * the server ended, the same way in every run.
 */
function front(): void {
  const back = spawn(process.execPath, process.argv.slice(1), {
    detached: true,
    stdio: 'inherit',
    env: { ...process.env, [BACKEND]: String(process.pid) },
  });
  back.on('error', (err) => {
    process.stderr.write(`stdio-tap: cannot start the tap: ${err.message}\n`);
    process.exit(127);
  });
  process.on('SIGTERM', () => back.kill('SIGTERM'));
  process.on('SIGINT', () => back.kill('SIGINT'));
  back.on('exit', (code, signal) => process.exit(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15)));
}

async function main(): Promise<void> {
  const sep = process.argv.indexOf('--');
  const { values } = parseArgs({
    args: process.argv.slice(2, sep < 0 ? undefined : sep),
    options: {
      trace: { type: 'string' },
      stderr: { type: 'string' },
      'pid-file': { type: 'string' },
      faults: { type: 'string' },
      settle: { type: 'string' },
      env: { type: 'string', multiple: true },
    },
  });
  const argv = sep < 0 ? [] : process.argv.slice(sep + 1);
  if (!values.trace || !values.stderr || argv.length === 0) fail('--trace, --stderr and a command after -- are required');
  const plan = new FaultPlan(await readFaults(values.faults));
  const settler = new Settler(readSettle(values.settle));

  const trace = new TraceWriter(values.trace);
  const stderrFd = openSync(values.stderr, 'a');
  const env = { ...process.env };
  delete env[BACKEND];
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
    // Front, tap, server: the runner stops all of them if they outlive the cell.
    if (values['pid-file']) writeFileSync(values['pid-file'], `${process.env[BACKEND] ?? ''} ${process.pid} ${child.pid}\n`.trimStart());
  }

  const deps = { trace, plan, tracker: new MessageTracker(), settler };
  const c2s = new StdioLane('c2s', deps, (bytes) => childIn.write(bytes));
  const s2c = new StdioLane('s2c', deps, (bytes) => process.stdout.write(bytes));

  process.stdin.on('data', (data: Buffer) => c2s.chunk(data));
  process.stdin.on('end', () => {
    settler.touch();
    c2s.end();
    // The client hung up: what it sent goes through first, then the server gets its EOF once the
    // conversation has settled (settle.ts).
    void c2s
      .drained()
      .then(() => settler.settled())
      .then(() => childIn.end());
  });
  childOut.on('data', (data: Buffer) => s2c.chunk(data));
  childOut.on('end', () => {
    s2c.end();
    s2c.flush();
  });

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
    c2s.flush();
    s2c.flush();
    trace.write({ kind: 'process', role: 'server', event: 'exit', pid: child.pid, code, signal });
    trace.close();
    process.exitCode = code ?? 128 + (signal === 'SIGKILL' ? 9 : 15);
    process.stdout.end();
    process.stdin.destroy();
  });
}

if (process.env[BACKEND]) void main();
else front();
