/**
 * Everything a run needs before its first cell, from what the user asked: the scenarios, the
 * driver folders, the SDK releases (checked and installed), the implementations, the baseline
 * and the planned cells. Shared by `mcp-interop run`, the vitest matrix and the soak command.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { type BaselineEntry, loadBaseline } from '../judge/baseline.js';
import { BASELINE_FILE, DRIVERS_DIR, SCENARIOS_DIR } from '../paths.js';
import { loadScenarios } from '../scenario/load.js';
import type { ReleaseSpec } from '../sdks/release-spec.js';
import { type Release, resolveReleases } from '../sdks/resolve.js';
import type { SdkDeclaration } from '../vocabulary/driver.js';
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

/** Each SDK at its pinned release, not installed: enough to plan which cells a run has. */
function placeholders(sdks: SdkDeclaration[]): Map<string, Release[]> {
  return new Map(sdks.map((sdk) => [sdk.id, [{ sdk, version: sdk.pinned, pinned: true, arg: sdk.pinned, dir: '' }]]));
}

/** The SDK ids the planned cells use (release filters aside: any release of an SDK needs that SDK). */
function sdksUsed(scenarios: Scenario[], drivers: DriverFolder[], sdks: SdkDeclaration[], filter: MatrixFilter): Set<string> {
  const byName = (refs?: MatrixFilter['clients']) => refs?.map((r) => ({ name: r.name }));
  const cells = planCells(scenarios, implementationsOf(drivers, placeholders(sdks)), {
    ...filter,
    clients: byName(filter.clients),
    servers: byName(filter.servers),
  });
  return new Set(cells.flatMap((c) => [c.client, c.server]).flatMap((i) => (i.release ? [i.release.sdk.id] : [])));
}

export async function prepareRun(req: RunRequest): Promise<PreparedRun> {
  const scenariosDir = resolve(req.scenariosDir);
  const scenarios = loadScenarios(scenariosDir);
  const drivers = loadDrivers(req.driverDirs);
  const filter = req.filter ?? {};
  const sdks = drivers.flatMap((d) => (d.manifest.sdk ? [d.manifest.sdk] : []));
  const asked = releasesAsked(drivers, req.releases ?? new Map(), filter);
  // Only the SDKs some cell uses, or that were asked for by name, are installed: a TS-only run needs no Python.
  const used = sdksUsed(scenarios, drivers, sdks, filter);
  const releases = await resolveReleases(
    sdks.filter((s) => used.has(s.id) || asked.has(s.id)),
    asked,
    { say: req.say },
  );
  // The others keep their implementations at an uninstalled pinned release that no cell uses, so
  // that scenarios and the baseline may still name them.
  const implementations = implementationsOf(drivers, new Map([...placeholders(sdks), ...releases]));
  // The baseline names the project's scenarios; a run of another folder (scratch scenarios)
  // must still accept it.
  const baselineScenarios = new Set(scenarios.map((s) => s.id));
  if (scenariosDir !== SCENARIOS_DIR) for (const s of loadScenarios(SCENARIOS_DIR)) baselineScenarios.add(s.id);
  const baseline = loadBaseline(resolve(req.baselineFile), {
    scenarios: [...baselineScenarios],
    impls: [...new Set(implementations.map((i) => i.name))],
  });
  // A rerun must find the same scenarios, baseline and drivers.
  const runArgs = [
    ...(scenariosDir !== SCENARIOS_DIR ? ['--scenarios', relative(process.cwd(), scenariosDir) || '.'] : []),
    ...(resolve(req.baselineFile) !== BASELINE_FILE ? ['--baseline', relative(process.cwd(), resolve(req.baselineFile))] : []),
    ...(req.driverDirs.some((d) => d !== DRIVERS_DIR)
      ? [
          '--drivers',
          req.driverDirs
            .filter((d) => d !== DRIVERS_DIR)
            .map((d) => relative(process.cwd(), d))
            .join(','),
        ]
      : []),
  ];
  const cells = planCells(scenarios, implementations, filter).map((c) => (runArgs.length ? { ...c, runArgs } : c));
  const scenarioFiles = new Map(scenarios.map((s) => [s.id, scenarioFile(scenariosDir, s.id)]));
  return { scenarios, drivers, releases, implementations, baseline, cells, scenarioFiles };
}
