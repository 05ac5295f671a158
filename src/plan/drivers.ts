/**
 * The driver registry: every drivers/<folder>/driver.json, validated. Adding an SDK (or another
 * way of using one) is adding a folder with a driver.json (contract: drivers/README.md).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DRIVERS_DIR } from '../paths.js';
import { issueLines, readYamlDoc, ScenarioError } from '../scenario/load.js';
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
      let read: ReturnType<typeof readYamlDoc>;
      try {
        // JSON is YAML: the YAML reader gives line numbers for the problems.
        read = readYamlDoc(file, shown);
      } catch (err) {
        if (err instanceof ScenarioError) problems.push(...err.problems);
        else throw err;
        continue;
      }
      const parsed = DriverManifest.safeParse(read.data);
      if (!parsed.success) {
        problems.push(...issueLines(parsed.error, read.data, { shown, lineOf: read.lineOf }));
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
