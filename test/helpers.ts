/** Test helpers: temporary folders and scenario text. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix = 'mcp-interop-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeFile(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** A minimal valid scenario; `patch` replaces whole top-level sections by YAML text. */
export function scenarioYaml(id: string, patch: { server?: string; client?: string; extra?: string } = {}): string {
  return [
    `id: ${id}`,
    'title: A test scenario',
    'spec: [creating-tasks]',
    patch.extra ?? '',
    patch.server ??
      `server:
  tools:
    - name: t
      execution: { taskSupport: optional }
      actions:
        - complete: [{ type: text, text: ok }]`,
    patch.client ??
      `client:
  steps:
    - callTask: t
      ttl: 1000
      as: a
    - poll: a`,
  ].join('\n');
}

import { type DriverFolder, loadDrivers } from '../src/plan/drivers.js';
import { type Implementation, implementationsOf } from '../src/plan/implementations.js';
import type { Release } from '../src/sdks/resolve.js';
import { resolveReleases } from '../src/sdks/resolve.js';
import type { DriverSide, ImplementationDeclaration } from '../src/vocabulary/driver.js';

/** The project's implementations at their pinned releases (what `npm start` uses by default). */
export async function pinnedImplementations(): Promise<Implementation[]> {
  const drivers = loadDrivers();
  const sdks = drivers.flatMap((d) => (d.manifest.sdk ? [d.manifest.sdk] : []));
  return implementationsOf(drivers, await resolveReleases(sdks, new Map()));
}

/** An implementation made up for planning and reporting tests (no driver runs). */
export function fakeImpl(
  name: string,
  opts: {
    server?: Partial<DriverSide> | null;
    client?: Partial<DriverSide> | null;
    optIn?: boolean;
    version?: string;
    pinned?: boolean;
    sdk?: string;
  } = {},
): Implementation {
  const sideOf = (s: Partial<DriverSide> | null | undefined): DriverSide | undefined =>
    s === null ? undefined : { command: s?.command ?? ['x'], cannot: s?.cannot ?? {} };
  const decl: ImplementationDeclaration = {
    id: name,
    name,
    optIn: opts.optIn ?? false,
    server: sideOf(opts.server),
    client: sideOf(opts.client),
  };
  const sdk = { id: opts.sdk ?? name, package: `pkg-${name}`, registry: 'npm' as const, pinned: '1.0.0', tasks: '>=1.0.0' };
  const driver: DriverFolder = { dir: `/drivers/${name}`, manifest: { language: 'x', sdk, implementations: [decl] } };
  const version = opts.version ?? '1.0.0';
  const release: Release | undefined =
    opts.sdk === '' ? undefined : { sdk, version, pinned: opts.pinned ?? version === '1.0.0', arg: version, dir: '/sdk' };
  const label = release && !release.pinned ? `${name}@${version}` : name;
  return { name, label, decl, driver, release };
}
