/**
 * Everything a run needs before its first cell, from what the user asked: the scenarios, the
 * driver folders, the SDK releases (checked and installed), the implementations, the baseline
 * and the planned cells. Shared by `mcp-interop run`, the vitest matrix and the soak command.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type BaselineEntry, loadBaseline } from '../judge/baseline.js';
import { SCENARIOS_DIR } from '../paths.js';
import { loadScenarios } from '../scenario/load.js';
import type { ReleaseSpec } from '../sdks/release-spec.js';
import { type Release, resolveReleases } from '../sdks/resolve.js';
import type { Scenario } from '../vocabulary/scenario.js';
import { type DriverFolder, loadDrivers } from './drivers.js';
import { type Implementation, implementationsOf } from './implementations.js';
import { type Cell, type MatrixFilter, PlanError, planCells } from './plan.js';

export interface RunRequest {
  scenariosDir: string;
  baselineFile: string;
  driverDirs: string[];
  /** `--ts 1.24.1,latest` per SDK id; SDKs not named run at their pinned release. */
  releases?: Map<string, ReleaseSpec[]>;
  filter?: MatrixFilter;
  /** Progress lines (installs). */
  say?: (line: string) => void;
}

export interface PreparedRun {
  scenarios: Scenario[];
  drivers: DriverFolder[];
  releases: Map<string, Release[]>;
  implementations: Implementation[];
  baseline: BaselineEntry[];
  cells: Cell[];
  /** Scenario id → the file it was loaded from (for annotations and links). */
  scenarioFiles: Map<string, string>;
}

/**
 * The releases per SDK: those of `--<sdk>`, else those named in filters (`--client ts@1.29.0`),
 * else the pinned one.
 */
export function releasesAsked(
  drivers: DriverFolder[],
  releases: Map<string, ReleaseSpec[]>,
  filter: MatrixFilter,
): Map<string, ReleaseSpec[]> {
  const asked = new Map(releases);
  const fromFilters = new Map<string, ReleaseSpec[]>();
  for (const ref of [...(filter.clients ?? []), ...(filter.servers ?? [])]) {
    if (!ref.spec) continue;
    const driver = drivers.find((d) => d.manifest.implementations.some((i) => i.id === ref.name));
    const sdk = driver?.manifest.sdk;
    if (!driver) continue; // planCells names the unknown implementation
    if (!sdk) throw new PlanError(`${ref.name}@…: implementation "${ref.name}" uses no SDK, so it has no releases`);
    if (!releases.has(sdk.id)) fromFilters.set(sdk.id, [...(fromFilters.get(sdk.id) ?? []), ref.spec]);
  }
  for (const [id, specs] of fromFilters) asked.set(id, specs);
  return asked;
}

/** A scenario's file: its id is its file name (the loader enforces it), .yaml or .yml. */
function scenarioFile(dir: string, id: string): string {
  const yaml = join(dir, `${id}.yaml`);
  return existsSync(yaml) ? yaml : join(dir, `${id}.yml`);
}

export async function prepareRun(req: RunRequest): Promise<PreparedRun> {
  const scenariosDir = resolve(req.scenariosDir);
  const scenarios = loadScenarios(scenariosDir);
  const drivers = loadDrivers(req.driverDirs);
  const filter = req.filter ?? {};
  const sdks = drivers.flatMap((d) => (d.manifest.sdk ? [d.manifest.sdk] : []));
  const releases = await resolveReleases(sdks, releasesAsked(drivers, req.releases ?? new Map(), filter), { say: req.say });
  const implementations = implementationsOf(drivers, releases);
  // The baseline names the project's scenarios; a run of another folder (scratch scenarios)
  // must still accept it.
  const baselineScenarios = new Set(scenarios.map((s) => s.id));
  if (scenariosDir !== SCENARIOS_DIR) for (const s of loadScenarios(SCENARIOS_DIR)) baselineScenarios.add(s.id);
  const baseline = loadBaseline(resolve(req.baselineFile), {
    scenarios: [...baselineScenarios],
    impls: [...new Set(implementations.map((i) => i.name))],
  });
  const cells = planCells(scenarios, implementations, filter);
  const scenarioFiles = new Map(scenarios.map((s) => [s.id, scenarioFile(scenariosDir, s.id)]));
  return { scenarios, drivers, releases, implementations, baseline, cells, scenarioFiles };
}
