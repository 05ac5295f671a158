/** Stage 5: writes a run's reports under reports/<run-id>/ and points reports/latest at it. */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CellOutcome } from '../judge/baseline.js';
import { writeHtmlReport } from './html/write-html.js';
import { junitXml } from './junit.js';
import type { RunMeta } from './run-meta.js';
import { summaryMarkdown } from './summary-md.js';

/** run.json's format version: readers (diff, compare, merge, the HTML report) check it. */
export const RUN_FORMAT = 2;

export function newRunId(now = new Date()): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

/** `latest: false` leaves reports/latest alone (a merge into a folder of the user's choosing). */
export function writeReports(runDir: string, outcomes: CellOutcome[], meta: RunMeta, opts: { latest?: boolean } = {}): void {
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, 'run.json'), JSON.stringify({ format: RUN_FORMAT, ...meta, outcomes }, null, 2));
  writeFileSync(join(runDir, 'junit.xml'), junitXml(outcomes, runDir));
  writeFileSync(join(runDir, 'summary.md'), summaryMarkdown(outcomes, meta));
  writeHtmlReport(runDir, outcomes, meta);
  // A stable path for CI artifacts and humans: reports/latest → the newest run.
  if (opts.latest === false) return;
  const latest = join(dirname(runDir), 'latest');
  try {
    rmSync(latest, { force: true });
    symlinkSync(meta.runId, latest);
  } catch {
    /* not fatal: the run directory itself is complete */
  }
}
