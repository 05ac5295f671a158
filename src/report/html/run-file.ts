/**
 * Reading an existing run folder back (for `mcp-interop report <run-dir>`): run.json of format 2
 * holds the run's meta and every CellOutcome, which is all the HTML report needs besides the
 * cell folders. The checks here are only those that would otherwise break the report.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { CellOutcome } from '../../judge/baseline.js';
import { RUN_FORMAT } from '../write-reports.js';
import type { HtmlMeta } from './write-html.js';

/** Bad input to the report command (exit code 2). */
export class ReportInputError extends Error {}

const Cell = z.looseObject({
  id: z.string(),
  slug: z.string(),
  scenario: z.string(),
  client: z.string(),
  server: z.string(),
  transport: z.string(),
});
const Outcome = z.looseObject({
  outcome: z.enum(['pass', 'known', 'fail', 'stale', 'unsupported']),
  verdict: z.looseObject({
    cell: Cell,
    failures: z.array(z.looseObject({ id: z.string() })),
    warnings: z.array(z.looseObject({ id: z.string() })),
    files: z.looseObject({ dir: z.string(), trace: z.string() }),
    rerun: z.string(),
  }),
  known: z.array(z.looseObject({ finding: z.looseObject({ id: z.string() }), entry: z.looseObject({ reason: z.string() }) })),
  stale: z.array(z.looseObject({ reason: z.string() })),
  unexpected: z.array(z.looseObject({ id: z.string() })),
});
const RunJson = z.looseObject({
  format: z.literal(RUN_FORMAT, { error: `expected ${RUN_FORMAT} (run.json written by this version of the harness)` }),
  runId: z.string(),
  command: z.string(),
  startedAt: z.string(),
  durationMs: z.number(),
  releases: z.array(z.looseObject({ sdk: z.string(), package: z.string(), version: z.string() })),
  sdks: z.array(z.string()),
  stale: z.array(z.unknown()),
  outcomes: z.array(Outcome),
});

export function readRunFolder(dir: string): { meta: HtmlMeta; outcomes: CellOutcome[] } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ReportInputError(`${dir}: not a run folder (no such directory)`);
  const file = join(dir, 'run.json');
  if (!existsSync(file)) throw new ReportInputError(`${file}: no such file (is ${dir} a run folder under reports/?)`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ReportInputError(`${file}: not JSON: ${(err as Error).message}`);
  }
  const parsed = RunJson.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ReportInputError(`${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
  }
  const { outcomes, ...meta } = parsed.data;
  // The schema checks what the report reads; the rest of each outcome is the harness's own CellOutcome.
  return { meta: meta as unknown as HtmlMeta, outcomes: outcomes as unknown as CellOutcome[] };
}
