/** Recorded traces for the diff tests (copied from real runs: test/fixtures/diff/run<N>/). */
import { join } from 'node:path';
import { differenceText } from '../../src/diff/format.js';
import { type Conversation, type DiffResult, diffConversations } from '../../src/diff/index.js';
import { normalise } from '../../src/diff/normalise.js';
import { readTrace } from '../../src/judge/read-records.js';
import { ROOT } from '../../src/paths.js';
import type { TraceEvent } from '../../src/vocabulary/trace.js';

export const FIXTURES = join(ROOT, 'test/fixtures/diff');

export function runDir(run: string): string {
  return join(FIXTURES, run);
}

/** A copy of a recorded trace, safe to edit. */
export function trace(run: string, slug: string): TraceEvent[] {
  const lines = readTrace(join(FIXTURES, run, 'cells', slug, 'trace.jsonl'));
  if (lines.missing || lines.problems.length)
    throw new Error(`fixture ${run}/${slug}: ${lines.missing ? 'missing' : lines.problems[0]!.message}`);
  return structuredClone(lines.records);
}

export function conv(run: string, slug: string): Conversation {
  return normalise(trace(run, slug));
}

/** The differences as the text output shows them, without the seq column. */
export function lines(result: DiffResult): string[] {
  return result.differences.map((d) => `${d.first ? '▶ ' : ''}${differenceText(d, { a: 'A', b: 'B' })}`);
}

export function diff(a: TraceEvent[] | Conversation, b: TraceEvent[] | Conversation): DiffResult {
  const c = (x: TraceEvent[] | Conversation) => (Array.isArray(x) ? normalise(x) : x);
  return diffConversations(c(a), c(b));
}

/** The message events, for editing a trace. */
export function messages(events: TraceEvent[]) {
  return events.filter((e): e is Extract<TraceEvent, { kind: 'message' }> => e.kind === 'message');
}

/** Renumbers seq in array order (after moving or inserting events). */
export function resequence(events: TraceEvent[]): TraceEvent[] {
  events.forEach((e, i) => {
    e.seq = i;
  });
  return events;
}
