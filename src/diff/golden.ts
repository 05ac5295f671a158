/**
 * Golden traces: `golden save` stores the normalised conversation of each passing or known cell
 * of a run; `golden check` diffs a run against them. A golden compares a cell with itself over
 * time (same pairing, same release), so any difference is a change on the wire.
 *
 * A cell whose SDK is racy (two different conversations from unchanged code, a baseline entry
 * saying so) is listed in goldens/racy.yaml with its reason and keeps one golden per manifestation
 * seen (`<slug>.yaml`, `<slug>.2.yaml`, …): it passes when it matches one of them and fails on
 * any other, so a new manifestation is read before it is added (`golden save --variant`).
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { readTrace } from '../judge/read-records.js';
import type { Conversation } from './conversation.js';
import { type DiffResult, diffConversations } from './diff.js';
import { goldenPath, goldenText, readGoldenFile, variantPath, variantsOf, writeGolden } from './golden-file.js';
import { normalise } from './normalise.js';
import { type CellInfo, DiffInputError, type Run, type RunCell } from './run-file.js';

export const RACY_FILE = 'racy.yaml';

const Racy = z.strictObject({
  racy: z.array(z.strictObject({ cell: z.string(), reason: z.string().min(10) })).default([]),
});

/** Cells whose SDK is racy, by slug, with why (goldens/racy.yaml). */
export function readRacy(goldensDir: string): Map<string, string> {
  const file = join(goldensDir, RACY_FILE);
  if (!existsSync(file)) return new Map();
  const parsed = Racy.safeParse(YAML.parse(readFileSync(file, 'utf8')) ?? {});
  if (!parsed.success) throw new DiffInputError(`${file}: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  return new Map(parsed.data.racy.map((u) => [u.cell, u.reason]));
}

/** The saved manifestation a conversation matches (1-based), or undefined. */
function matchingVariant(files: string[], conversation: Conversation): number | undefined {
  const i = files.findIndex((f) => diffConversations(readGoldenFile(f).conversation, conversation).equivalent);
  return i < 0 ? undefined : i + 1;
}

export interface Saved {
  cell: CellInfo;
  file: string;
  /**
   * `unchanged`: the run is equivalent to the saved golden, which is kept as it is; `variant`: a
   * racy cell's new manifestation, added beside the others (`--variant`).
   */
  status: 'new' | 'updated' | 'unchanged' | 'variant';
}

/**
 * Writes the golden of every pass/known cell of the run; others are left as they were. A racy
 * cell that matches one of its saved manifestations is unchanged; one that matches none replaces
 * them all, or with `variant` is added as one more.
 */
export function saveGoldens(
  run: Run,
  goldensDir: string,
  opts: { variant?: boolean } = {},
): { saved: Saved[]; skipped: { cell: CellInfo; why: string }[] } {
  const racy = readRacy(goldensDir);
  const saved: Saved[] = [];
  const skipped: { cell: CellInfo; why: string }[] = [];
  for (const rc of run.cells) {
    if (rc.outcome !== 'pass' && rc.outcome !== 'known') {
      skipped.push({ cell: rc.cell, why: rc.outcome });
      continue;
    }
    const file = goldenPath(goldensDir, rc.cell);
    const conversation = conversationOf(rc);
    if (racy.has(rc.cell.slug)) {
      saved.push(saveRacy(goldensDir, rc.cell, conversation, opts.variant === true));
      continue;
    }
    const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    // A golden the run is equivalent to stays as it is: rewriting it with this run's order of
    // unordered messages would churn the folder on every save with nothing to review.
    const same =
      before !== undefined &&
      (before === goldenText(rc.cell, conversation) || diffConversations(readGoldenFile(file).conversation, conversation).equivalent);
    if (!same) writeGolden(file, rc.cell, conversation);
    saved.push({ cell: rc.cell, file, status: before === undefined ? 'new' : same ? 'unchanged' : 'updated' });
  }
  return { saved, skipped };
}

function saveRacy(goldensDir: string, cell: CellInfo, conversation: Conversation, variant: boolean): Saved {
  const files = variantsOf(goldensDir, cell);
  const match = matchingVariant(files, conversation);
  if (match !== undefined) return { cell, file: files[match - 1]!, status: 'unchanged' };
  if (variant && files.length) {
    const file = variantPath(goldensDir, cell, files.length + 1);
    writeGolden(file, cell, conversation);
    return { cell, file, status: 'variant' };
  }
  for (const f of files.slice(1)) rmSync(f);
  const file = goldenPath(goldensDir, cell);
  writeGolden(file, cell, conversation);
  return { cell, file, status: files.length ? 'updated' : 'new' };
}

export type CheckStatus = 'same' | 'different' | 'no-golden';

export interface Checked {
  cell: CellInfo;
  status: CheckStatus;
  file: string;
  result?: DiffResult;
  /** Why: the cell did not run, or (a racy cell) the racy.yaml reason. */
  reason?: string;
  /** A racy cell: how many manifestations are saved, and which one matched. */
  variants?: { saved: number; matched?: number };
}

export interface CheckReport {
  cells: Checked[];
  /** Goldens of cells that are not in this run (a filtered run): not checked. */
  notInRun: string[];
  failed: boolean;
}

export function checkGoldens(run: Run, goldensDir: string): CheckReport {
  const racy = readRacy(goldensDir);
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
    const why = racy.get(rc.cell.slug);
    const files = why ? variantsOf(goldensDir, rc.cell) : [file];
    for (const f of files) checkedFiles.add(f);
    if (!rc.trace || !existsSync(rc.trace)) {
      cells.push({ cell: rc.cell, status: 'different', file, reason: `the cell has a golden but no trace in this run (${rc.outcome})` });
      continue;
    }
    const conversation = conversationOf(rc);
    // Against each saved manifestation; when none matches, the closest one is shown.
    const results = files.map((f) => diffConversations(readGoldenFile(f).conversation, conversation));
    const matched = results.findIndex((r) => r.equivalent);
    const best = matched >= 0 ? matched : results.reduce((b, r, i) => (r.differences.length < results[b]!.differences.length ? i : b), 0);
    cells.push({
      cell: rc.cell,
      status: matched >= 0 ? 'same' : 'different',
      file: files[best]!,
      result: results[best]!,
      ...(why ? { reason: why, variants: { saved: files.length, ...(matched >= 0 ? { matched: matched + 1 } : {}) } } : {}),
    });
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

/** Every golden file under the folder (a racy cell's manifestations included), sorted. */
export function listGoldens(goldensDir: string): string[] {
  if (!existsSync(goldensDir)) return [];
  const out: string[] = [];
  for (const scenario of readdirSync(goldensDir, { withFileTypes: true })) {
    if (!scenario.isDirectory()) continue;
    for (const f of readdirSync(join(goldensDir, scenario.name))) if (f.endsWith('.yaml')) out.push(join(goldensDir, scenario.name, f));
  }
  return out.sort();
}
