/**
 * Golden traces: `golden save` stores the normalised conversation of each passing or known cell
 * of a run; `golden check` diffs a run against them. A golden compares a cell with itself over
 * time (same pairing, same release), so any difference is a change on the wire.
 *
 * A cell whose wire is known to vary between runs may be listed in goldens/unstable.yaml, each
 * with its reason; its differences are still computed and shown, but do not fail the check.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { readTrace } from '../judge/read-records.js';
import { type DiffResult, diffConversations } from './diff.js';
import { goldenPath, goldenText, readGoldenFile, writeGolden } from './golden-file.js';
import { normalise } from './normalise.js';
import { type CellInfo, DiffInputError, type Run, type RunCell } from './run-file.js';

export const UNSTABLE_FILE = 'unstable.yaml';

const Unstable = z.strictObject({
  unstable: z.array(z.strictObject({ cell: z.string(), reason: z.string().min(10) })).default([]),
});

/** Cells whose wire varies between runs, by slug, with why (goldens/unstable.yaml). */
export function readUnstable(goldensDir: string): Map<string, string> {
  const file = join(goldensDir, UNSTABLE_FILE);
  if (!existsSync(file)) return new Map();
  const parsed = Unstable.safeParse(YAML.parse(readFileSync(file, 'utf8')) ?? {});
  if (!parsed.success) throw new DiffInputError(`${file}: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  return new Map(parsed.data.unstable.map((u) => [u.cell, u.reason]));
}

export interface Saved {
  cell: CellInfo;
  file: string;
  status: 'new' | 'updated' | 'unchanged';
}

/** Writes the golden of every pass/known cell of the run; others are left as they were. */
export function saveGoldens(run: Run, goldensDir: string): { saved: Saved[]; skipped: { cell: CellInfo; why: string }[] } {
  const saved: Saved[] = [];
  const skipped: { cell: CellInfo; why: string }[] = [];
  for (const rc of run.cells) {
    if (rc.outcome !== 'pass' && rc.outcome !== 'known') {
      skipped.push({ cell: rc.cell, why: rc.outcome });
      continue;
    }
    const file = goldenPath(goldensDir, rc.cell);
    const conversation = conversationOf(rc);
    const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    const text = goldenText(rc.cell, conversation);
    if (before !== text) writeGolden(file, rc.cell, conversation);
    saved.push({ cell: rc.cell, file, status: before === undefined ? 'new' : before === text ? 'unchanged' : 'updated' });
  }
  return { saved, skipped };
}

export type CheckStatus = 'same' | 'different' | 'unstable' | 'no-golden';

export interface Checked {
  cell: CellInfo;
  status: CheckStatus;
  file: string;
  result?: DiffResult;
  /** Why: the cell did not run, or the unstable.yaml reason. */
  reason?: string;
}

export interface CheckReport {
  cells: Checked[];
  /** Goldens of cells that are not in this run (a filtered run): not checked. */
  notInRun: string[];
  failed: boolean;
}

export function checkGoldens(run: Run, goldensDir: string): CheckReport {
  const unstable = readUnstable(goldensDir);
  const cells: Checked[] = [];
  const checkedFiles = new Set<string>();
  for (const rc of run.cells) {
    const file = goldenPath(goldensDir, rc.cell);
    if (!existsSync(file)) {
      // An unsupported cell never ran: no wire, so no golden is missing (one that has a golden
      // and stopped running is a difference, below).
      if (rc.outcome === 'unsupported') continue;
      cells.push({ cell: rc.cell, status: 'no-golden', file });
      continue;
    }
    checkedFiles.add(file);
    const golden = readGoldenFile(file);
    if (!rc.trace || !existsSync(rc.trace)) {
      cells.push({ cell: rc.cell, status: 'different', file, reason: `the cell has a golden but no trace in this run (${rc.outcome})` });
      continue;
    }
    const result = diffConversations(golden.conversation, conversationOf(rc));
    const allowed = unstable.get(rc.cell.slug);
    const status: CheckStatus = result.equivalent ? 'same' : allowed ? 'unstable' : 'different';
    cells.push({ cell: rc.cell, status, file, result, ...(allowed ? { reason: allowed } : {}) });
  }
  const notInRun = listGoldens(goldensDir)
    .filter((f) => !checkedFiles.has(f))
    .map((f) => relative(goldensDir, f));
  return { cells, notInRun, failed: cells.some((c) => c.status === 'different') };
}

function conversationOf(rc: RunCell) {
  const transport = rc.cell.transport === 'http' ? 'http' : 'stdio';
  return normalise(readTrace(rc.trace).records, transport);
}

function listGoldens(goldensDir: string): string[] {
  if (!existsSync(goldensDir)) return [];
  const out: string[] = [];
  for (const scenario of readdirSync(goldensDir, { withFileTypes: true })) {
    if (!scenario.isDirectory()) continue;
    for (const f of readdirSync(join(goldensDir, scenario.name))) if (f.endsWith('.yaml')) out.push(join(goldensDir, scenario.name, f));
  }
  return out.sort();
}
