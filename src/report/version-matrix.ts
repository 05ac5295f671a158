/**
 * The version × version view of a run with several releases of an SDK: per SDK pair, client
 * releases as rows, server releases as columns, each cell the outcome counts over all scenarios,
 * flavors and transports (as Pact's matrix shows which versions interoperate).
 */
import semver from 'semver';
import type { CellOutcome, Outcome } from '../judge/baseline.js';

export interface VersionTable {
  /** `ts→py` (SDK ids). */
  pair: string;
  rows: string[];
  columns: string[];
  /** counts[row][column] */
  counts: Record<string, Record<string, Record<Outcome, number>>>;
}

const zero = (): Record<Outcome, number> => ({ pass: 0, known: 0, fail: 0, stale: 0, unsupported: 0 });
const byVersion = (a: string, b: string) => semver.compare(a, b);

/** Tables for every SDK pair, or none when every SDK ran at one release only. */
export function versionTables(outcomes: CellOutcome[]): VersionTable[] {
  const versions = new Map<string, Set<string>>();
  for (const o of outcomes) {
    for (const impl of [o.verdict.cell.clientImpl, o.verdict.cell.serverImpl]) {
      if (impl.sdk && impl.version) versions.set(impl.sdk, (versions.get(impl.sdk) ?? new Set()).add(impl.version));
    }
  }
  if (![...versions.values()].some((v) => v.size > 1)) return [];
  const tables = new Map<string, VersionTable>();
  for (const o of outcomes) {
    const { clientImpl: c, serverImpl: s } = o.verdict.cell;
    if (!c.sdk || !s.sdk || !c.version || !s.version) continue;
    // A pair where both SDKs ran at one release each says nothing a version table could add.
    if (versions.get(c.sdk)!.size === 1 && versions.get(s.sdk)!.size === 1) continue;
    const pair = `${c.sdk}→${s.sdk}`;
    let t = tables.get(pair);
    if (!t) {
      t = { pair, rows: [...versions.get(c.sdk)!].sort(byVersion), columns: [...versions.get(s.sdk)!].sort(byVersion), counts: {} };
      tables.set(pair, t);
    }
    const row = t.counts[c.version] ?? {};
    t.counts[c.version] = row;
    const cell = row[s.version] ?? zero();
    row[s.version] = cell;
    cell[o.outcome]++;
  }
  return [...tables.values()].sort((a, b) => a.pair.localeCompare(b.pair));
}

/** `12/3/0/1` = pass/known/fail/unsupported (stale counts as fail). */
export function countsCell(c: Record<Outcome, number> | undefined): string {
  if (!c) return '';
  return `${c.pass}/${c.known}/${c.fail + c.stale}/${c.unsupported}`;
}

export const COUNTS_LEGEND = 'each cell: pass/known/fail/unsupported, over all scenarios, flavors and transports';
