/**
 * Task aliases as the client's observations resolved them: the `as` of a callTask (every task
 * of a `repeat`) or an awaitTask, per scenario (a task created in one session keeps its alias in
 * every other). The judge uses them for includes/excludes and to tell a step that failed because
 * its alias never got a task id, and why.
 */
import type { StepRecord } from '../vocabulary/observation.js';
import type { ClientStep } from '../vocabulary/scenario.js';

export interface AliasOrigin {
  /** Index of the step that gives the alias. */
  step: number;
  /** The task ids it got (empty: none). */
  ids: string[];
}

/** The alias a step gives, if any. */
export function aliasGiven(step: ClientStep): string | undefined {
  return step.kind === 'callTask' || step.kind === 'awaitTask' ? step.as : undefined;
}

/** The task ids a step record reports: all of a repeat, else its one taskId. */
export function idsOf(rec: StepRecord | undefined): string[] {
  if (!rec) return [];
  if (rec.taskIds?.length) return [...rec.taskIds];
  return rec.taskId !== undefined ? [rec.taskId] : [];
}

/** Aliases referenced by a step: its task reference, or `{{alias}}` inside a send step's params. */
export function aliasesUsed(step: ClientStep): string[] {
  if (step.kind === 'poll') return [step.poll];
  if (step.kind === 'getTask' || step.kind === 'result' || step.kind === 'cancel') {
    const alias = (step as Record<string, unknown>)[step.kind];
    return typeof alias === 'string' ? [alias] : [];
  }
  if (step.kind === 'send') {
    const text = JSON.stringify(step.params ?? null);
    return [...new Set([...text.matchAll(/\{\{\s*([A-Za-z][\w-]*)\s*\}\}/g)].map((m) => m[1]!))];
  }
  return [];
}

/** `{{step.path}}` templates in a send step's params: a value of an earlier step's recorded result. */
export function stepRefsUsed(step: ClientStep): { step: string; path: string[]; text: string }[] {
  if (step.kind !== 'send') return [];
  const text = JSON.stringify(step.params ?? null);
  return [...text.matchAll(/\{\{\s*([A-Za-z][\w-]*)((?:\.[\w-]+)+)\s*\}\}/g)].map((m) => ({
    step: m[1]!,
    path: m[2]!.slice(1).split('.'),
    text: m[0]!,
  }));
}

/** Every alias of the scenario with the step that gives it and the ids its record reports. */
export function resolveAliases(steps: readonly ClientStep[], records: Map<number, StepRecord>): Map<string, AliasOrigin> {
  const out = new Map<string, AliasOrigin>();
  steps.forEach((step, index) => {
    const alias = aliasGiven(step);
    if (alias !== undefined) out.set(alias, { step: index, ids: idsOf(records.get(index)) });
  });
  return out;
}

function taskIdsIn(value: unknown): string[] {
  const tasks = value && typeof value === 'object' ? (value as Record<string, unknown>).tasks : undefined;
  if (!Array.isArray(tasks)) return [];
  return tasks.flatMap((t) =>
    t && typeof t === 'object' && typeof (t as Record<string, unknown>).taskId === 'string' ? [(t as { taskId: string }).taskId] : [],
  );
}

/**
 * What a listTasks step listed: with `all`, the tasks of every page (the driver records each);
 * otherwise the one result's. `count` counts every entry, so a task listed twice counts twice.
 */
export function listedTasks(rec: StepRecord): { ids: string[]; pages: number } {
  if (rec.pages?.length) return { ids: rec.pages.flatMap((p) => taskIdsIn(p.result)), pages: rec.pages.length };
  return { ids: taskIdsIn(rec.result), pages: 1 };
}
