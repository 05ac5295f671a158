/** `mcp-interop run` (npm start): plan, install what the releases need, run the matrix, report. */

import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { isFailing } from '../judge/baseline.js';
import { DEFAULT_CONCURRENCY, runMatrix } from '../matrix.js';
import { BASELINE_FILE, DRIVERS_DIR, REPORTS_DIR, SCENARIOS_DIR } from '../paths.js';
import { type ImplRef, PlanError } from '../plan/plan.js';
import { prepareRun } from '../plan/prepare-run.js';
import { parseShard, type Shard, ShardError, shardCells } from '../plan/shard.js';
import { allOf, makeReporters, REPORTER_NAMES, type ReporterName } from '../report/reporters/index.js';
import { releasesMeta } from '../report/run-meta.js';
import { newRunId, writeReports } from '../report/write-reports.js';
import type { ReleaseSpec } from '../sdks/release-spec.js';
import type { Transport } from '../vocabulary/driver.js';
import { implRefs, list, positiveInt, releaseAssignment, releaseList, transports } from './options.js';

interface RunOptions {
  scenario?: string[];
  client?: ImplRef[];
  server?: ImplRef[];
  transport?: Transport[];
  tag?: string[];
  all?: boolean;
  concurrency: number;
  timeout?: number;
  scenarios: string;
  baseline: string;
  reports: string;
  drivers: string[];
  ts?: ReleaseSpec[];
  py?: ReleaseSpec[];
  release?: Map<string, ReleaseSpec[]>;
  shard?: Shard;
  reporter: ReporterName[];
}

/** The release axis as asked: --ts, --py, and --release <sdk>=… for other SDKs. */
function releasesFrom(opts: RunOptions): Map<string, ReleaseSpec[]> {
  const asked = new Map(opts.release ?? []);
  if (opts.ts) asked.set('ts', opts.ts);
  if (opts.py) asked.set('py', opts.py);
  return asked;
}

const reporterList = (value: string): ReporterName[] => {
  const names = list(value);
  for (const n of names) {
    if (!(REPORTER_NAMES as readonly string[]).includes(n))
      throw new InvalidArgumentError(`expected ${REPORTER_NAMES.join(', ')}, got "${n}"`);
  }
  return names as ReporterName[];
};

const shardOption = (value: string): Shard => {
  try {
    return parseShard(value);
  } catch (err) {
    if (err instanceof ShardError) throw new InvalidArgumentError(err.message);
    throw err;
  }
};

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('Run scenarios in every client→server pairing and transport; write reports under reports/<run-id>/')
    .option('-s, --scenario <ids>', 'only these scenarios (comma-separated ids)', list)
    .option('-c, --client <impls>', 'only these client implementations: names or name@version, e.g. ts,py or ts@1.29.0', implRefs)
    .option('-S, --server <impls>', 'only these server implementations, e.g. py or ts-mcp@1.28.0', implRefs)
    .option('-t, --transport <list>', 'only these transports: stdio, http', transports)
    .option(
      '--ts <releases>',
      'TypeScript SDK releases: versions, latest, all, pinned, or a local build (package folder or .tgz)',
      releaseList,
    )
    .option('--py <releases>', 'Python SDK releases: versions, latest, all, pinned, or a local build (.whl or sdist)', releaseList)
    .option('--release <sdk=releases>', 'releases of any SDK by its driver.json sdk.id (repeatable)', releaseAssignment)
    .option('--tag <tags>', 'only scenarios with one of these tags', list)
    .option('--all', 'include scenarios that are not part of the default run')
    .option(
      '--shard <k/n>',
      'run only the k-th of n stable, balanced shares of the cells (merge the runs with `mcp-interop merge`)',
      shardOption,
    )
    .option('--reporter <names>', `console output: ${REPORTER_NAMES.join(', ')} (comma-separated)`, reporterList, [
      'line',
    ] as ReporterName[])
    .option('-j, --concurrency <n>', 'cells run at the same time', positiveInt, DEFAULT_CONCURRENCY)
    .option('--timeout <ms>', "override every scenario's cell timeout", positiveInt)
    .option('--scenarios <dir>', 'scenario folder', SCENARIOS_DIR)
    .option('--baseline <file>', 'known-failures baseline', BASELINE_FILE)
    .option(
      '--drivers <dirs>',
      "extra driver folders (comma-separated) beside the project's, each holding <name>/driver.json",
      (v) => [DRIVERS_DIR, ...list(v).map((d) => resolve(d))],
      [DRIVERS_DIR],
    )
    .option('--reports <dir>', 'where run folders are written', REPORTS_DIR)
    .action(async (opts: RunOptions) => {
      const started = Date.now();
      const startedAt = new Date().toISOString();
      const reporter = allOf(makeReporters(opts.reporter));
      const say = (line: string) => (opts.reporter.includes('json') ? process.stderr : process.stdout).write(`sdks: ${line}\n`);
      const prepared = await prepareRun({
        scenariosDir: opts.scenarios,
        baselineFile: opts.baseline,
        driverDirs: opts.drivers,
        releases: releasesFrom(opts),
        filter: {
          scenarios: opts.scenario,
          clients: opts.client,
          servers: opts.server,
          transports: opts.transport,
          tags: opts.tag,
          all: opts.all,
        },
        say,
      });
      const { baseline, releases } = prepared;
      const cells = opts.shard ? shardCells(prepared.cells, opts.shard) : prepared.cells;
      if (!prepared.cells.length) throw new PlanError('no cell matches these filters (see `mcp-interop list`)');
      const runId = newRunId();
      const runDir = join(resolve(opts.reports), runId);
      const meta = releasesMeta(releases);
      reporter.start({ cells, concurrency: opts.concurrency, sdks: meta.sdks, scenarioFiles: prepared.scenarioFiles });
      let finished = 0;
      const { outcomes, stale } = await runMatrix(cells, {
        runDir,
        baseline,
        concurrency: opts.concurrency,
        cellOptions: () => (opts.timeout ? { timeoutMs: opts.timeout } : {}),
        // Numbered in finishing order: with several cells at a time that is what progress means.
        onCellDone: (o) => reporter.cell(o, finished++, cells.length),
        settle: !opts.shard,
      });
      const command = ['mcp-interop', ...process.argv.slice(2)].join(' ');
      const runMeta = {
        runId,
        command,
        startedAt,
        durationMs: Date.now() - started,
        ...meta,
        stale,
        ...(opts.shard ? { shard: opts.shard } : {}),
      };
      writeReports(runDir, outcomes, runMeta);
      reporter.end(outcomes, runMeta, runDir);
      process.exitCode = outcomes.some((o) => isFailing(o.outcome)) ? 1 : 0;
    });
}
