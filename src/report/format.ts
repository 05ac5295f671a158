/** Small text helpers shared by the console, Markdown and JUnit reports. */
import { type BaselineEntry, type CellOutcome, failureIds, type Outcome, upstreamLinks } from '../judge/baseline.js';
import type { Finding } from '../judge/types.js';
import type { MatrixModel } from './matrix-model.js';

export const OUTCOME_LABEL: Record<Outcome, string> = {
  pass: 'PASS',
  known: 'KNOWN',
  fail: 'FAIL',
  stale: 'STALE',
  unsupported: 'UNSUPPORTED',
};

/** One character per outcome, for matrices. */
export const OUTCOME_MARK: Record<Outcome, string> = {
  pass: '✓',
  known: 'k',
  fail: '✗',
  stale: 's',
  unsupported: '–',
};

export const MARK_LEGEND = '✓ pass · k known failure (SDK defect in the baseline) · ✗ fail · s stale baseline entry · – unsupported';

/** A scenario's marks in one pairing: one per transport of the run (`✓k`), blank where none ran. */
export function pairingMarks(m: MatrixModel, row: MatrixModel['rows'][number], pairing: string): string {
  return m.transports
    .map((t) => {
      const o = row.cells[pairing]?.[t];
      return o ? OUTCOME_MARK[o.outcome] : ' ';
    })
    .join('');
}

export function firstLine(text: string, max = 200): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** `check:task-ttl-present [server] tasks/get result #12 has no ttl` */
export function findingLine(f: Finding, max = 200): string {
  return `${f.id} [${f.blame}] ${firstLine(f.message, max)}`;
}

function groups(findings: Finding[]): Finding[][] {
  const by = new Map<string, Finding[]>();
  for (const f of findings) by.set(`${f.id} [${f.blame}]`, [...(by.get(`${f.id} [${f.blame}]`) ?? []), f]);
  return [...by.values()];
}

/** Findings grouped by id and blame: one line each, with `×n` where one id repeats (the first message shown). */
export function groupedFindingLines(findings: Finding[], max = 200): string[] {
  return groups(findings).map((fs) => {
    const f = fs[0]!;
    return fs.length > 1 ? `${f.id} ×${fs.length} [${f.blame}] ${firstLine(f.message, max)}` : findingLine(f, max);
  });
}

/** `check:task-begins-working ×12 [server]`: ids only, grouped. */
export function groupedFindingIds(findings: Finding[]): string[] {
  return groups(findings).map((fs) => `${fs[0]!.id}${fs.length > 1 ? ` ×${fs.length}` : ''} [${fs[0]!.blame}]`);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

/** What is wrong with a cell, one line per item (unexpected failures, stale entries). */
export function problemLines(o: CellOutcome): string[] {
  return [
    ...groupedFindingLines(o.unexpected),
    ...o.stale.map(
      (e) =>
        `${failureIds(e).join(', ')} listed in the baseline, but none of them failed in any cell the entry covers (stale entry: ${firstLine(e.reason, 80)})`,
    ),
  ];
}

export function unsupportedLine(o: CellOutcome): string {
  return (o.verdict.unsupported ?? []).map((u) => `${who(u.side, u.impl)} cannot ${u.feature}: ${u.reason}`).join('; ');
}

/** `client ts-mcp`, or `the harness` for what the harness itself cannot do. */
function who(side: string, impl: string): string {
  return side === 'harness' ? 'the harness' : `${side} ${impl}`;
}

/** Unsupported cells grouped by reason: `server py cannot capability:no-tools-call: … (4 cells)`. */
export function unsupportedGroups(outcomes: CellOutcome[]): { text: string; cells: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const o of outcomes) {
    if (o.outcome !== 'unsupported') continue;
    for (const u of o.verdict.unsupported ?? []) {
      const key = `${who(u.side, u.impl.split('@')[0]!)} cannot ${u.feature}: ${u.reason}`;
      groups.set(key, [...(groups.get(key) ?? []), o.verdict.cell.id]);
    }
  }
  return [...groups].map(([text, cells]) => ({ text, cells }));
}

/** A known failure's explanation: the reason, then its upstream references. */
export function knownReason(entry: BaselineEntry): string {
  const links = upstreamLinks(entry);
  return `${entry.reason.trim()}${links.length ? ` (${links.join(', ')})` : ''}`;
}
