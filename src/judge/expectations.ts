/**
 * Judges a scenario's step expectations against the client's observations. Every step also has
 * an implicit expectation: it ran and succeeded (`.ok`), unless `expect.error` names the error
 * it must end with (`.error`).
 */
import type { IncomingRecord, ObservationRecord, StepRecord } from '../vocabulary/observation.js';
import { type Scenario, stepName } from '../vocabulary/scenario.js';
import type { TraceEvent } from '../vocabulary/trace.js';
import { mismatch, show } from './match.js';
import type { Blame, Evidence, ExpectationResult } from './types.js';

const INPUT_METHODS = new Set(['elicitation/create', 'sampling/createMessage']);

/** Distinct consecutive values: working, working, completed → working, completed. */
export function collapse<T>(values: T[]): T[] {
  return values.filter((v, i) => i === 0 || v !== values[i - 1]);
}

function field(value: unknown, key: string): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
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
  const incoming = observations.filter((r): r is IncomingRecord => r.type === 'incoming');
  const aliases = new Map<string, string>();
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
    if (step.kind === 'callTask' && step.as && rec.taskId) aliases.set(step.as, rec.taskId);
    const windowed = trace.filter((e) => e.kind === 'message' && e.t >= rec.startedAt - 1 && e.t <= rec.endedAt + 1).map((e) => e.seq);
    const evidence: Evidence = { observations: [line], ...(windowed.length ? { trace: windowed.slice(0, 50) } : {}) };
    const errorText = rec.error ? `error ${rec.error.code ?? '(no code)'}: ${rec.error.message}` : undefined;

    if (expect.error !== undefined) {
      const code = rec.error?.code;
      push(
        'error',
        code === expect.error,
        expect.error,
        code ?? null,
        rec.ok
          ? `expected error ${expect.error}, but the step succeeded with ${show(rec.result)}`
          : `expected error ${expect.error}, got ${errorText}`,
        evidence,
      );
    } else if (!expect.mayFail) {
      // An error that never crossed the wire (timeout, local validation) is the client side's.
      const local = rec.error?.local === true || rec.error?.code === null;
      push(
        'ok',
        rec.ok,
        'success',
        rec.ok ? 'success' : (rec.error ?? null),
        `the step failed: ${errorText ?? 'no result'}`,
        evidence,
        local ? 'client' : 'server',
      );
    }

    const result = rec.result;
    const task = rec.task;
    // `problem` is the mismatch description, undefined when the expectation holds.
    const judged = (key: string, expected: unknown, actual: unknown, problem: string | undefined) =>
      push(key, problem === undefined, expected, actual, problem, evidence);
    const check = (key: string, expected: unknown, actual: unknown) => judged(key, expected, actual, mismatch(expected, actual, key));

    if (expect.status !== undefined) check('status', expect.status, task?.status);
    if (expect.task !== undefined) check('task', expect.task, task);
    if (expect.statuses !== undefined) {
      const seen = collapse((rec.polls ?? []).map((p) => p.status));
      check('statuses', expect.statuses, seen);
    }
    if (expect.content !== undefined) check('content', expect.content, field(result, 'content'));
    if (expect.structuredContent !== undefined) check('structuredContent', expect.structuredContent, field(result, 'structuredContent'));
    if (expect.isError !== undefined) check('isError', expect.isError, field(result, 'isError') ?? false);
    if (expect.tools !== undefined) {
      const tools = field(result, 'tools');
      const names = Array.isArray(tools) ? tools.map((t) => field(t, 'name')).sort() : undefined;
      check('tools', [...expect.tools].sort(), names);
    }
    if (expect.includes !== undefined) {
      const listed = field(result, 'tasks');
      const ids = new Set(Array.isArray(listed) ? listed.map((t) => field(t, 'taskId')) : []);
      const missing = expect.includes.filter((alias) => !ids.has(aliases.get(alias)));
      judged(
        'includes',
        expect.includes,
        [...ids],
        missing.length ? `tasks/list lacks ${missing.map((a) => `${a} (${aliases.get(a) ?? 'no task id'})`).join(', ')}` : undefined,
      );
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
