#!/usr/bin/env node
import { join, resolve } from 'node:path';
/**
 * mcp-interop: runs MCP Tasks scenarios across SDK pairings and transports.
 *   mcp-interop run  [filters]   run the matrix (npm start)
 *   mcp-interop list             scenarios, what they cover, and the drivers
 * Exit codes: 0 every cell pass/known/unsupported, 1 a cell failed or a baseline entry is stale,
 * 2 bad input (a scenario, driver.json or known-failures.yaml that does not validate, a bad filter).
 */
import { Command, InvalidArgumentError } from 'commander';
import { isFailing, loadBaseline } from '../judge/baseline.js';
import { runMatrix } from '../matrix.js';
import { BASELINE_FILE, REPORTS_DIR, SCENARIOS_DIR } from '../paths.js';
import { loadDrivers } from '../plan/drivers.js';
import { PlanError, planCells } from '../plan/plan.js';
import { cellLines, summaryLines } from '../report/console.js';
import { newRunId, writeReports } from '../report/write-reports.js';
import { loadScenarios, ScenarioError } from '../scenario/load.js';
import type { Transport } from '../vocabulary/driver.js';
import { SPEC_SECTIONS } from '../vocabulary/spec-sections.js';

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};
const transports = (value: string): Transport[] => {
  const ts = list(value);
  for (const t of ts) if (t !== 'stdio' && t !== 'http') throw new InvalidArgumentError(`expected stdio and/or http, got "${t}"`);
  return ts as Transport[];
};

const program = new Command('mcp-interop')
  .description('Cross-SDK interoperability harness for MCP Tasks (spec 2025-11-25)')
  .showHelpAfterError();

program
  .command('run')
  .description('Run scenarios in every client→server pairing and transport; write reports under reports/<run-id>/')
  .option('-s, --scenario <ids>', 'only these scenarios (comma-separated ids)', list)
  .option('-c, --client <impls>', 'only these client implementations, e.g. ts,py', list)
  .option('-S, --server <impls>', 'only these server implementations, e.g. py', list)
  .option('-t, --transport <list>', 'only these transports: stdio, http', transports)
  .option('--tag <tags>', 'only scenarios with one of these tags', list)
  .option('--all', 'include scenarios that are not part of the default run')
  .option('-j, --concurrency <n>', 'cells run at the same time', positiveInt, 2)
  .option('--timeout <ms>', "override every scenario's cell timeout", positiveInt)
  .option('--scenarios <dir>', 'scenario folder', SCENARIOS_DIR)
  .option('--baseline <file>', 'known-failures baseline', BASELINE_FILE)
  .option('--reports <dir>', 'where run folders are written', REPORTS_DIR)
  .action(async (opts) => {
    const scenarios = loadScenarios(resolve(opts.scenarios));
    const drivers = loadDrivers();
    // The baseline names the project's scenarios; a run of another folder (scratch scenarios)
    // must still accept it.
    const baselineScenarios = new Set(scenarios.map((s) => s.id));
    if (resolve(opts.scenarios) !== SCENARIOS_DIR) for (const s of loadScenarios(SCENARIOS_DIR)) baselineScenarios.add(s.id);
    const baseline = loadBaseline(resolve(opts.baseline), { scenarios: [...baselineScenarios], impls: drivers.map((d) => d.id) });
    const cells = planCells(scenarios, drivers, {
      scenarios: opts.scenario,
      clients: opts.client,
      servers: opts.server,
      transports: opts.transport,
      tags: opts.tag,
      all: opts.all,
    });
    if (!cells.length) throw new PlanError('no cell matches these filters (see `mcp-interop list`)');
    const runDir = join(resolve(opts.reports), newRunId());
    const nScenarios = new Set(cells.map((c) => c.scenario.id)).size;
    const nPairings = new Set(cells.map((c) => `${c.client.id}→${c.server.id}`)).size;
    const nTransports = new Set(cells.map((c) => c.transport)).size;
    console.log(
      `mcp-interop: ${nScenarios} scenario(s) × ${nPairings} pairing(s) × ${nTransports} transport(s) = ${cells.length} cells, ${opts.concurrency} at a time`,
    );
    console.log(`SDKs: ${drivers.map((d) => `${d.id} = ${d.sdk.package} ${d.sdk.version}`).join(', ')}\n`);
    let finished = 0;
    const outcomes = await runMatrix(cells, {
      runDir,
      baseline,
      concurrency: opts.concurrency,
      cellOptions: () => (opts.timeout ? { timeoutMs: opts.timeout } : {}),
      // Numbered in finishing order: with several cells at a time that is what progress means.
      onCellDone: (o) => console.log(cellLines(o, finished++, cells.length).join('\n')),
    });
    writeReports(runDir, outcomes, drivers);
    console.log(summaryLines(outcomes, runDir).join('\n'));
    process.exitCode = outcomes.some((o) => isFailing(o.outcome)) ? 1 : 0;
  });

program
  .command('list')
  .description('List the scenarios (what each covers) and the drivers')
  .option('--scenarios <dir>', 'scenario folder', SCENARIOS_DIR)
  .action((opts) => {
    const scenarios = loadScenarios(resolve(opts.scenarios));
    for (const s of scenarios) {
      console.log(`${s.id}${s.default ? '' : '  (not in the default run)'}\n  ${s.title}`);
      console.log(`  spec: ${s.spec.map((id) => SPEC_SECTIONS[id]).join('; ')}`);
      if (s.tags.length) console.log(`  tags: ${s.tags.join(', ')}`);
    }
    console.log('\nDrivers:');
    for (const d of loadDrivers()) {
      const cannot = [...Object.keys(d.server.cannot).map((f) => `server ${f}`), ...Object.keys(d.client.cannot).map((f) => `client ${f}`)];
      console.log(`  ${d.id}: ${d.name}, ${d.sdk.package} ${d.sdk.version}${cannot.length ? ` (cannot: ${cannot.join(', ')})` : ''}`);
    }
  });

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ScenarioError || err instanceof PlanError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
