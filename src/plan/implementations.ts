/**
 * Matrix implementations: a driver folder's declared way of using its SDK (an API flavor: `ts`,
 * `ts-mcp`, `py`, the SDK-less `raw`), at one release of that SDK. Cells are client
 * implementation × server implementation × transport.
 */
import semver from 'semver';
import { ROOT } from '../paths.js';
import type { Release } from '../sdks/resolve.js';
import { DRIVER_ENV, type DriverSide, type ImplementationDeclaration, type Role } from '../vocabulary/driver.js';
import type { DriverFolder } from './drivers.js';

export interface Implementation {
  /** The declared name: `ts-mcp`. */
  name: string;
  /** As cell ids show it: `ts-mcp`, or `ts-mcp@1.29.0` when the run has several releases of the SDK or not the pinned one. */
  label: string;
  decl: ImplementationDeclaration;
  driver: DriverFolder;
  /** Absent for implementations without an SDK (raw). */
  release?: Release;
}

/** Label rule: `@version` only where it tells something (several releases, or not the pinned one). */
export function labelOf(name: string, release: Release | undefined, releasesOfSdk: number): string {
  if (!release || (releasesOfSdk === 1 && release.pinned)) return name;
  return `${name}@${release.version}`;
}

/** Every implementation of every driver folder at every release of its SDK the run uses. */
export function implementationsOf(drivers: DriverFolder[], releases: Map<string, Release[]>): Implementation[] {
  const out: Implementation[] = [];
  for (const driver of drivers) {
    const sdk = driver.manifest.sdk;
    const rels = sdk ? (releases.get(sdk.id) ?? []) : [undefined];
    for (const decl of driver.manifest.implementations) {
      for (const release of rels) out.push({ name: decl.id, label: labelOf(decl.id, release, rels.length), decl, driver, release });
    }
  }
  return out;
}

export function side(impl: Implementation, role: Role): DriverSide | undefined {
  return impl.decl[role];
}

/** The reason `impl` cannot express `feature` as `role` at its release, if it cannot. */
export function cannotReason(impl: Implementation, role: Role, feature: string): string | undefined {
  const reason = side(impl, role)?.cannot[feature];
  if (reason === undefined) return undefined;
  if (typeof reason === 'string') return reason;
  const version = impl.release?.version;
  return version && semver.satisfies(version, reason.releases, { includePrerelease: true }) ? reason.reason : undefined;
}

/** The argv prefix of one side, placeholders resolved. */
export function implCommand(impl: Implementation, role: Role): string[] {
  const s = side(impl, role);
  if (!s) throw new Error(`implementation ${impl.name} has no ${role} side`);
  return s.command.map((part) =>
    part
      .replaceAll('{root}', ROOT)
      .replaceAll('{driver}', impl.driver.dir)
      .replaceAll('{sdk}', impl.release?.dir ?? '{sdk}'),
  );
}

/** The contract's environment for a driver process of this implementation. */
export function implEnv(impl: Implementation): Record<string, string> {
  return {
    // Drivers run from the harness's folder, which may be an installed package: Python writes no __pycache__ into it.
    PYTHONDONTWRITEBYTECODE: '1',
    [DRIVER_ENV.impl]: impl.label,
    [DRIVER_ENV.implName]: impl.name,
    ...(impl.release ? { [DRIVER_ENV.sdkVersion]: impl.release.version, [DRIVER_ENV.sdkDir]: impl.release.dir } : {}),
  };
}

/** `@modelcontextprotocol/sdk 1.32.2`, `… 1.32.2+local.3fa2b1c0 (local folder ../typescript-sdk)`. */
export function releaseText(release: Release): string {
  const local = release.local ? ` (local ${release.local.kind} ${release.arg})` : '';
  return `${release.sdk.package} ${release.version}${local}`;
}
