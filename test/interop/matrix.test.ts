/**
 * The interop matrix as vitest tests: one test per cell (default scenarios × implementations ×
 * transports), judged like `npm start` judges it, against the known-failures baseline. A cell
 * passes when it is pass, known or unsupported; the failure message names what failed and the
 * command that reruns the cell. A last test fails on baseline entries that went stale in the run.
 * Reports go to reports/<run-id>/ as for `npm start`.
 *
 * Narrow it with the same filters as the CLI, through the environment:
 *   MCP_INTEROP_SCENARIO=ttl-expiry MCP_INTEROP_CLIENT=py MCP_INTEROP_TRANSPORT=http npm test
 *   MCP_INTEROP_TS=1.29.0 MCP_INTEROP_PY=1.27.2,latest npm test      (SDK releases)
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyBaseline, type CellOutcome, type StaleEntry, settleBaseline } from '../../src/judge/baseline.js';
import { runAndJudge } from '../../src/matrix.js';
import { BASELINE_FILE, DRIVERS_DIR, REPORTS_DIR, SCENARIOS_DIR } from '../../src/paths.js';
import { prepareRun } from '../../src/plan/prepare-run.js';
import { cellLines } from '../../src/report/console.js';
import { releasesMeta } from '../../src/report/run-meta.js';
import { newRunId, writeReports } from '../../src/report/write-reports.js';
import { parseImplRef, parseReleaseList, type ReleaseSpec } from '../../src/sdks/release-spec.js';
import type { Transport } from '../../src/vocabulary/driver.js';

const env = (name: string) =>
  process.env[name]
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const releases = new Map<string, ReleaseSpec[]>();
if (process.env.MCP_INTEROP_TS) releases.set('ts', parseReleaseList(process.env.MCP_INTEROP_TS));
if (process.env.MCP_INTEROP_PY) releases.set('py', parseReleaseList(process.env.MCP_INTEROP_PY));

const started = Date.now();
const prepared = await prepareRun({
  scenariosDir: SCENARIOS_DIR,
  baselineFile: BASELINE_FILE,
  driverDirs: [DRIVERS_DIR],
  releases,
  filter: {
    scenarios: env('MCP_INTEROP_SCENARIO'),
    clients: env('MCP_INTEROP_CLIENT')?.map(parseImplRef),
    servers: env('MCP_INTEROP_SERVER')?.map(parseImplRef),
    transports: env('MCP_INTEROP_TRANSPORT') as Transport[] | undefined,
  },
  say: (line) => console.log(`sdks: ${line}`),
});
const { cells, baseline } = prepared;
const runId = newRunId();
const runDir = join(REPORTS_DIR, runId);
const outcomes: CellOutcome[] = [];
let stale: StaleEntry[] = [];

describe('interop matrix', () => {
  afterAll(() => {
    if (!outcomes.length) return;
    const meta = {
      runId,
      command: 'npm test (test/interop/matrix.test.ts)',
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
    };
    writeReports(runDir, outcomes, { ...meta, ...releasesMeta(prepared.releases), stale });
  });

  for (const cell of cells) {
    it.concurrent(cell.id, { timeout: cell.scenario.timeoutMs + 15_000 }, async () => {
      const outcome = applyBaseline(await runAndJudge(cell, runDir), baseline);
      outcomes.push(outcome);
      expect(['pass', 'known', 'unsupported'], cellLines(outcome, outcomes.length - 1, cells.length).join('\n')).toContain(outcome.outcome);
    });
  }

  // Runs after every cell above (vitest awaits a run of concurrent tests before the next plain one).
  it('no baseline entry went stale: each still fails in some cell it covers', () => {
    expect(outcomes).toHaveLength(cells.length);
    stale = settleBaseline(outcomes, baseline);
    const lines = stale.map(
      (s) => `${[s.entry.failure].flat().join(', ')} (${s.entry.reason.slice(0, 80)}…): none of ${s.cells.length} cells failed it`,
    );
    expect(lines, 'stale entries in known-failures.yaml: the SDK was fixed, remove or narrow them').toEqual([]);
  });
});
