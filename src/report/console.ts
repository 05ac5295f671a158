/** What a person reads in the terminal: a line per cell while running, then the matrix and a summary. */
import { relative } from 'node:path';
import type { BaselineEntry, CellOutcome } from '../judge/baseline.js';
import {
  firstLine,
  groupedFindingIds,
  MARK_LEGEND,
  OUTCOME_LABEL,
  pairingMarks,
  problemLines,
  seconds,
  unsupportedGroups,
  unsupportedLine,
} from './format.js';
import { buildMatrix, countsText, MAX_GRID_PAIRINGS } from './matrix-model.js';
import type { RunMeta } from './run-meta.js';
import { COUNTS_LEGEND, countsCell, versionTables } from './version-matrix.js';

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - [...s].length));

/** The line(s) printed when a cell finishes. */
export function cellLines(o: CellOutcome, index: number, total: number): string[] {
  const v = o.verdict;
  const counter = `[${String(index + 1).padStart(String(total).length)}/${total}]`;
  const head = `${counter} ${pad(OUTCOME_LABEL[o.outcome], 11)} ${pad(v.cell.id, 52)} ${seconds(v.durationMs).padStart(7)}`;
  const lines = [head];
  if (o.outcome === 'unsupported') lines.push(`      ${unsupportedLine(o)}`);
  // Known failures: one line per baseline entry, naming its failure ids and the defect.
  const byEntry = new Map<BaselineEntry, string[]>();
  for (const k of o.known) byEntry.set(k.entry, [...(byEntry.get(k.entry) ?? []), `${k.finding.id} [${k.finding.blame}]`]);
  for (const [entry, ids] of byEntry) lines.push(`      known: ${[...new Set(ids)].join(', ')} — ${firstLine(entry.reason, 110)}`);
  for (const p of problemLines(o)) lines.push(`      ✗ ${p}`);
  if (v.warnings.length) lines.push(`      warn: ${groupedFindingIds(v.warnings).join(', ')}`);
  if (o.outcome === 'fail' || o.outcome === 'stale') lines.push(`      rerun: ${v.rerun}`);
  return lines;
}

function gridLines(outcomes: CellOutcome[]): string[] {
  const m = buildMatrix(outcomes);
  const out: string[] = [];
  if (m.pairings.length <= MAX_GRID_PAIRINGS) {
    const first = Math.max(8, ...m.rows.map((r) => r.scenario.length)) + 2;
    const width = Math.max(m.transports.length + 1, ...m.pairings.map((p) => [...p].length)) + 2;
    out.push(`${pad(`(${m.transports.join(', ')})`, first)}${m.pairings.map((p) => pad(p, width)).join('')}`);
    for (const row of m.rows) out.push(pad(row.scenario, first) + m.pairings.map((p) => pad(pairingMarks(m, row, p), width)).join(''));
    out.push(`(${MARK_LEGEND})`);
  } else {
    out.push(`${m.pairings.length} pairings: the scenario grid is in summary.md and index.html; counts per pairing:`);
  }
  out.push('');
  const w = Math.max(10, ...m.pairings.map((p) => [...p].length)) + 1;
  for (const [pairing, c] of m.byPairing) out.push(`  ${pad(pairing, w)} ${countsText(c)}`);
  for (const [transport, c] of m.byTransport) out.push(`  ${pad(transport, w)} ${countsText(c)}`);
  out.push(`  ${pad('total', w)} ${countsText(m.total)}`);
  if (m.oneTransportOnly.length) {
    out.push('', 'Fails over one transport only:');
    for (const x of m.oneTransportOnly) out.push(`  ${x.scenario} · ${x.pairing}: fails over ${x.failing}, passes over ${x.passing}`);
  }
  return out;
}

/** The version × version tables, when the run has several releases of an SDK. */
export function versionTableLines(outcomes: CellOutcome[]): string[] {
  const out: string[] = [];
  for (const t of versionTables(outcomes)) {
    const [client, server] = t.pair.split('→');
    const first = Math.max(...t.rows.map((r) => r.length), `${client} \\ ${server}`.length) + 2;
    const width = Math.max(...t.columns.map((c) => c.length), 11) + 2;
    out.push('', `${t.pair}: client releases × server releases (${COUNTS_LEGEND})`);
    out.push(pad(`${client} \\ ${server}`, first) + t.columns.map((c) => pad(c, width)).join(''));
    for (const r of t.rows) out.push(pad(r, first) + t.columns.map((c) => pad(countsCell(t.counts[r]?.[c]), width)).join(''));
  }
  return out;
}

export function summaryLines(outcomes: CellOutcome[], runDir: string, meta?: Pick<RunMeta, 'stale'>): string[] {
  const out: string[] = ['', ...gridLines(outcomes)];
  const groups = unsupportedGroups(outcomes);
  if (groups.length) {
    out.push('', 'Unsupported:');
    for (const g of groups) out.push(`  ${firstLine(g.text, 150)} (${g.cells.length} cell${g.cells.length > 1 ? 's' : ''})`);
  }
  out.push(...versionTableLines(outcomes));
  if (meta?.stale.length) {
    out.push('', 'Stale baseline entries (none of their failures happened in any cell they cover; remove or narrow them):');
    for (const s of meta.stale)
      out.push(
        `  ${s.entry.scenario ?? 'any scenario'}: ${[s.entry.failure].flat().join(', ')} — ${firstLine(s.entry.reason, 90)} (${s.cells.length} cells)`,
      );
  }
  const failing = outcomes.filter((o) => o.outcome === 'fail' || o.outcome === 'stale');
  if (failing.length) {
    out.push('', `${failing.length} cell${failing.length > 1 ? 's' : ''} failed; rerun one with:`);
    for (const o of failing) out.push(`  ${o.verdict.rerun}`, ...problemLines(o).map((p) => `      ${p}`));
  }
  const rel = relative(process.cwd(), runDir) || runDir;
  out.push('', `Reports: ${rel}/index.html, ${rel}/summary.md, ${rel}/junit.xml, ${rel}/run.json, cells under ${rel}/cells/`);
  return out;
}
