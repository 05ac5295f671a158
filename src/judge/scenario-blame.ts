/**
 * Failures caused by the scenario itself rather than by an SDK (issue 16.4), found from the
 * observations: a template that rendered `<missing:path>` because nothing the client supplied has
 * that path (a typo, or a canned answer without that field), so authors are not sent chasing an
 * SDK bug. When the client did supply the value, the server lost it and the blame stays with it.
 */
import type { IncomingRecord, ObservationRecord } from '../vocabulary/observation.js';
import type { Scenario } from '../vocabulary/scenario.js';
import type { AliasOrigin } from './aliases.js';
import { show } from './match.js';

const MISSING = /<missing:([^>]+)>/g;

const METHOD_OF: Record<string, string> = {
  elicit: 'elicitation/create',
  elicitTask: 'elicitation/create',
  sample: 'sampling/createMessage',
  sampleTask: 'sampling/createMessage',
};

function at(value: unknown, path: string[]): unknown {
  let v = value;
  for (const key of path) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** The arguments of the tools/call behind a step: its own, or those of the step giving its alias. */
function callArguments(scenario: Scenario, stepIndex: number, origins: Map<string, AliasOrigin>): Record<string, unknown> | undefined {
  const step = scenario.client.steps[stepIndex];
  if (!step) return undefined;
  if (step.kind === 'callTool' || step.kind === 'awaitTask' || step.kind === 'callTask') return step.arguments;
  if (step.kind === 'result' && step.result !== undefined) {
    const origin = origins.get(step.result);
    const from = origin ? scenario.client.steps[origin.step] : undefined;
    if (from && (from.kind === 'callTask' || from.kind === 'awaitTask')) return from.arguments;
  }
  return undefined;
}

/** Whether the client supplied what `path` names: true, false, or undefined when it cannot be told. */
function supplied(
  path: string,
  scenario: Scenario,
  incoming: IncomingRecord[],
  stepIndex: number,
  origins: Map<string, AliasOrigin>,
): { supplied: boolean | undefined; what: string } {
  const [head, ...rest] = path.split('.');
  if (head === 'arguments') {
    const args = callArguments(scenario, stepIndex, origins);
    if (!args) return { supplied: undefined, what: 'the call arguments' };
    return { supplied: at(args, rest) !== undefined, what: `the call's arguments ${show(args)}` };
  }
  const kinds = scenario.server.tools.flatMap((t) => t.actions).filter((a) => 'as' in a && (a as { as: string }).as === head);
  if (!kinds.length) return { supplied: false, what: `no action keeps an answer as "${head}"` };
  const methods = new Set(kinds.map((a) => METHOD_OF[a.kind]).filter(Boolean));
  const answers = incoming.filter((r) => methods.has(r.method) && r.answer !== undefined).map((r) => r.answer);
  // The server never asked (or the client never answered): the template is not what went wrong.
  if (!answers.length) return { supplied: undefined, what: `no ${[...methods].join('/')} answer` };
  return {
    supplied: answers.some((a) => at(a, rest) !== undefined),
    what: `the client's answer${answers.length > 1 ? 's' : ''} ${answers.map((a) => show(a, 80)).join(', ')}`,
  };
}

/**
 * When `actual` holds `<missing:path>` markers none of which the client supplied, the message
 * explaining that the scenario is at fault; undefined otherwise (no marker, or the data was there).
 */
export function missingTemplateFault(
  actual: unknown,
  scenario: Scenario,
  observations: ObservationRecord[],
  stepIndex: number,
  origins: Map<string, AliasOrigin>,
): string | undefined {
  const text = JSON.stringify(actual) ?? '';
  const paths = [...new Set([...text.matchAll(MISSING)].map((m) => m[1]!))];
  if (!paths.length) return undefined;
  const incoming = observations.filter((r): r is IncomingRecord => r.type === 'incoming');
  const verdicts = paths.map((p) => ({ path: p, ...supplied(p, scenario, incoming, stepIndex, origins) }));
  if (!verdicts.every((v) => v.supplied === false)) return undefined;
  return verdicts
    .map((v) => `the scenario's template {{${v.path}}} names nothing the client supplied (${v.what})`)
    .join('; ')
    .concat(': a mistake in the scenario, not an SDK defect');
}
