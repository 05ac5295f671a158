/**
 * Stage 1: scenario files → validated Scenario objects.
 * Every problem is reported as `<file>: <path.inside[2].it>: <what was expected>`, for all files
 * at once, before anything runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseDocument } from 'yaml';
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

/**
 * A zod error as `<path>: <message>` lines (no file prefix), for any input file the harness
 * validates: scenarios, driver.json, known-failures.yaml.
 */
export function issueLines(error: z.ZodError, input: unknown): string[] {
  const lines = error.issues.map((issue) => {
    const { path, message } = describeIssue(issue, input);
    return `${path.length ? formatPath(path) : '(top level)'}: ${message}`;
  });
  return [...new Set(lines)];
}

/** Validates one parsed document; returns problems as `<path>: <message>` (no file prefix). */
export function validateScenario(data: unknown): { scenario?: Scenario; problems: string[] } {
  const parsed = Scenario.safeParse(data);
  return parsed.success ? { scenario: parsed.data, problems: [] } : { problems: issueLines(parsed.error, data) };
}

/** Reads and parses a YAML file; unreadable files and syntax errors throw, naming `shown` and the line. */
export function readYamlFile(file: string, shown: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ScenarioError([`${shown}: cannot read: ${(err as Error).message}`]);
  }
  const doc = parseDocument(text);
  if (doc.errors.length) {
    throw new ScenarioError(doc.errors.map((e) => `${shown}: line ${e.linePos?.[0]?.line ?? '?'}: YAML: ${e.message.split('\n')[0]}`));
  }
  return doc.toJS();
}

export function loadScenarioFile(file: string, displayRoot = process.cwd()): Scenario {
  const shown = relative(displayRoot, file) || file;
  const { scenario, problems } = validateScenario(readYamlFile(file, shown));
  const expectedId = basename(file).replace(/\.ya?ml$/, '');
  if (scenario && scenario.id !== expectedId) problems.push(`id: expected "${expectedId}" (the file name), found "${scenario.id}"`);
  if (problems.length || !scenario) throw new ScenarioError(problems.map((p) => `${shown}: ${p}`));
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
