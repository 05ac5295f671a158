/** `mcp-interop run` (npm start): plan, install what the releases need, run the matrix, report. */

import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { isFailing } from '../judge/baseline.js';
import { runMatrix } from '../matrix.js';
import { BASELINE_FILE, DRIVERS_DIR, REPORTS_DIR, SCENARIOS_DIR } from '../paths.js';
import { type ImplRef, PlanError } from '../plan/plan.js';
import { prepareRun } from '../plan/prepare-run.js';
import { cellLines, summaryLines } from '../report/console.js';
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
}

/** The release axis as asked: --ts, --py, and --release <sdk>=… for other SDKs. */
function releasesFrom(opts: RunOptions): Map<string, ReleaseSpec[]> {
  const asked = new Map(opts.release ?? []);
  if (opts.ts) asked.set('ts', opts.ts);
  if (opts.py) asked.set('py', opts.py);
  return asked;
}

const say = (line: string) => console.log(`sdks: ${line}`);

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
    .option('-j, --concurrency <n>', 'cells run at the same time', positiveInt, 2)
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
      const { cells, baseline, releases } = prepared;
      if (!cells.length) throw new PlanError('no cell matches these filters (see `mcp-interop list`)');
      const runId = newRunId();
      const runDir = join(resolve(opts.reports), runId);
      const nScenarios = new Set(cells.map((c) => c.scenario.id)).size;
      const nPairings = new Set(cells.map((c) => `${c.client.label}→${c.server.label}`)).size;
      const nTransports = new Set(cells.map((c) => c.transport)).size;
      const meta = releasesMeta(releases);
      console.log(
        `mcp-interop: ${nScenarios} scenario(s) × ${nPairings} pairing(s) × ${nTransports} transport(s) = ${cells.length} cells, ${opts.concurrency} at a time`,
      );
      console.log(`SDKs: ${meta.sdks.join('; ')}\n`);
      let finished = 0;
      const { outcomes, stale } = await runMatrix(cells, {
        runDir,
        baseline,
        concurrency: opts.concurrency,
        cellOptions: () => (opts.timeout ? { timeoutMs: opts.timeout } : {}),
        // Numbered in finishing order: with several cells at a time that is what progress means.
        onCellDone: (o) => console.log(cellLines(o, finished++, cells.length).join('\n')),
      });
      const command = ['mcp-interop', ...process.argv.slice(2)].join(' ');
      writeReports(runDir, outcomes, { runId, command, startedAt, durationMs: Date.now() - started, ...meta, stale });
      console.log(summaryLines(outcomes, runDir, { stale }).join('\n'));
      process.exitCode = outcomes.some((o) => isFailing(o.outcome)) ? 1 : 0;
    });
}
