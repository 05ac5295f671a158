/**
 * The driver registry: every drivers/<folder>/driver.json, validated. Adding an SDK (or another
 * way of using one) is adding a folder with a driver.json (contract: drivers/README.md).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DRIVERS_DIR } from '../paths.js';
import { issueLines, ScenarioError } from '../scenario/load.js';
import { DriverManifest } from '../vocabulary/driver.js';

/** A manifest and the folder it came from ({driver} in its commands). */
export interface DriverFolder {
  dir: string;
  manifest: DriverManifest;
}

export function loadDrivers(dirs: string[] = [DRIVERS_DIR]): DriverFolder[] {
  const drivers: DriverFolder[] = [];
  const problems: string[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) {
      problems.push(`${relative(process.cwd(), dir) || dir}: no such driver folder`);
      continue;
    }
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = join(dir, entry.name, 'driver.json');
      if (!entry.isDirectory() || !existsSync(file)) continue;
      const shown = relative(process.cwd(), file) || file;
      let data: unknown;
      try {
        data = JSON.parse(readFileSync(file, 'utf8'));
      } catch (err) {
        problems.push(`${shown}: ${(err as Error).message}`);
        continue;
      }
      const parsed = DriverManifest.safeParse(data);
      if (!parsed.success) {
        problems.push(...issueLines(parsed.error, data).map((line) => `${shown}: ${line}`));
        continue;
      }
      drivers.push({ dir: join(dir, entry.name), manifest: parsed.data });
    }
  }
  // Names must be unique across folders: they are what cell ids and filters say.
  const seen = new Map<string, string>();
  for (const d of drivers) {
    for (const impl of d.manifest.implementations) {
      const other = seen.get(impl.id);
      if (other)
        problems.push(`${relative(process.cwd(), join(d.dir, 'driver.json'))}: implementation "${impl.id}" is also declared in ${other}`);
      else seen.set(impl.id, relative(process.cwd(), join(d.dir, 'driver.json')));
    }
    const sdkIds = drivers.filter((o) => o.manifest.sdk && o.manifest.sdk.id === d.manifest.sdk?.id);
    if (sdkIds.length > 1 && sdkIds[0] === d)
      problems.push(
        `${relative(process.cwd(), join(d.dir, 'driver.json'))}: sdk.id "${d.manifest.sdk!.id}" is declared by several driver folders`,
      );
  }
  if (problems.length) throw new ScenarioError(problems);
  return drivers.sort((a, b) => a.dir.localeCompare(b.dir));
}
