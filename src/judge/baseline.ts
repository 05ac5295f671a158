/**
 * The known-failures baseline (known-failures.yaml): failures that are SDK defects, each with
 * the cell(s), the failing expectation or check, the reason and the upstream reference.
 *
 *   a failure listed for its cell                  → `known`
 *   an entry none of whose failures happened       → `stale` (fails the run, so the list never rots)
 *   a failure not listed                           → `fail`
 *
 * An entry is one defect; it may show as several failures (a crash fails every later step), and
 * a racy defect may show as a different subset from run to run, so an entry goes stale only when
 * none of its failures happens any more.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { z } from 'zod';
import { issueLines, readYamlFile, ScenarioError } from '../scenario/load.js';
import type { Verdict } from './judge.js';
import type { Finding } from './types.js';

const OneOrMany = z.union([z.string(), z.array(z.string()).min(1)]);
const FailureId = z
  .string()
  .regex(/^(expect|check|run):\S+$/, 'expected a failure id such as "expect:s4-getTask.error" or "check:task-ttl-present"');

export const BaselineEntry = z.strictObject({
  /** Which cells: scenario id(s), and optionally client/server implementation(s) and transport(s); absent = any. */
  scenario: OneOrMany,
  client: OneOrMany.optional(),
  server: OneOrMany.optional(),
  transport: OneOrMany.optional(),
  /** The failure id(s) as the cell reports them: expect:<step>.<key>, check:<id> or run:<what>. */
  failure: z.union([FailureId, z.array(FailureId).min(1)]),
  /** Why it fails: the SDK defect, with the evidence in one or two sentences. */
  reason: z.string().min(10),
  /** Upstream issue(s) or PR(s), when one exists. */
  upstream: z.union([z.url(), z.array(z.url()).min(1)]).optional(),
});
export type BaselineEntry = z.infer<typeof BaselineEntry>;

export const BaselineFile = z.strictObject({ known: z.array(BaselineEntry).default([]) });

export type Outcome = 'pass' | 'known' | 'fail' | 'stale' | 'unsupported';

export interface CellOutcome {
  verdict: Verdict;
  outcome: Outcome;
  /** Failures the baseline explains, with the entry that explains each. */
  known: { finding: Finding; entry: BaselineEntry }[];
  /** Entries for this cell none of whose failures happened. */
  stale: BaselineEntry[];
  /** Failures the baseline does not explain. */
  unexpected: Finding[];
}

export function loadBaseline(file: string, known: { scenarios: string[]; impls: string[] }): BaselineEntry[] {
  if (!existsSync(file)) return [];
  const shown = relative(process.cwd(), file) || file;
  const data = readYamlFile(file, shown) ?? {};
  const parsed = BaselineFile.safeParse(data);
  if (!parsed.success) throw new ScenarioError(issueLines(parsed.error, data).map((line) => `${shown}: ${line}`));
  // A typo in a cell selector would make an entry match nothing and never go stale: reject it.
  const problems: string[] = [];
  parsed.data.known.forEach((entry, i) => {
    const unknown = (key: 'scenario' | 'client' | 'server', valid: string[]) => {
      for (const v of list(entry[key]) ?? [])
        if (!valid.includes(v))
          problems.push(`${shown}: known[${i}].${key}: unknown ${key === 'scenario' ? 'scenario' : 'implementation'} "${v}"`);
    };
    unknown('scenario', known.scenarios);
    unknown('client', known.impls);
    unknown('server', known.impls);
    for (const t of list(entry.transport) ?? [])
      if (t !== 'stdio' && t !== 'http') problems.push(`${shown}: known[${i}].transport: expected stdio or http, found "${t}"`);
  });
  if (problems.length) throw new ScenarioError(problems);
  return parsed.data.known;
}

export function failureIds(entry: BaselineEntry): string[] {
  return list(entry.failure)!;
}

export function upstreamLinks(entry: BaselineEntry): string[] {
  return list(entry.upstream) ?? [];
}

function list(v: string | string[] | undefined): string[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

export function entryMatchesCell(entry: BaselineEntry, cell: Verdict['cell']): boolean {
  const ok = (sel: string | string[] | undefined, value: string) => sel === undefined || list(sel)!.includes(value);
  return (
    ok(entry.scenario, cell.scenario) &&
    ok(entry.client, cell.client) &&
    ok(entry.server, cell.server) &&
    ok(entry.transport, cell.transport)
  );
}

export function applyBaseline(verdict: Verdict, entries: BaselineEntry[]): CellOutcome {
  const mine = entries.filter((e) => entryMatchesCell(e, verdict.cell));
  if (verdict.status === 'unsupported') return { verdict, outcome: 'unsupported', known: [], stale: [], unexpected: [] };
  const known: CellOutcome['known'] = [];
  const unexpected: Finding[] = [];
  for (const finding of verdict.failures) {
    const entry = mine.find((e) => failureIds(e).includes(finding.id));
    if (entry) known.push({ finding, entry });
    else unexpected.push(finding);
  }
  const stale = mine.filter((entry) => !failureIds(entry).some((id) => verdict.failures.some((f) => f.id === id)));
  const outcome: Outcome = unexpected.length ? 'fail' : stale.length ? 'stale' : known.length ? 'known' : 'pass';
  return { verdict, outcome, known, stale, unexpected };
}

/** Outcomes that make a run (and `npm test`) fail. */
export function isFailing(outcome: Outcome): boolean {
  return outcome === 'fail' || outcome === 'stale';
}
