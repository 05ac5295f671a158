/**
 * Titles and tags of a run's scenarios, for the index's tag filter and row titles. Verdicts do
 * not carry them, so they are read from the scenario folder the run used (its `--scenarios`, else
 * the project's); a scenario that is no longer there, or a folder that no longer loads, just has none.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SCENARIOS_DIR } from '../../paths.js';
import { loadScenarioFile } from '../../scenario/load.js';
import type { ScenarioInfo } from './types.js';

/** The `--scenarios <dir>` of a recorded command line, if any. */
export function scenariosDirOf(command: string): string | undefined {
  const m = /(?:^|\s)--scenarios(?:=|\s+)(\S+)/.exec(command);
  return m?.[1];
}

export function scenarioInfos(ids: string[], command: string, cwd = process.cwd()): Record<string, ScenarioInfo> {
  const asked = scenariosDirOf(command);
  const dir = asked ? resolve(cwd, asked) : SCENARIOS_DIR;
  const out: Record<string, ScenarioInfo> = Object.fromEntries(ids.map((id) => [id, { tags: [] }]));
  if (!existsSync(dir)) return out;
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
    const id = file.replace(/\.ya?ml$/, '');
    if (!(id in out)) continue;
    try {
      const s = loadScenarioFile(join(dir, file), cwd);
      if (s.id in out) out[s.id] = { title: s.title, tags: s.tags };
    } catch {
      /* an invalid scenario file: the report still shows the cells, without tags */
    }
  }
  return out;
}
