/**
 * The interop matrix as vitest tests: one test per cell (default scenarios × pairings ×
 * transports), judged like `npm start` judges it, against the known-failures baseline. A cell
 * passes when it is pass, known or unsupported; the failure message names what failed and the
 * command that reruns the cell. Reports go to reports/<run-id>/ as for `npm start`.
 *
 * Narrow it with the same filters as the CLI, through the environment:
 *   MCP_INTEROP_SCENARIO=ttl-expiry MCP_INTEROP_CLIENT=py MCP_INTEROP_TRANSPORT=http npm test
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyBaseline, type CellOutcome, loadBaseline } from '../../src/judge/baseline.js';
import { runAndJudge } from '../../src/matrix.js';
import { BASELINE_FILE, REPORTS_DIR, SCENARIOS_DIR } from '../../src/paths.js';
import { loadDrivers } from '../../src/plan/drivers.js';
import { planCells } from '../../src/plan/plan.js';
import { cellLines } from '../../src/report/console.js';
import { newRunId, writeReports } from '../../src/report/write-reports.js';
import { loadScenarios } from '../../src/scenario/load.js';
import type { Transport } from '../../src/vocabulary/driver.js';

const env = (name: string) =>
  process.env[name]
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const scenarios = loadScenarios(SCENARIOS_DIR);
const drivers = loadDrivers();
const baseline = loadBaseline(BASELINE_FILE, { scenarios: scenarios.map((s) => s.id), impls: drivers.map((d) => d.id) });
const cells = planCells(scenarios, drivers, {
  scenarios: env('MCP_INTEROP_SCENARIO'),
  clients: env('MCP_INTEROP_CLIENT'),
  servers: env('MCP_INTEROP_SERVER'),
  transports: env('MCP_INTEROP_TRANSPORT') as Transport[] | undefined,
});
const runDir = join(REPORTS_DIR, newRunId());
const outcomes: CellOutcome[] = [];

describe('interop matrix', () => {
  afterAll(() => {
    if (outcomes.length) writeReports(runDir, outcomes, drivers);
  });

  for (const cell of cells) {
    it.concurrent(cell.id, { timeout: cell.scenario.timeoutMs + 15_000 }, async () => {
      const outcome = applyBaseline(await runAndJudge(cell, runDir), baseline);
      outcomes.push(outcome);
      expect(['pass', 'known', 'unsupported'], cellLines(outcome, outcomes.length - 1, cells.length).join('\n')).toContain(outcome.outcome);
    });
  }
});
