/** What a person reads in the terminal: a line per cell while running, then the matrix and a summary. */
import { relative } from 'node:path';
import type { BaselineEntry, CellOutcome } from '../judge/baseline.js';
import { firstLine, OUTCOME_LABEL, OUTCOME_MARK, problemLines, seconds, unsupportedLine } from './format.js';
import { buildMatrix, countsText } from './matrix-model.js';

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
  for (const [entry, ids] of byEntry) lines.push(`      known: ${ids.join(', ')} — ${firstLine(entry.reason, 110)}`);
  for (const p of problemLines(o)) lines.push(`      ✗ ${p}`);
  if (v.warnings.length) lines.push(`      warn: ${[...new Set(v.warnings.map((w) => `${w.id} [${w.blame}]`))].join(', ')}`);
  if (o.outcome === 'fail' || o.outcome === 'stale') lines.push(`      rerun: ${v.rerun}`);
  return lines;
}

export function summaryLines(outcomes: CellOutcome[], runDir: string): string[] {
  const m = buildMatrix(outcomes);
  const out: string[] = [''];
  const first = Math.max(8, ...m.rows.map((r) => r.scenario.length)) + 2;
  const width = Math.max(...m.columns.map((c) => c.key.length)) + 2;
  out.push(pad('', first) + m.columns.map((c) => pad(c.key, width)).join(''));
  for (const row of m.rows) {
    out.push(pad(row.scenario, first) + row.cells.map((c) => pad(c ? OUTCOME_MARK[c.outcome] : ' ', width)).join(''));
  }
  out.push(`(✓ pass, k known failure, ✗ fail, s stale baseline entry, – unsupported)`, '');
  for (const [pairing, c] of m.byPairing) out.push(`  ${pad(pairing, 10)} ${countsText(c)}`);
  for (const [transport, c] of m.byTransport) out.push(`  ${pad(transport, 10)} ${countsText(c)}`);
  out.push(`  ${pad('total', 10)} ${countsText(m.total)}`);
  if (m.oneTransportOnly.length) {
    out.push('', 'Fails over one transport only:');
    for (const x of m.oneTransportOnly) out.push(`  ${x.scenario} · ${x.pairing}: fails over ${x.failing}, passes over ${x.passing}`);
  }
  const failing = outcomes.filter((o) => o.outcome === 'fail' || o.outcome === 'stale');
  if (failing.length) {
    out.push('', `${failing.length} cell${failing.length > 1 ? 's' : ''} failed; rerun one with:`);
    for (const o of failing) out.push(`  ${o.verdict.rerun}`, ...problemLines(o).map((p) => `      ${p}`));
  }
  const rel = relative(process.cwd(), runDir) || runDir;
  out.push('', `Reports: ${rel}/summary.md, ${rel}/junit.xml, cells under ${rel}/cells/`);
  return out;
}
