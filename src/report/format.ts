/** Small text helpers shared by the console, Markdown and JUnit reports. */
import { type BaselineEntry, type CellOutcome, failureIds, type Outcome, upstreamLinks } from '../judge/baseline.js';
import type { Finding } from '../judge/types.js';

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

export function firstLine(text: string, max = 200): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** `check:task-ttl-present [server] tasks/get result #12 has no ttl` */
export function findingLine(f: Finding, max = 200): string {
  return `${f.id} [${f.blame}] ${firstLine(f.message, max)}`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

/** What is wrong with a cell, one line per item (unexpected failures, stale entries). */
export function problemLines(o: CellOutcome): string[] {
  return [
    ...o.unexpected.map((f) => findingLine(f)),
    ...o.stale.map(
      (e) => `${failureIds(e).join(', ')} listed in known-failures.yaml but did not fail (stale entry: ${firstLine(e.reason, 80)})`,
    ),
  ];
}

export function unsupportedLine(o: CellOutcome): string {
  return (o.verdict.unsupported ?? []).map((u) => `${u.side} ${u.impl} cannot ${u.feature}: ${u.reason}`).join('; ');
}

/** A known failure's explanation: the reason, then its upstream references. */
export function knownReason(entry: BaselineEntry): string {
  const links = upstreamLinks(entry);
  return `${entry.reason.trim()}${links.length ? ` (${links.join(', ')})` : ''}`;
}
