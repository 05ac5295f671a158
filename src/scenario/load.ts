/**
 * Stage 1: scenario files → validated Scenario objects.
 * Every problem is reported as `<file>: <path.inside[2].it>: <what was expected>`, for all files
 * at once, before anything runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { CLIENT_STEP_KINDS, Scenario, SERVER_ACTION_KINDS } from '../vocabulary/scenario.js';

export class ScenarioError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ScenarioError';
  }
}

/** `['client','steps',2,'ttl']` → `client.steps[2].ttl` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), root);
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): { path: PropertyKey[]; message: string } {
  const path = [...issue.path];
  // A missing or doubled kind key surfaces as a bad `kind` discriminator: say what was expected.
  if (issue.code === 'invalid_union' && path[path.length - 1] === 'kind') {
    path.pop();
    const parent = path[path.length - 2];
    const kinds = parent === 'actions' ? SERVER_ACTION_KINDS : CLIENT_STEP_KINDS;
    const what = parent === 'actions' ? 'action' : 'step';
    const value = valueAt(input, path);
    const found = value && typeof value === 'object' ? Object.keys(value) : [];
    const present = found.filter((k) => (kinds as readonly string[]).includes(k));
    const detail =
      present.length > 1 ? `found ${present.join(' and ')}` : `found ${found.length ? `keys ${found.join(', ')}` : JSON.stringify(value)}`;
    return { path, message: `expected exactly one ${what} kind of ${kinds.join(', ')} (${detail})` };
  }
  if (issue.code === 'unrecognized_keys') {
    return { path, message: `unexpected field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` };
  }
  return { path, message: issue.message.replace(/^Invalid input: /, '') };
}

/** The line of the file a path points at (the nearest enclosing node that exists), when known. */
export type LineOf = (path: readonly PropertyKey[]) => number | undefined;

/**
 * A zod error as `<path>: <message>` lines, for any input file the harness validates: scenarios,
 * driver.json, known-failures.yaml. With a `lineOf` (and the file as shown) each line starts with
 * `<file>:<line>: `, the form editors and terminals turn into links.
 */
export function issueLines(error: z.ZodError, input: unknown, where?: { shown: string; lineOf?: LineOf }): string[] {
  const lines = error.issues.map((issue) => {
    const { path, message } = describeIssue(issue, input);
    return located(where, path, `${path.length ? formatPath(path) : '(top level)'}: ${message}`);
  });
  return [...new Set(lines)];
}

/** `file:line: text` (or `file: text` without a known line, or just `text` without a file). */
export function located(where: { shown: string; lineOf?: LineOf } | undefined, path: readonly PropertyKey[], text: string): string {
  if (!where) return text;
  const line = where.lineOf?.(path);
  return `${where.shown}${line !== undefined ? `:${line}` : ''}: ${text}`;
}

/** Validates one parsed document; returns problems as `<file>:<line>: <path>: <message>` (no file prefix without `where`). */
export function validateScenario(data: unknown, where?: { shown: string; lineOf?: LineOf }): { scenario?: Scenario; problems: string[] } {
  const parsed = Scenario.safeParse(data);
  return parsed.success ? { scenario: parsed.data, problems: [] } : { problems: issueLines(parsed.error, data, where) };
}

/** A parsed YAML (or JSON) file and where each path of it is. */
export interface ReadFile {
  data: unknown;
  lineOf: LineOf;
}

/** Reads and parses a YAML file (JSON is YAML too); unreadable files and syntax errors throw, naming `shown` and the line. */
export function readYamlDoc(file: string, shown: string): ReadFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ScenarioError([`${shown}: cannot read: ${(err as Error).message}`]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length) {
    throw new ScenarioError(doc.errors.map((e) => `${shown}:${e.linePos?.[0]?.line ?? '?'}: YAML: ${e.message.split('\n')[0]}`));
  }
  const lineOf: LineOf = (path) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { data: doc.toJS(), lineOf };
}

/** Just the data of readYamlDoc. */
export function readYamlFile(file: string, shown: string): unknown {
  return readYamlDoc(file, shown).data;
}

export function loadScenarioFile(file: string, displayRoot = process.cwd()): Scenario {
  const shown = relative(displayRoot, file) || file;
  const { data, lineOf } = readYamlDoc(file, shown);
  const where = { shown, lineOf };
  const { scenario, problems } = validateScenario(data, where);
  const expectedId = basename(file).replace(/\.ya?ml$/, '');
  if (scenario && scenario.id !== expectedId)
    problems.push(located(where, ['id'], `id: expected "${expectedId}" (the file name), found "${scenario.id}"`));
  if (problems.length || !scenario) throw new ScenarioError(problems);
  return scenario;
}

/** Loads every *.yaml in `dir`, reporting the problems of all files together. */
export function loadScenarios(dir: string, displayRoot = process.cwd()): Scenario[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort();
  } catch (err) {
    throw new ScenarioError([`${relative(displayRoot, dir) || dir}: cannot read the scenario folder: ${(err as Error).message}`]);
  }
  const scenarios: Scenario[] = [];
  const problems: string[] = [];
  for (const f of files) {
    try {
      scenarios.push(loadScenarioFile(join(dir, f), displayRoot));
    } catch (err) {
      if (err instanceof ScenarioError) problems.push(...err.problems);
      else throw err;
    }
  }
  if (problems.length) throw new ScenarioError(problems);
  return scenarios;
}
