/**
 * The known-failures baseline (known-failures.yaml): failures that are SDK defects, each with
 * the cell(s), the failing expectation or check, the reason and the upstream reference.
 *
 *   a failure listed for its cell                              → `known`
 *   an entry none of whose failures happened in any cell it covers, in the whole run
 *                                                              → `stale` (fails the run, so the list never rots)
 *   a failure not listed                                       → `fail`
 *
 * An entry is one defect; it may show as several failures (a crash fails every later step), and
 * a racy defect may show as a different subset from run to run, so an entry goes stale only when
 * none of its failures happens any more anywhere it applies. Selectors may name releases with a
 * semver range (`server: py@<1.28.0`); an entry without `scenario` applies to every scenario
 * (users' own included) and may then only name spec checks.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import semver from 'semver';
import { z } from 'zod';
import { formatPath, issueLines, located, readYamlDoc, ScenarioError } from '../scenario/load.js';
import type { ImplInfo, Verdict } from './judge.js';
import type { Finding } from './types.js';

const OneOrMany = z.union([z.string(), z.array(z.string()).min(1)]);
const FailureId = z
  .string()
  .regex(/^(expect|check|run):\S+$/, 'expected a failure id such as "expect:s4-getTask.error" or "check:task-ttl-present"');

export const BaselineEntry = z.strictObject({
  /** Which cells: scenario id(s) (absent or "any" = every scenario), and optionally implementation(s) and transport(s); absent = any. */
  scenario: OneOrMany.optional(),
  /** `ts`, `py@<1.28.0`, `ts-mcp@>=1.27.0 <1.30.0`: an implementation, optionally with a semver range of its SDK's releases. */
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

export const BaselineFile = z.strictObject({
  $schema: z.string().optional(),
  known: z.array(BaselineEntry).default([]),
});

export type Outcome = 'pass' | 'known' | 'fail' | 'stale' | 'unsupported';

export interface CellOutcome {
  verdict: Verdict;
  outcome: Outcome;
  /** Failures the baseline explains, with the entry that explains each. */
  known: { finding: Finding; entry: BaselineEntry }[];
  /** Entries covering this cell that went stale in this run (none of their failures happened anywhere). */
  stale: BaselineEntry[];
  /** Failures the baseline does not explain. */
  unexpected: Finding[];
}

export function list(v: string | string[] | undefined): string[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

/** `py@<1.28.0` → { name: 'py', range: '<1.28.0' }. */
export function parseSelector(text: string): { name: string; range?: string } {
  const at = text.indexOf('@');
  return at < 0 ? { name: text.trim() } : { name: text.slice(0, at).trim(), range: text.slice(at + 1).trim() };
}

export function selectorMatches(text: string, impl: ImplInfo): boolean {
  const { name, range } = parseSelector(text);
  if (name !== impl.name) return false;
  if (range === undefined) return true;
  // includePrerelease: a local build runs as e.g. 1.31.0-dev.3+local, and `py@>=1.27.2` must cover it.
  return impl.version !== undefined && semver.satisfies(impl.version, range, { includePrerelease: true });
}

export function scenariosOf(entry: BaselineEntry): string[] | undefined {
  const s = list(entry.scenario);
  return s === undefined || s.includes('any') ? undefined : s;
}

export function loadBaseline(file: string, known: { scenarios: string[]; impls: string[] }): BaselineEntry[] {
  if (!existsSync(file)) return [];
  const shown = relative(process.cwd(), file) || file;
  const { data, lineOf } = readYamlDoc(file, shown);
  const where = { shown, lineOf };
  const parsed = BaselineFile.safeParse(data ?? {});
  if (!parsed.success) throw new ScenarioError(issueLines(parsed.error, data, where));
  const problems = baselineProblems(parsed.data.known, known).map((p) => located(where, p.path, `${formatPath(p.path)}: ${p.message}`));
  if (problems.length) throw new ScenarioError(problems);
  return parsed.data.known;
}

/** What is wrong with entries beyond their shape: a typo in a selector would make an entry match nothing and never go stale. */
export function baselineProblems(
  entries: BaselineEntry[],
  known: { scenarios: string[]; impls: string[] },
): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  entries.forEach((entry, i) => {
    const add = (key: string, message: string) => problems.push({ path: ['known', i, key], message });
    for (const v of scenariosOf(entry) ?? []) if (!known.scenarios.includes(v)) add('scenario', `unknown scenario "${v}"`);
    if (!scenariosOf(entry)) {
      const notChecks = failureIds(entry).filter((id) => !id.startsWith('check:'));
      if (notChecks.length)
        add('failure', `an entry for every scenario may only name spec checks (check:<id>), found ${notChecks.join(', ')}`);
    }
    for (const key of ['client', 'server'] as const) {
      for (const v of list(entry[key]) ?? []) {
        const { name, range } = parseSelector(v);
        if (!known.impls.includes(name)) add(key, `unknown implementation "${name}" (known: ${known.impls.join(', ')})`);
        if (range !== undefined && !semver.validRange(range))
          add(key, `"${range}" is not a semver range (e.g. "<1.28.0", ">=1.27.0 <1.30.0")`);
      }
    }
    for (const t of list(entry.transport) ?? [])
      if (t !== 'stdio' && t !== 'http') add('transport', `expected stdio or http, found "${t}"`);
  });
  return problems;
}

export function failureIds(entry: BaselineEntry): string[] {
  return list(entry.failure)!;
}

export function upstreamLinks(entry: BaselineEntry): string[] {
  return list(entry.upstream) ?? [];
}

export function entryMatchesCell(entry: BaselineEntry, cell: Verdict['cell']): boolean {
  const scenarios = scenariosOf(entry);
  const impl = (sel: string | string[] | undefined, info: ImplInfo) =>
    sel === undefined || list(sel)!.some((s) => selectorMatches(s, info));
  return (
    (scenarios === undefined || scenarios.includes(cell.scenario)) &&
    impl(entry.client, cell.clientImpl) &&
    impl(entry.server, cell.serverImpl) &&
    (entry.transport === undefined || list(entry.transport)!.includes(cell.transport))
  );
}

/** One cell against the baseline: which failures are known, which are not. Staleness is a matter of the whole run (settleBaseline). */
export function applyBaseline(verdict: Verdict, entries: BaselineEntry[]): CellOutcome {
  if (verdict.status === 'unsupported') return { verdict, outcome: 'unsupported', known: [], stale: [], unexpected: [] };
  const mine = entries.filter((e) => entryMatchesCell(e, verdict.cell));
  const known: CellOutcome['known'] = [];
  const unexpected: Finding[] = [];
  for (const finding of verdict.failures) {
    const entry = mine.find((e) => failureIds(e).includes(finding.id));
    if (entry) known.push({ finding, entry });
    else unexpected.push(finding);
  }
  const outcome: Outcome = unexpected.length ? 'fail' : known.length ? 'known' : 'pass';
  return { verdict, outcome, known, stale: [], unexpected };
}

/**
 * Whether a cell could have shown the entry's defect: it ran (not unsupported), and, for an entry
 * that covers every scenario, one of its checks had something to judge in the cell.
 */
function couldShow(entry: BaselineEntry, o: CellOutcome): boolean {
  if (o.outcome === 'unsupported' || !entryMatchesCell(entry, o.verdict.cell)) return false;
  if (scenariosOf(entry)) return true;
  const ids = failureIds(entry).map((id) => id.slice('check:'.length));
  return o.verdict.checks.some((c) => ids.includes(c.id) && c.outcome !== 'n/a');
}

export interface StaleEntry {
  entry: BaselineEntry;
  /** The cells it covered, none of which showed any of its failures. */
  cells: string[];
}

/**
 * The run-level half of the baseline: an entry none of whose failures happened in any cell that
 * could show it is stale; the cells it covers become `stale` (unless they failed on their own).
 */
export function settleBaseline(outcomes: CellOutcome[], entries: BaselineEntry[]): StaleEntry[] {
  const stale: StaleEntry[] = [];
  for (const entry of entries) {
    const covered = outcomes.filter((o) => couldShow(entry, o));
    if (!covered.length) continue;
    const ids = failureIds(entry);
    if (covered.some((o) => o.verdict.failures.some((f) => ids.includes(f.id)))) continue;
    stale.push({ entry, cells: covered.map((o) => o.verdict.cell.id) });
    for (const o of covered) {
      if (!o.stale.includes(entry)) o.stale.push(entry);
      if (o.outcome !== 'fail') o.outcome = 'stale';
    }
  }
  return stale;
}

/** Outcomes that make a run (and `npm test`) fail. */
export function isFailing(outcome: Outcome): boolean {
  return outcome === 'fail' || outcome === 'stale';
}
