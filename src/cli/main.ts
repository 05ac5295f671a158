#!/usr/bin/env -S node --max-semi-space-size=4
import { resolve } from 'node:path';
/**
 * mcp-interop: runs MCP Tasks scenarios across SDK implementations, releases and transports.
 *   mcp-interop run  [filters]   run the matrix (npm start)
 *   mcp-interop list             scenarios, what they cover, and the implementations
 *   mcp-interop sdks [install]   SDK releases: which exist, which are installed; install ahead of time
 *   mcp-interop validate [paths] scenario files, baselines and driver.json, checked without running
 *   mcp-interop merge <runs...>  one run folder from shard runs (run --shard k/n)
 *   mcp-interop diff | compare | golden   semantic trace diffs, run comparison, golden traces (src/diff)
 *   mcp-interop report <run-dir> [--open]   the HTML report of an existing run folder
 * Node runs it with a 4 MB young generation (`--max-semi-space-size=4`, in the shebang, the npm
 * scripts and action.yml): the default of 16 MB let the garbage of judging a very long trace
 * (100,000 messages) take about 25 MB more memory, for no speed.
 * Exit codes: 0 every cell pass/known/unsupported, 1 a cell failed or a baseline entry is stale,
 * 2 bad input (a scenario, driver.json or known-failures.yaml that does not validate, a bad
 * filter, a release that does not exist, has no tasks or cannot be installed).
 */
import { Command } from 'commander';
import { DRIVERS_DIR, SCENARIOS_DIR } from '../paths.js';
import { loadDrivers } from '../plan/drivers.js';
import { PlanError } from '../plan/plan.js';
import { loadScenarios, ScenarioError } from '../scenario/load.js';
import { ReleaseError } from '../sdks/resolve.js';
import { SPEC_SECTIONS } from '../vocabulary/spec-sections.js';
import { registerDiffCommands } from './diff-commands.js';
import { registerMergeCommand } from './merge-command.js';
import { registerReportCommand } from './report-command.js';
import { registerRunCommand } from './run-command.js';
import { registerSdksCommand } from './sdks-command.js';
import { registerValidateCommand } from './validate-command.js';

const program = new Command('mcp-interop')
  .description('Cross-SDK interoperability harness for MCP Tasks (spec 2025-11-25)')
  .showHelpAfterError()
  // Commander exits 1 on a bad option value or an unknown command; here 1 means "a cell failed",
  // so every usage error exits 2 (bad input), as the other input errors do. Subcommands inherit it.
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

registerRunCommand(program);

program
  .command('list')
  .description('List the scenarios (what each covers) and the implementations')
  .option('--scenarios <dir>', 'scenario folder', SCENARIOS_DIR)
  .action((opts) => {
    const scenarios = loadScenarios(resolve(opts.scenarios));
    for (const s of scenarios) {
      console.log(`${s.id}${s.default ? '' : '  (not in the default run)'}\n  ${s.title}`);
      console.log(`  spec: ${s.spec.map((id) => SPEC_SECTIONS[id]).join('; ')}`);
      if (s.tags.length) console.log(`  tags: ${s.tags.join(', ')}`);
      if (s.clients || s.servers)
        console.log(
          `  only: ${[s.clients && `clients ${s.clients.join(', ')}`, s.servers && `servers ${s.servers.join(', ')}`].filter(Boolean).join('; ')}`,
        );
    }
    console.log('\nImplementations:');
    for (const { manifest } of loadDrivers([DRIVERS_DIR])) {
      const sdk = manifest.sdk ? `${manifest.sdk.package} ${manifest.sdk.pinned} (releases: --${manifest.sdk.id})` : 'no SDK';
      for (const impl of manifest.implementations) {
        const roles = (['client', 'server'] as const).filter((r) => impl[r]);
        const cannot = roles.flatMap((r) => Object.keys(impl[r]!.cannot).map((f) => `${r} ${f}`));
        console.log(
          `  ${impl.id}: ${impl.name} — ${roles.join(' and ')}, ${sdk}${impl.optIn ? ', opt-in' : ''}${cannot.length ? ` (cannot: ${cannot.join(', ')})` : ''}`,
        );
      }
    }
  });

registerSdksCommand(program);
registerValidateCommand(program);
registerMergeCommand(program);
registerDiffCommands(program);
registerReportCommand(program);

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ScenarioError || err instanceof PlanError || err instanceof ReleaseError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
