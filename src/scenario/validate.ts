/**
 * `mcp-interop validate`: checks scenario files, known-failures baselines and driver manifests
 * without running anything, and returns every problem (file, line, path, what was expected).
 * Fast enough for a pre-commit hook: it reads and validates; it starts no process.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { loadBaseline } from '../judge/baseline.js';
import { BASELINE_FILE, DRIVERS_DIR, SCENARIOS_DIR } from '../paths.js';
import { loadDrivers } from '../plan/drivers.js';
import type { Scenario } from '../vocabulary/scenario.js';
import { loadScenarioFile, ScenarioError } from './load.js';

export interface ValidationReport {
  problems: string[];
  scenarios: number;
  baselines: number;
  manifests: number;
}

type Kind = 'scenario' | 'baseline' | 'manifest';

function kindOf(file: string): Kind | undefined {
  const name = basename(file);
  if (name === 'driver.json') return 'manifest';
  if (/known-failures.*\.ya?ml$/.test(name)) return 'baseline';
  if (/\.ya?ml$/.test(name)) return 'scenario';
  return undefined;
}

/** Files a path stands for: a file itself, or a folder's *.yaml and <sub>/driver.json files. */
function expand(path: string): string[] {
  if (!existsSync(path)) throw new ScenarioError([`${path}: no such file or folder`]);
  if (!statSync(path).isDirectory()) return [path];
  const out: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isFile() && kindOf(full)) out.push(full);
    if (entry.isDirectory() && existsSync(join(full, 'driver.json'))) out.push(join(full, 'driver.json'));
  }
  return out.sort();
}

function collect(fn: () => void, problems: string[]): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof ScenarioError) problems.push(...err.problems);
    else throw err;
  }
}

/** Validates the given paths (default: the project's scenarios, baseline and drivers). */
export function validatePaths(paths: string[]): ValidationReport {
  const files = (paths.length ? paths.map((p) => resolve(p)) : [SCENARIOS_DIR, BASELINE_FILE, DRIVERS_DIR]).flatMap(expand);
  const problems: string[] = [];
  const scenarios: Scenario[] = [];
  const byKind = (k: Kind) => files.filter((f) => kindOf(f) === k);
  for (const file of byKind('scenario')) collect(() => scenarios.push(loadScenarioFile(file)), problems);
  // Manifests: validated one folder at a time, so each problem names its own file.
  const manifestDirs = [...new Set(byKind('manifest').map((f) => join(f, '..', '..')))];
  let implNames: string[] = [];
  collect(() => {
    implNames = loadDrivers([DRIVERS_DIR]).flatMap((d) => d.manifest.implementations.map((i) => i.id));
  }, []);
  for (const dir of manifestDirs) collect(() => loadDrivers([dir]), problems);
  // A baseline may name the project's scenarios as well as those validated here.
  const projectScenarios: string[] = [];
  for (const f of expand(SCENARIOS_DIR)) if (kindOf(f) === 'scenario') collect(() => projectScenarios.push(loadScenarioFile(f).id), []);
  for (const file of byKind('baseline')) {
    collect(
      () => loadBaseline(file, { scenarios: [...new Set([...projectScenarios, ...scenarios.map((s) => s.id)])], impls: implNames }),
      problems,
    );
  }
  return {
    problems: [...new Set(problems)],
    scenarios: byKind('scenario').length,
    baselines: byKind('baseline').length,
    manifests: byKind('manifest').length,
  };
}
