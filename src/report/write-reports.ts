/** Stage 5: writes a run's reports under reports/<run-id>/ and points reports/latest at it. */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CellOutcome } from '../judge/baseline.js';
import type { DriverManifest } from '../vocabulary/driver.js';
import { junitXml } from './junit.js';
import { summaryMarkdown } from './summary-md.js';

export function newRunId(now = new Date()): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

export function writeReports(runDir: string, outcomes: CellOutcome[], drivers: DriverManifest[]): void {
  mkdirSync(runDir, { recursive: true });
  const runId = basename(runDir);
  const sdks = drivers.map((d) => `${d.id}: ${d.sdk.package} ${d.sdk.version}`);
  writeFileSync(join(runDir, 'run.json'), JSON.stringify({ runId, sdks, outcomes }, null, 2));
  writeFileSync(join(runDir, 'junit.xml'), junitXml(outcomes, runDir));
  writeFileSync(join(runDir, 'summary.md'), summaryMarkdown(outcomes, { runId, sdks }));
  // A stable path for CI artifacts and humans: reports/latest → the newest run.
  const latest = join(dirname(runDir), 'latest');
  try {
    rmSync(latest, { force: true });
    symlinkSync(runId, latest);
  } catch {
    /* not fatal: the run directory itself is complete */
  }
}
