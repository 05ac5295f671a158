/**
 * Which releases of an SDK its registry serves (npm, PyPI), and which of them are task-capable.
 * Answers are cached for an hour under <cache>/registry/, and reused when the registry cannot be
 * reached (with a note), so a second run needs no network for releases it already knows.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import semver from 'semver';
import type { SdkDeclaration } from '../vocabulary/driver.js';
import { cacheRoot } from './cache.js';

export class RegistryError extends Error {}

const FRESH_MS = 60 * 60_000;
const TIMEOUT_MS = 15_000;

function npmRegistry(env: NodeJS.ProcessEnv): string {
  return (env.npm_config_registry || 'https://registry.npmjs.org/').replace(/\/?$/, '/');
}

function pypiBase(env: NodeJS.ProcessEnv): string {
  return (env.MCP_INTEROP_PYPI_URL || 'https://pypi.org').replace(/\/$/, '');
}

export function registryUrl(sdk: SdkDeclaration, env: NodeJS.ProcessEnv = process.env): string {
  return sdk.registry === 'npm' ? `${npmRegistry(env)}${sdk.package.replace('/', '%2f')}` : `${pypiBase(env)}/pypi/${sdk.package}/json`;
}

/** Final releases (X.Y.Z) from a registry's package document; pre-releases and yanked files are left out. */
export function versionsFromDocument(registry: SdkDeclaration['registry'], doc: unknown): string[] {
  const d = doc as { versions?: Record<string, unknown>; releases?: Record<string, { yanked?: boolean }[]> };
  const names =
    registry === 'npm'
      ? Object.keys(d.versions ?? {})
      : Object.entries(d.releases ?? {})
          .filter(([, files]) => files.length > 0 && files.some((f) => !f.yanked))
          .map(([v]) => v);
  return names.filter((v) => /^\d+\.\d+\.\d+$/.test(v) && semver.valid(v)).sort(semver.compare);
}

async function fetchJson(url: string, registry: SdkDeclaration['registry']): Promise<unknown> {
  const headers: Record<string, string> = registry === 'npm' ? { accept: 'application/vnd.npm.install-v1+json' } : {};
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!res.ok) throw new RegistryError(`${url} answered HTTP ${res.status}`);
  return res.json();
}

/** Every final release the registry serves, newest last. */
export async function publishedVersions(
  sdk: SdkDeclaration,
  opts: { cache?: string; refresh?: boolean; note?: (m: string) => void } = {},
): Promise<string[]> {
  const file = join(opts.cache ?? cacheRoot(), 'registry', `${sdk.id}.json`);
  const cached = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { fetchedAt: number; versions: string[] }) : undefined;
  if (cached && !opts.refresh && Date.now() - cached.fetchedAt < FRESH_MS) return cached.versions;
  const url = registryUrl(sdk);
  try {
    const versions = versionsFromDocument(sdk.registry, await fetchJson(url, sdk.registry));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ fetchedAt: Date.now(), url, versions }));
    return versions;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (cached) {
      opts.note?.(
        `${sdk.package}: the registry could not be reached (${why}); using the release list from ${new Date(cached.fetchedAt).toISOString()}`,
      );
      return cached.versions;
    }
    throw new RegistryError(`cannot list the releases of ${sdk.package} from ${url}: ${why}`);
  }
}

/** The task-capable ones among `versions`. */
export function taskCapable(sdk: SdkDeclaration, versions: readonly string[]): string[] {
  return versions.filter((v) => semver.satisfies(v, sdk.tasks));
}
