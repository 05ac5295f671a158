/**
 * Reading a run folder's run.json, relying only on the fields the diff needs: each outcome's
 * cell (id, slug, scenario, client, server, transport), its outcome, its failure ids and its
 * trace path. Everything else is allowed to change.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/** Bad input to diff/compare/golden (exit code 2). */
export class DiffInputError extends Error {}

const CellInfo = z.looseObject({
  id: z.string(),
  slug: z.string(),
  scenario: z.string(),
  client: z.string(),
  server: z.string(),
  transport: z.string(),
});
export type CellInfo = z.infer<typeof CellInfo>;

const RunOutcome = z.looseObject({
  outcome: z.enum(['pass', 'known', 'fail', 'stale', 'unsupported']),
  verdict: z.looseObject({
    cell: CellInfo,
    failures: z.array(z.looseObject({ id: z.string() })).default([]),
    files: z.looseObject({ trace: z.string().default('') }).default({ trace: '' }),
  }),
});

const RunJson = z.looseObject({
  runId: z.string().optional(),
  sdks: z.array(z.string()).optional(),
  outcomes: z.array(RunOutcome),
});

export interface RunCell {
  cell: CellInfo;
  outcome: z.infer<typeof RunOutcome>['outcome'];
  failures: string[];
  /** Absolute path of the trace ("" when the cell never ran). */
  trace: string;
}

export interface Run {
  dir: string;
  runId: string;
  sdks: string[];
  cells: RunCell[];
}

export function isRunDir(dir: string): boolean {
  return existsSync(join(dir, 'run.json'));
}

export function readRun(dirArg: string): Run {
  const dir = resolve(dirArg);
  const file = join(dir, 'run.json');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new DiffInputError(`${dirArg}: not a run folder (no such directory)`);
  if (!existsSync(file)) throw new DiffInputError(`${dirArg}: not a run folder (no run.json)`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DiffInputError(`${file}: not JSON: ${(err as Error).message}`);
  }
  const parsed = RunJson.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DiffInputError(`${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
  }
  return {
    dir,
    runId: parsed.data.runId ?? dir,
    sdks: parsed.data.sdks ?? [],
    cells: parsed.data.outcomes.map((o) => ({
      cell: o.verdict.cell,
      outcome: o.outcome,
      failures: o.verdict.failures.map((f) => f.id),
      trace: o.verdict.files.trace ? join(dir, o.verdict.files.trace) : '',
    })),
  };
}

/** A cell of a run by its id (`ttl-expiry · ts→py · http`) or its folder name (`ttl-expiry--ts-py--http`). */
export function findCell(run: Run, ref: string): RunCell {
  const wanted = ref.trim();
  const found = run.cells.find((c) => c.cell.id === wanted || c.cell.slug === wanted);
  if (found) return found;
  const near = run.cells.filter((c) => c.cell.slug.startsWith(wanted.split(/\s|--/)[0] ?? '')).slice(0, 8);
  const hint = near.length ? `; cells of that scenario: ${near.map((c) => c.cell.slug).join(', ')}` : '';
  throw new DiffInputError(`${run.dir}: no cell "${ref}" in run.json${hint}`);
}
