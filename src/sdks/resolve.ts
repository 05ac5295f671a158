/**
 * The release axis of a run: for each SDK, the releases asked for (`--ts 1.24.1,latest`, versions
 * named in filters, the pinned one by default), checked (published, task-capable) and installed
 * before any cell runs. Any problem stops the run with a line naming the release and why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import semver from 'semver';
import { ROOT } from '../paths.js';
import type { SdkDeclaration } from '../vocabulary/driver.js';
import { cacheRoot } from './cache.js';
import { ensureInstalled, installedReleases } from './install.js';
import { type LocalBuild, LocalBuildError, readLocalBuild } from './local-build.js';
import { currentProjectVenv, REQUIREMENTS } from './project-venv.js';
import { findPython } from './python-env.js';
import { publishedVersions, taskCapable } from './registry.js';
import type { ReleaseSpec } from './release-spec.js';

/** One release of one SDK, ready for drivers. */
export interface Release {
  sdk: SdkDeclaration;
  /** As cells, reports and baseline ranges use it; a local build's is `<declared>+local.<hash>`. */
  version: string;
  pinned: boolean;
  local?: LocalBuild;
  /** What reproduces this release on the command line (`--ts <arg>`): the version, or the path given. */
  arg: string;
  /** {sdk}: where the drivers find it (npm: a node_modules folder; PyPI: a Python environment). */
  dir: string;
}

export class ReleaseError extends Error {}

export interface ResolveOptions {
  cache?: string;
  say?: (line: string) => void;
  /** At most this many installs at once. */
  parallel?: number;
}

/** The node_modules folder the project itself resolves an npm package from. */
export function projectNodeModules(pkg: string): { dir: string; version: string } {
  const require = createRequire(join(ROOT, 'package.json'));
  let dir: string;
  try {
    // Any exported file will do: its package folder is above it.
    dir = dirname(require.resolve(`${pkg}/types.js`));
  } catch {
    dir = dirname(require.resolve(pkg));
  }
  while (dir !== dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (json.name === pkg) return { dir: join(dir, ...pkg.split('/').map(() => '..')), version: json.version ?? '' };
    }
    dir = dirname(dir);
  }
  throw new ReleaseError(`${pkg} is not installed in the project (run npm install)`);
}

async function pinnedRelease(sdk: SdkDeclaration, opts: ResolveOptions): Promise<Release> {
  const base = { sdk, version: sdk.pinned, pinned: true, arg: sdk.pinned };
  if (sdk.registry === 'npm') {
    const found = projectNodeModules(sdk.package);
    if (found.version !== sdk.pinned)
      throw new ReleaseError(`the project has ${sdk.package} ${found.version}, but ${sdk.pinned} is pinned: run npm install`);
    return { ...base, dir: join(found.dir) };
  }
  // The project's .venv from `npm install`; otherwise (installed as a package, or skipped) the same
  // exact requirements in the cache.
  const venv = currentProjectVenv(findPython());
  if (venv) return { ...base, dir: venv };
  const dir = await ensureInstalled({ sdk, version: sdk.pinned, requirements: REQUIREMENTS }, opts);
  return { ...base, dir };
}

function range(versions: string[]): string {
  return versions.length ? `${versions[0]} … ${versions[versions.length - 1]}` : 'none';
}

/** Turns one SDK's specs into concrete releases (versions or local builds), without installing. */
async function expand(sdk: SdkDeclaration, specs: ReleaseSpec[], opts: ResolveOptions): Promise<Omit<Release, 'dir'>[]> {
  const cache = opts.cache ?? cacheRoot();
  let published: string[] | undefined;
  const registryList = async () => {
    published ??= await publishedVersions(sdk, { cache, note: opts.say });
    return published;
  };
  const out: Omit<Release, 'dir'>[] = [];
  const add = (version: string, arg = version) => out.push({ sdk, version, pinned: version === sdk.pinned, arg });
  for (const spec of specs) {
    switch (spec.kind) {
      case 'pinned':
        add(sdk.pinned);
        break;
      case 'latest':
      case 'all': {
        const capable = taskCapable(sdk, await registryList());
        if (!capable.length)
          throw new ReleaseError(`${sdk.id} ${spec.kind}: the registry serves no task-capable release of ${sdk.package} (${sdk.tasks})`);
        for (const v of spec.kind === 'latest' ? capable.slice(-1) : capable) add(v);
        break;
      }
      case 'version': {
        const v = spec.version;
        if (!semver.satisfies(v, sdk.tasks)) {
          throw new ReleaseError(`${sdk.id}@${v}: ${sdk.package} ${v} has no tasks API (task-capable releases: ${sdk.tasks})`);
        }
        if (v !== sdk.pinned && !installedReleases(sdk, cache).has(v)) {
          const list = await registryList();
          if (!list.includes(v))
            throw new ReleaseError(
              `${sdk.id}@${v}: ${sdk.package} ${v} is not published (task-capable releases: ${range(taskCapable(sdk, list))})`,
            );
        }
        add(v);
        break;
      }
      case 'local': {
        let local: LocalBuild;
        try {
          local = readLocalBuild(sdk, spec.path);
        } catch (err) {
          throw new ReleaseError(`${sdk.id}@${spec.path}: ${err instanceof LocalBuildError ? err.message : (err as Error).message}`);
        }
        // A local build is often a pre-release (1.33.0-beta.1, a .dev wheel): compare its numbers.
        if (!semver.satisfies(local.version, sdk.tasks, { includePrerelease: true })) {
          throw new ReleaseError(
            `${sdk.id}@${spec.path}: the local build declares ${local.declared}, outside the task-capable releases (${sdk.tasks})`,
          );
        }
        out.push({ sdk, version: local.version, pinned: false, local, arg: spec.path });
        break;
      }
    }
  }
  const seen = new Set<string>();
  return out.filter((r) => !seen.has(r.version) && seen.add(r.version)).sort((a, b) => semver.compare(a.version, b.version));
}

async function install(r: Omit<Release, 'dir'>, opts: ResolveOptions): Promise<Release> {
  if (r.pinned) return pinnedRelease(r.sdk, opts);
  try {
    return { ...r, dir: await ensureInstalled({ sdk: r.sdk, version: r.version, local: r.local }, opts) };
  } catch (err) {
    throw new ReleaseError(`${r.sdk.id}@${r.local ? r.arg : r.version}: cannot be installed: ${(err as Error).message}`);
  }
}

/** Runs `fn` over items, at most `n` at a time; the first failure is thrown after all have ended. */
async function inParallel<T, R>(items: T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!);
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  if (errors.length) throw errors[0];
  return results;
}

/** Every SDK's releases for this run (pinned where nothing was asked), installed. */
export async function resolveReleases(
  sdks: SdkDeclaration[],
  asked: Map<string, ReleaseSpec[]>,
  opts: ResolveOptions = {},
): Promise<Map<string, Release[]>> {
  for (const id of asked.keys()) {
    if (!sdks.some((s) => s.id === id))
      throw new ReleaseError(`--${id}: no driver declares an SDK "${id}" (known: ${sdks.map((s) => s.id).join(', ')})`);
  }
  const expanded = new Map<string, Omit<Release, 'dir'>[]>();
  for (const sdk of sdks) expanded.set(sdk.id, await expand(sdk, asked.get(sdk.id) ?? [{ kind: 'pinned' }], opts));
  const flat = [...expanded.values()].flat();
  const installed = await inParallel(flat, opts.parallel ?? 3, (r) => install(r, opts));
  const out = new Map<string, Release[]>();
  for (const r of installed) out.set(r.sdk.id, [...(out.get(r.sdk.id) ?? []), r]);
  return out;
}
