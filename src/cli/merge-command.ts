/** `mcp-interop merge <run-dirs...>`: one run folder from shard runs, judged and reported as one run. */

import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { isFailing, loadBaseline } from '../judge/baseline.js';
import { BASELINE_FILE, DRIVERS_DIR, REPORTS_DIR, SCENARIOS_DIR } from '../paths.js';
import { loadDrivers } from '../plan/drivers.js';
import { PlanError } from '../plan/plan.js';
import { summaryLines } from '../report/console.js';
import { MergeError, mergeRuns, readRun } from '../report/merge-runs.js';
import { newRunId, writeReports } from '../report/write-reports.js';
import { loadScenarios } from '../scenario/load.js';
import { list } from './options.js';

export function registerMergeCommand(program: Command): void {
  program
    .command('merge')
    .description('Merge shard runs (run --shard k/n) into one run folder with one run.json, junit.xml, summary.md and index.html')
    .argument('<run-dirs...>', 'the shard run folders')
    .option('--out <dir>', 'the merged run folder (default: a new folder under reports/)')
    .option('--baseline <file>', 'known-failures baseline to judge the merged run with', BASELINE_FILE)
    .option(
      '--drivers <dirs>',
      "extra driver folders (comma-separated) the runs used, beside the project's",
      (v) => [DRIVERS_DIR, ...list(v).map((d) => resolve(d))],
      [DRIVERS_DIR],
    )
    .action((dirs: string[], opts: { out?: string; baseline: string; drivers: string[] }) => {
      const runDirs = dirs.map((d) => resolve(d));
      if (!runDirs.length) throw new PlanError('merge: name at least one run folder');
      const runId = newRunId();
      const outDir = resolve(opts.out ?? join(REPORTS_DIR, runId));
      // The baseline may name the project's scenarios and those of the runs.
      const scenarios = new Set(loadScenarios(SCENARIOS_DIR).map((s) => s.id));
      for (const d of runDirs) {
        try {
          for (const o of readRun(d).outcomes) scenarios.add(o.verdict.cell.scenario);
        } catch (err) {
          if (err instanceof MergeError) throw new PlanError(err.message);
          throw err;
        }
      }
      const impls = loadDrivers(opts.drivers).flatMap((d) => d.manifest.implementations.map((i) => i.id));
      const baseline = loadBaseline(resolve(opts.baseline), { scenarios: [...scenarios], impls });
      let merged: ReturnType<typeof mergeRuns>;
      try {
        merged = mergeRuns(runDirs, outDir, baseline);
      } catch (err) {
        if (err instanceof MergeError) throw new PlanError(err.message);
        throw err;
      }
      const command = ['mcp-interop', ...process.argv.slice(2)].join(' ');
      writeReports(
        outDir,
        merged.outcomes,
        { runId: outDir.split(/[\\/]/).pop() ?? runId, command, ...merged.meta },
        { latest: opts.out === undefined },
      );
      console.log(`merged ${runDirs.length} run(s), ${merged.outcomes.length} cells, into ${outDir}`);
      console.log(summaryLines(merged.outcomes, outDir, merged.meta).join('\n'));
      process.exitCode = merged.outcomes.some((o) => isFailing(o.outcome)) ? 1 : 0;
    });
}
