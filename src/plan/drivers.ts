/**
 * The driver registry: every drivers/<impl>/driver.json, validated. Adding an SDK is adding a
 * folder with a driver.json (contract: drivers/README.md).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DRIVERS_DIR, ROOT } from '../paths.js';
import { issueLines, ScenarioError } from '../scenario/load.js';
import { DriverManifest } from '../vocabulary/driver.js';

export function loadDrivers(dir = DRIVERS_DIR): DriverManifest[] {
  const drivers: DriverManifest[] = [];
  const problems: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name, 'driver.json');
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const shown = relative(process.cwd(), file);
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
    drivers.push(parsed.data);
  }
  if (problems.length) throw new ScenarioError(problems);
  return drivers.sort((a, b) => a.id.localeCompare(b.id));
}

/** The argv prefix of a driver side, with {root} resolved. */
export function driverCommand(driver: DriverManifest, role: 'client' | 'server'): string[] {
  return driver[role].command.map((part) => part.replaceAll('{root}', ROOT));
}
