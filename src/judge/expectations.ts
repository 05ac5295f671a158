/**
 * Judges a scenario's step expectations against the client's observations. Every step also has
 * an implicit expectation: it ran and succeeded (`.ok`), unless `expect.error` names the error
 * it must end with (`.error`). A failure the scenario itself caused (an alias that never got a
 * task id, a template that rendered `<missing:…>`) blames the scenario, not an SDK.
 */
import type { IncomingRecord, ObservationRecord, StepRecord } from '../vocabulary/observation.js';
import { type ClientStep, type Scenario, stepName } from '../vocabulary/scenario.js';
import type { TraceEvent } from '../vocabulary/trace.js';
import { type AliasOrigin, aliasesUsed, listedTasks, resolveAliases, stepRefsUsed } from './aliases.js';
import { mismatch, show } from './match.js';
import { missingTemplateFault } from './scenario-blame.js';
import type { Blame, Evidence, ExpectationResult } from './types.js';

const INPUT_METHODS = new Set(['elicitation/create', 'sampling/createMessage']);

/** Distinct consecutive values: working, working, completed → working, completed. */
export function collapse<T>(values: T[]): T[] {
  return values.filter((v, i) => i === 0 || v !== values[i - 1]);
}

function field(value: unknown, key: string): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

/** Why an alias has no task id, and whom that blames: the scenario when the step giving it did what the scenario allowed. */
function aliasFault(
  alias: string,
  origins: Map<string, AliasOrigin>,
  results: ExpectationResult[],
  steps: readonly ClientStep[],
): { blame: Blame; message: string } {
  const origin = origins.get(alias);
  if (!origin) return { blame: 'scenario', message: `the scenario uses alias "${alias}", which no step gives` };
  const from = stepName(steps[origin.step]!, origin.step);
  const failed = results.find((r) => r.step === origin.step && (r.id.endsWith('.ok') || r.id.endsWith('.error')) && !r.ok);
  if (failed) return { blame: failed.blame, message: `alias "${alias}" has no task id because ${failed.id} failed` };
  return {
    blame: 'scenario',
    message: `alias "${alias}" never got a task id: ${from} ended as the scenario allows without creating a task, yet a later step uses the alias`,
  };
}

function valueAt(value: unknown, path: string[]): unknown {
  let v = value;
  for (const key of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/**
 * A failed send step whose `{{step.path}}` template had nothing to take: the named step failed
 * (its blame carries over) or its result simply lacks that path, an assumption of the scenario.
 */
function stepRefFault(
  step: ClientStep,
  steps: readonly ClientStep[],
  records: Map<number, StepRecord>,
  results: ExpectationResult[],
): { blame: Blame; message: string } | undefined {
  for (const ref of stepRefsUsed(step)) {
    const index = steps.findIndex((s, i) => stepName(s, i) === ref.step);
    if (index < 0) continue;
    const rec = records.get(index);
    if (rec && valueAt(rec.result, ref.path) !== undefined) continue;
    const failed = results.find((r) => r.step === index && (r.id.endsWith('.ok') || r.id.endsWith('.error')) && !r.ok);
    if (failed) return { blame: failed.blame, message: `${ref.text} has no value because ${failed.id} failed` };
    return {
      blame: 'scenario',
      message: `the scenario's template ${ref.text} names nothing step ${ref.step} recorded (its result has no ${ref.path.join('.')}): an assumption of the scenario, not an SDK defect`,
    };
  }
  return undefined;
}

export function judgeExpectations(
  scenario: Scenario,
  observations: ObservationRecord[],
  lineOf: number[],
  trace: TraceEvent[],
): ExpectationResult[] {
  const steps = new Map<number, { rec: StepRecord; line: number }>();
  observations.forEach((rec, i) => {
    if (rec.type === 'step') steps.set(rec.index, { rec, line: lineOf[i] ?? i });
  });
  const records = new Map([...steps].map(([i, s]) => [i, s.rec]));
  const origins = resolveAliases(scenario.client.steps, records);
  const incoming = observations.filter((r): r is IncomingRecord => r.type === 'incoming');
  const results: ExpectationResult[] = [];

  scenario.client.steps.forEach((step, index) => {
    const name = stepName(step, index);
    const expect = step.expect ?? {};
    const found = steps.get(index);
    const push = (
      key: string,
      ok: boolean,
      expected: unknown,
      actual: unknown,
      message: string | undefined,
      evidence: Evidence,
      blame: Blame = 'server',
    ) => results.push({ id: `expect:${name}.${key}`, step: index, ok, expected, actual, ...(ok ? {} : { message }), blame, evidence });

    if (!found) {
      push(
        expect.error !== undefined ? 'error' : 'ok',
        false,
        expect.error ?? 'the step to run',
        undefined,
        'no observation: the client driver stopped before this step',
        {},
        'client',
      );
      return;
    }
    const { rec, line } = found;
    const windowed = trace.filter((e) => e.kind === 'message' && e.t >= rec.startedAt - 1 && e.t <= rec.endedAt + 1).map((e) => e.seq);
    const evidence: Evidence = { observations: [line], ...(windowed.length ? { trace: windowed.slice(0, 50) } : {}) };
    const errorText = rec.error ? `error ${rec.error.code ?? '(no code)'}: ${rec.error.message}` : undefined;
    // A failed step whose alias never got a task id: say why, and blame what caused it.
    const idless = rec.ok ? undefined : aliasesUsed(step).find((a) => !origins.get(a)?.ids.length);
    const aliasCause =
      idless !== undefined
        ? aliasFault(idless, origins, results, scenario.client.steps)
        : rec.ok || !rec.error?.local
          ? undefined
          : stepRefFault(step, scenario.client.steps, records, results);

    if (expect.error !== undefined) {
      const code = rec.error?.code;
      push(
        'error',
        code === expect.error,
        expect.error,
        code ?? null,
        rec.ok
          ? `expected error ${expect.error}, but the step succeeded with ${show(rec.result)}`
          : `expected error ${expect.error}, got ${errorText}${aliasCause ? ` (${aliasCause.message})` : ''}`,
        evidence,
        aliasCause?.blame,
      );
    } else if (!expect.mayFail) {
      // An error that never crossed the wire (timeout, local validation) is the client side's.
      const local = rec.error?.local === true || rec.error?.code === null;
      push(
        'ok',
        rec.ok,
        'success',
        rec.ok ? 'success' : (rec.error ?? null),
        `the step failed: ${errorText ?? 'no result'}${aliasCause ? ` (${aliasCause.message})` : ''}`,
        evidence,
        aliasCause?.blame ?? (local ? 'client' : 'server'),
      );
    }

    const result = rec.result;
    const task = rec.task;
    // `problem` is the mismatch description, undefined when the expectation holds.
    const judged = (key: string, expected: unknown, actual: unknown, problem: string | undefined, blame?: Blame) =>
      push(key, problem === undefined, expected, actual, problem, evidence, blame);
    const check = (key: string, expected: unknown, actual: unknown) => {
      const problem = mismatch(expected, actual, key);
      const fault = problem === undefined ? undefined : missingTemplateFault(actual, scenario, observations, index, origins);
      judged(key, expected, actual, fault ? `${problem} — ${fault}` : problem, fault ? 'scenario' : undefined);
    };

    if (expect.status !== undefined) check('status', expect.status, task?.status);
    if (expect.task !== undefined) check('task', expect.task, task);
    if (expect.statuses !== undefined) {
      const seen = collapse((rec.polls ?? []).map((p) => p.status));
      check('statuses', expect.statuses, seen);
    }
    if (expect.content !== undefined) check('content', expect.content, field(result, 'content'));
    if (expect.structuredContent !== undefined) check('structuredContent', expect.structuredContent, field(result, 'structuredContent'));
    if (expect.isError !== undefined) check('isError', expect.isError, field(result, 'isError') ?? false);
    if (expect.result !== undefined) check('result', expect.result, result);
    if (expect.created !== undefined) {
      if (rec.created === undefined)
        judged('created', expect.created, null, 'the driver did not record whether the call created a task', 'harness');
      else check('created', expect.created, rec.created);
    }
    if (expect.tools !== undefined) {
      const tools = field(result, 'tools');
      const names = Array.isArray(tools) ? tools.map((t) => field(t, 'name')).sort() : undefined;
      check('tools', [...expect.tools].sort(), names);
    }

    const listed = step.kind === 'listTasks' ? listedTasks(rec) : undefined;
    const listedSet = new Set(listed?.ids ?? []);
    const pagesText = listed && listed.pages > 1 ? ` (${listed.pages} pages)` : '';
    // includes/excludes name aliases; one without a task id cannot be judged, and says why.
    const byAlias = (key: 'includes' | 'excludes', aliases: string[], wanted: boolean) => {
      const idless = aliases.filter((a) => !origins.get(a)?.ids.length);
      if (idless.length) {
        const cause = aliasFault(idless[0]!, origins, results, scenario.client.steps);
        return judged(key, aliases, [...listedSet], `cannot judge ${key}: ${cause.message}`, cause.blame);
      }
      const wrong = aliases.flatMap((a) =>
        origins
          .get(a)!
          .ids.filter((id) => listedSet.has(id) !== wanted)
          .map((id) => `${a} (${id})`),
      );
      const problem = wrong.length
        ? `tasks/list${pagesText} ${wanted ? 'lacks' : 'includes'} ${wrong.slice(0, 5).join(', ')}${wrong.length > 5 ? ` and ${wrong.length - 5} more` : ''}`
        : undefined;
      judged(key, aliases, [...listedSet], problem);
    };
    if (expect.includes !== undefined) byAlias('includes', expect.includes, true);
    if (expect.excludes !== undefined) byAlias('excludes', expect.excludes, false);
    if (expect.count !== undefined) {
      const n = listed?.ids.length ?? 0;
      judged('count', expect.count, n, n === expect.count ? undefined : `expected ${expect.count} listed task(s)${pagesText}, got ${n}`);
    }
    if (expect.inputRequests !== undefined) {
      const during = incoming.filter((r) => INPUT_METHODS.has(r.method) && r.at >= rec.startedAt && r.at <= rec.endedAt);
      judged(
        'inputRequests',
        expect.inputRequests,
        during.length,
        during.length === expect.inputRequests
          ? undefined
          : `expected ${expect.inputRequests} elicitation/sampling request(s) during the step, the client answered ${during.length}`,
      );
    }
  });
  return results;
}
