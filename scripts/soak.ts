/**
 * Soak: runs the matrix several times and reports every cell whose result is not the same in
 * every run (its outcome, or its set of failure ids), with the runs that differ. After each run it
 * checks that nothing was left behind: no process of the run, no port its servers listened on,
 * no socket of the harness, no file in the run's TMPDIR; and it samples the harness's RSS. It prints
 * figures; it retries nothing. With --goldens it also checks each run's wire against golden
 * traces (`golden check`), saving them from the first run when the folder has none: the diff's
 * noise floor. Exit 1 when a cell differs between runs or from its golden, or something was left.
 *
 *   npm run soak -- --runs 20 --concurrency 4 [--scenario ids] [--client ts] [--server py]
 *                   [--transport http] [--tag cancel] [--all] [--scenarios dir] [--baseline file]
 *                   [--reports dir] [--timeout ms] [--goldens dir]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Command } from 'commander';
import { implRefs, list, positiveInt, transports } from '../src/cli/options.js';
import { firstDivergence } from '../src/diff/format.js';
import { checkGoldens, listGoldens, saveGoldens } from '../src/diff/golden.js';
import { readRun } from '../src/diff/run-file.js';
import type { CellOutcome } from '../src/judge/baseline.js';
import { runMatrix } from '../src/matrix.js';
import { BASELINE_FILE, DRIVERS_DIR, REPORTS_DIR, SCENARIOS_DIR } from '../src/paths.js';
import type { ImplRef } from '../src/plan/plan.js';
import { prepareRun } from '../src/plan/prepare-run.js';
import { clientBundle } from '../src/report/html/assets.js';
import { releasesMeta } from '../src/report/run-meta.js';
import { writeReports } from '../src/report/write-reports.js';
import type { Transport } from '../src/vocabulary/driver.js';
import { READY_PREFIX } from '../src/vocabulary/driver.js';

interface Options {
  runs: number;
  concurrency: number;
  scenario?: string[];
  client?: ImplRef[];
  server?: ImplRef[];
  transport?: Transport[];
  tag?: string[];
  all?: boolean;
  scenarios: string;
  baseline: string;
  reports: string;
  timeout?: number;
  goldens?: string;
}

/** What is compared across runs: the outcome and the failure ids. */
function signature(o: CellOutcome): string {
  const ids = [...new Set(o.verdict.failures.map((f) => f.id))].sort();
  return ids.length ? `${o.outcome} [${ids.join(', ')}]` : o.outcome;
}

interface Leftovers {
  processes: string[];
  ports: number[];
  sockets: number;
  tempFiles: string[];
}

/** Processes whose command line names the run folder (every driver and tap of the run does). */
function processesOf(runDir: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes(runDir))
    .map((l) => l.trim().slice(0, 160));
}

/** Ports the run's HTTP servers announced in their ready lines. */
function serverPorts(runDir: string): number[] {
  const cells = join(runDir, 'cells');
  if (!existsSync(cells)) return [];
  const ports: number[] = [];
  for (const cell of readdirSync(cells)) {
    const log = join(cells, cell, 'server.stdout.log');
    if (!existsSync(log)) continue;
    for (const line of readFileSync(log, 'utf8').split('\n')) {
      if (!line.startsWith(READY_PREFIX)) continue;
      const port = Number(new URL(line.slice(READY_PREFIX.length).trim()).port);
      if (port && !ports.includes(port)) ports.push(port);
    }
  }
  return ports;
}

/** Whether something accepts connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.setTimeout(500, () => {
      s.destroy();
      done(false);
    });
    s.once('connect', () => {
      s.destroy();
      done(true);
    });
    s.once('error', () => done(false));
  });
}

/** Sockets the harness process holds (its proxies' listeners and connections). */
function socketCount(): number {
  try {
    return readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:');
      } catch {
        return false; // closed meanwhile
      }
    }).length;
  } catch {
    return 0; // no /proc: not counted
  }
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name));
}

async function leftovers(runDir: string, tmp: string, socketsBefore: number): Promise<Leftovers> {
  const ports: number[] = [];
  for (const port of serverPorts(runDir)) if (await listening(port)) ports.push(port);
  return {
    processes: processesOf(runDir),
    ports,
    sockets: Math.max(0, socketCount() - socketsBefore),
    tempFiles: filesUnder(tmp),
  };
}

function describeLeftovers(l: Leftovers): string {
  const parts = [
    l.processes.length ? `${l.processes.length} process(es)` : '',
    l.ports.length ? `port(s) ${l.ports.join(', ')} still listening` : '',
    l.sockets ? `${l.sockets} harness socket(s)` : '',
    l.tempFiles.length ? `${l.tempFiles.length} temp file(s)` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'none';
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** `1, 2, 4–7` */
function ranges(runs: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < runs.length; i++) {
    let j = i;
    while (j + 1 < runs.length && runs[j + 1] === runs[j]! + 1) j++;
    out.push(j > i ? `${runs[i]}–${runs[j]}` : `${runs[i]}`);
    i = j;
  }
  return out.join(', ');
}

async function main(opts: Options): Promise<number> {
  const prepared = await prepareRun({
    scenariosDir: opts.scenarios,
    baselineFile: opts.baseline,
    driverDirs: [DRIVERS_DIR],
    filter: {
      scenarios: opts.scenario,
      clients: opts.client,
      servers: opts.server,
      transports: opts.transport,
      tags: opts.tag,
      all: opts.all,
    },
    say: (line) => console.log(`sdks: ${line}`),
  });
  const { cells, baseline } = prepared;
  if (!cells.length) throw new Error('no cell matches these filters (see `mcp-interop list`)');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const soakDir = join(resolve(opts.reports), `soak-${stamp}`);
  mkdirSync(soakDir, { recursive: true });
  // Every driver inherits TMPDIR: a file left in it after a run is a leftover of that run.
  const tmpRoot = mkdtempSync(join(tmpdir(), 'mcp-interop-soak-'));
  const runnable = cells.filter((c) => !c.unsupported).length;
  console.log(
    `soak: ${opts.runs} run(s) × ${cells.length} cells (${runnable} run, ${cells.length - runnable} unsupported), concurrency ${opts.concurrency}`,
  );
  console.log(`runs under ${soakDir}\n`);

  // The HTML report bundles its script with esbuild, whose build service then stays up (two
  // sockets of this process): start it now, so that it is counted before the first run.
  clientBundle();
  const byCell = new Map<string, { id: string; sigs: string[] }>();
  const started = Date.now();
  let maxRss = 0;
  let dirty = 0;
  const goldensDir = opts.goldens ? resolve(opts.goldens) : undefined;
  const golden = { checks: 0, same: 0, racy: 0, different: [] as string[] };
  for (let run = 1; run <= opts.runs; run++) {
    const runDir = join(soakDir, `run-${String(run).padStart(2, '0')}`);
    const tmp = join(tmpRoot, `run-${run}`);
    mkdirSync(tmp, { recursive: true });
    process.env.TMPDIR = tmp;
    const socketsBefore = socketCount();
    let runRss = process.memoryUsage.rss();
    const sampler = setInterval(() => (runRss = Math.max(runRss, process.memoryUsage.rss())), 200);
    const t0 = Date.now();
    const { outcomes } = await runMatrix(cells, {
      runDir,
      baseline,
      concurrency: opts.concurrency,
      cellOptions: () => (opts.timeout ? { timeoutMs: opts.timeout } : {}),
      settle: false, // staleness is not what a soak measures
    });
    clearInterval(sampler);
    const wall = Date.now() - t0;
    // Each run keeps its reports (run.json, summary.md, junit.xml, index.html): a differing run can
    // be read, diffed (`mcp-interop diff`, `golden check --run`) and compared like any other.
    writeReports(
      runDir,
      outcomes,
      {
        runId: basename(runDir),
        command: `npm run soak (run ${run} of ${opts.runs})`,
        startedAt: new Date(t0).toISOString(),
        durationMs: wall,
        ...releasesMeta(prepared.releases),
        stale: [],
      },
      { latest: false },
    );
    maxRss = Math.max(maxRss, runRss);
    const left = await leftovers(runDir, tmp, socketsBefore);
    const leftText = describeLeftovers(left);
    if (leftText !== 'none') dirty++;
    const counts = new Map<string, number>();
    for (const o of outcomes) {
      counts.set(o.outcome, (counts.get(o.outcome) ?? 0) + 1);
      const entry = byCell.get(o.verdict.cell.slug) ?? { id: o.verdict.cell.id, sigs: [] };
      entry.sigs[run - 1] = signature(o);
      byCell.set(o.verdict.cell.slug, entry);
    }
    const countText = ['pass', 'known', 'fail', 'stale', 'unsupported']
      .filter((k) => counts.get(k))
      .map((k) => `${k} ${counts.get(k)}`)
      .join(', ');
    console.log(
      `run ${String(run).padStart(2)}/${opts.runs}: ${countText}; ${secs(wall)}; harness RSS max ${mb(runRss)}; left behind: ${leftText}`,
    );
    if (goldensDir) goldenStep(goldensDir, runDir, run, golden);
    for (const p of left.processes) console.log(`    process: ${p}`);
    for (const f of left.tempFiles.slice(0, 10)) console.log(`    temp file: ${f}`);
    rmSync(tmp, { recursive: true, force: true });
  }
  delete process.env.TMPDIR;
  rmSync(tmpRoot, { recursive: true, force: true });

  const unstable = [...byCell.values()].filter((c) => new Set(c.sigs).size > 1);
  console.log(`\nCells not identical in every run: ${unstable.length}`);
  for (const c of unstable) {
    console.log(`  ${c.id}`);
    const groups = new Map<string, number[]>();
    for (const [i, sig] of c.sigs.entries()) groups.set(sig, [...(groups.get(sig) ?? []), i + 1]);
    for (const [sig, runs] of groups) console.log(`    run${runs.length > 1 ? 's' : ''} ${ranges(runs)}: ${sig}`);
  }
  // Not flaky but failing: the same unexpected failures every time (a regression or a missing baseline entry).
  const failing = [...byCell.values()].filter((c) => new Set(c.sigs).size === 1 && c.sigs[0]!.startsWith('fail'));
  if (failing.length) {
    console.log(`\nCells failing the same way in every run: ${failing.length}`);
    for (const c of failing) console.log(`  ${c.id}: ${c.sigs[0]}`);
  }
  if (goldensDir) {
    console.log(
      `\nGolden checks: ${golden.checks} over the runs checked, ${golden.same} same (${golden.racy} of them racy cells matching a saved manifestation), ${golden.different.length} different`,
    );
    for (const d of golden.different) console.log(`  ${d}`);
  }
  const maxRssKb = process.resourceUsage().maxRSS;
  console.log(
    `\nWall time ${secs(Date.now() - started)}; ${opts.runs} run(s) × ${cells.length} cells; harness max RSS ${mb(Math.max(maxRss, maxRssKb * 1024))}; runs with leftovers: ${dirty}`,
  );
  return unstable.length || dirty || golden.different.length ? 1 : 0;
}

/** Saves goldens from the first run when the folder has none; otherwise checks the run against them. */
function goldenStep(dir: string, runDir: string, run: number, totals: { checks: number; same: number; racy: number; different: string[] }) {
  if (run === 1 && listGoldens(dir).length === 0) {
    const { saved } = saveGoldens(readRun(runDir), dir);
    console.log(`    goldens: saved ${saved.length} from this run into ${dir}`);
    return;
  }
  const report = checkGoldens(readRun(runDir), dir);
  const checked = report.cells.filter((c) => c.status !== 'no-golden');
  const same = checked.filter((c) => c.status === 'same');
  totals.checks += checked.length;
  totals.same += same.length;
  totals.racy += same.filter((c) => c.variants).length;
  const different = checked.filter((c) => c.status === 'different');
  for (const c of different)
    totals.different.push(`run ${run}: ${c.cell.id}: ${(c.result && firstDivergence(c.result, { a: 'golden', b: 'run' })) ?? c.reason}`);
  console.log(
    `    goldens: ${same.length} same, ${different.length} different${different.length ? `: ${different.map((c) => c.cell.slug).join(', ')}` : ''}`,
  );
}

const program = new Command('soak')
  .description('Run the matrix several times; report cells whose outcome or failures differ between runs, and leftovers')
  .option('--runs <n>', 'how many times to run the matrix', positiveInt, 20)
  .option('-j, --concurrency <n>', 'cells run at the same time', positiveInt, 4)
  .option('-s, --scenario <ids>', 'only these scenarios (comma-separated ids)', list)
  .option('-c, --client <impls>', 'only these client implementations', implRefs)
  .option('-S, --server <impls>', 'only these server implementations', implRefs)
  .option('-t, --transport <list>', 'only these transports: stdio, http', transports)
  .option('--tag <tags>', 'only scenarios with one of these tags', list)
  .option('--all', 'include scenarios that are not part of the default run')
  .option('--timeout <ms>', "override every scenario's cell timeout", positiveInt)
  .option('--scenarios <dir>', 'scenario folder', SCENARIOS_DIR)
  .option('--baseline <file>', 'known-failures baseline', BASELINE_FILE)
  .option('--reports <dir>', 'where the soak folder (one run folder per run) is written', REPORTS_DIR)
  .option('--goldens <dir>', 'check each run against the golden traces there (saved from the first run when it has none)')
  .action(async (opts: Options) => {
    process.exitCode = await main(opts);
  });

program.parseAsync().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(2);
});
