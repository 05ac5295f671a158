/**
 * Memory of the harness on a very large cell: a task polled as fast as the server allows
 * (pollInterval 0) for long enough that the trace holds about `--messages` JSON-RPC messages,
 * run, judged and reported in this process as the matrix does (the HTTP proxy also runs here). Prints the
 * message count, the trace size, and the harness's maximum RSS (sampled, and the kernel's
 * maxRSS); it asserts nothing. Each transport runs in a child process of its own, so one
 * transport's peak does not hide in the other's.
 *
 *   npm run bench:memory -- [--messages 100000] [--transport stdio,http] [--client ts] [--server ts]
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { applyBaseline } from '../src/judge/baseline.js';
import { runAndJudge } from '../src/matrix.js';
import { BASELINE_FILE, DRIVERS_DIR } from '../src/paths.js';
import { prepareRun } from '../src/plan/prepare-run.js';
import { writeReports } from '../src/report/write-reports.js';

const SCENARIO_ID = 'bench-fast-poll';

/** The scenario: one task working `sleepMs`, polled with pollInterval 0 until it completes. */
function scenarioYaml(sleepMs: number): string {
  return `id: ${SCENARIO_ID}
title: A task polled as fast as the server allows, for long (memory benchmark)
spec: [getting-tasks]
default: false
timeoutMs: ${sleepMs + 120_000}
server:
  pollInterval: 0
  tools:
    - name: long
      execution: { taskSupport: optional }
      actions:
        - sleep: ${sleepMs}
        - complete: [{ type: text, text: done }]
client:
  steps:
    - callTask: long
      ttl: ${sleepMs + 600_000}
      as: t
    - poll: t
      timeoutMs: ${sleepMs + 60_000}
      expect: { status: completed }
`;
}

/** Message events and all events of a trace, read as a stream (the file may be large), and how long the polling lasted. */
async function countTrace(file: string): Promise<{ messages: number; events: number; pollMs: number }> {
  let messages = 0;
  let events = 0;
  let first: number | undefined;
  let last = 0;
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    events++;
    if (!line.includes('"kind":"message"')) continue;
    messages++;
    if (line.includes('"method":"tasks/get"')) {
      const t = (JSON.parse(line) as { t: number }).t;
      first ??= t;
      last = t;
    }
  }
  return { messages, events, pollMs: first === undefined ? 0 : last - first };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** One cell with the task working `sleepMs`, in this process; RSS sampled every 50 ms. */
async function runOnce(transport: 'stdio' | 'http', sleepMs: number, client: string, server: string) {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-interop-bench-memory-'));
  const scenarios = join(dir, 'scenarios');
  mkdirSync(scenarios);
  writeFileSync(join(scenarios, `${SCENARIO_ID}.yaml`), scenarioYaml(sleepMs));
  const prepared = await prepareRun({
    scenariosDir: scenarios,
    baselineFile: BASELINE_FILE,
    driverDirs: [DRIVERS_DIR],
    filter: { all: true, clients: [{ name: client }], servers: [{ name: server }], transports: [transport] },
  });
  const cell = prepared.cells[0];
  if (!cell) throw new Error(`no cell for ${client}→${server} over ${transport}`);
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  const started = Date.now();
  const verdict = await runAndJudge(cell, join(dir, 'run'));
  // And its reports, as a run writes them at the end (the cell page reads the trace again).
  writeReports(join(dir, 'run'), [applyBaseline(verdict, [])], {
    runId: 'bench-memory',
    command: 'npm run bench:memory',
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    releases: [],
    sdks: [],
    stale: [],
  });
  const ms = Date.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  const traceFile = join(dir, 'run', 'cells', cell.slug, 'trace.jsonl');
  const counts = await countTrace(traceFile);
  const size = statSync(traceFile).size;
  return { dir, cell: cell.id, verdict, ms, peak, counts, size };
}

/** Child mode: calibrate the poll rate, then run the big cell; print one result line. */
async function one(transport: 'stdio' | 'http', target: number, client: string, server: string): Promise<void> {
  // A short cell gives the message rate on this machine now; the big one is sized from it.
  const probe = await runOnce(transport, 3000, client, server);
  rmSync(probe.dir, { recursive: true, force: true });
  const rate = probe.counts.messages / Math.max(1, probe.counts.pollMs); // messages per ms while polling
  let sleepMs = Math.ceil((target / Math.max(rate, 0.01)) * 1.15);
  for (let attempt = 1; ; attempt++) {
    const r = await runOnce(transport, sleepMs, client, server);
    const short = r.counts.messages < target;
    console.log(
      `${transport}: ${r.cell}: ${r.counts.messages} messages (${r.counts.events} trace events, ${mb(r.size)} trace) in ${(r.ms / 1000).toFixed(1)} s; ` +
        `verdict ${r.verdict.status}; harness RSS max ${mb(r.peak)} sampled, ${mb(process.resourceUsage().maxRSS * 1024)} maxRSS`,
    );
    rmSync(r.dir, { recursive: true, force: true });
    if (!short || attempt === 3) break;
    console.log(`${transport}: fewer than ${target} messages (the machine was slower than measured); again with a longer task`);
    sleepMs = Math.ceil(sleepMs * (target / Math.max(1, r.counts.messages)) * 1.15);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '100000' },
      transport: { type: 'string', default: 'stdio,http' },
      client: { type: 'string', default: 'ts' },
      server: { type: 'string', default: 'ts' },
      one: { type: 'string' },
    },
  });
  const target = Number(values.messages);
  if (!Number.isInteger(target) || target < 1) throw new Error(`--messages: expected a positive integer, got ${values.messages}`);
  if (values.one) {
    if (values.one !== 'stdio' && values.one !== 'http') throw new Error(`--one: expected stdio or http, got ${values.one}`);
    await one(values.one, target, values.client, values.server);
    return;
  }
  for (const transport of values.transport.split(',').map((t) => t.trim())) {
    if (transport !== 'stdio' && transport !== 'http') throw new Error(`--transport: expected stdio and/or http, got ${transport}`);
    const child = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        process.argv[1]!,
        '--one',
        transport,
        '--messages',
        String(target),
        '--client',
        values.client,
        '--server',
        values.server,
      ],
      { stdio: 'inherit' },
    );
    if (child.status !== 0) process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(2);
});
