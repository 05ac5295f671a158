/**
 * Side-by-side installs of SDK releases in the cache: one node_modules per npm release, one
 * Python environment per PyPI release, made the first time a run needs it and reused afterwards.
 * A lock per release makes two runs that start at once share one install; a marker written last
 * means a half-made install (killed, failed) is redone, never used.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SdkDeclaration } from '../vocabulary/driver.js';
import { cacheRoot, installDir, withLock } from './cache.js';
import type { LocalBuild } from './local-build.js';
import { createEnv, pythonOutput } from './python-env.js';

export class InstallError extends Error {}

const MARKER = '.mcp-interop-installed.json';

export interface InstallRequest {
  sdk: SdkDeclaration;
  /** A registry release, or a local build. */
  version: string;
  local?: LocalBuild;
  /** PyPI: install this requirements file (every dependency pinned) instead of `<package>==<version>`. */
  requirements?: string;
}

export interface InstallOptions {
  cache?: string;
  /** Progress lines ("installing ts@1.29.0 ...", "ready in 3.2 s"). */
  say?: (line: string) => void;
}

function cacheKey(req: InstallRequest): string {
  return req.local ? `local-${req.local.hash}` : req.version;
}

/** Where the drivers find the release ({sdk}): npm: the node_modules folder; PyPI: the environment. */
export function sdkDirOf(sdk: SdkDeclaration, dir: string): string {
  return sdk.registry === 'npm' ? join(dir, 'node_modules') : dir;
}

/** Releases installed in the cache: version (or local key) → install info. */
export function installedReleases(sdk: SdkDeclaration, cache = cacheRoot()): Map<string, { version: string; installedAt: string }> {
  const out = new Map<string, { version: string; installedAt: string }>();
  const dir = join(cache, 'sdks', sdk.id);
  if (!existsSync(dir)) return out;
  for (const key of readdirSync(dir)) {
    const marker = join(dir, key, MARKER);
    if (existsSync(marker)) out.set(key, JSON.parse(readFileSync(marker, 'utf8')));
  }
  return out;
}

function isInstalled(dir: string): boolean {
  return existsSync(join(dir, MARKER));
}

function npmInstall(dir: string, req: InstallRequest): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'mcp-interop-sdk-release', private: true }, null, 2)}\n`);
  const target = req.local ? req.local.path : `${req.sdk.package}@${req.version}`;
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--ignore-scripts', '--loglevel=error', target], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (r.error || r.status !== 0) {
    throw new InstallError(
      `npm install ${target} failed: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-6).join('\n')}`,
    );
  }
  const pkgFile = join(dir, 'node_modules', req.sdk.package, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version?: string; exports?: Record<string, unknown> };
  const declared = req.local?.declared ?? req.version;
  if (pkg.version !== declared) throw new InstallError(`${pkgFile} says version ${pkg.version}, expected ${declared}`);
  if (!pkg.exports || !('./experimental/tasks' in pkg.exports)) {
    throw new InstallError(`${req.sdk.package} ${declared} has no tasks API (no "./experimental/tasks" export)`);
  }
}

function pypiInstall(dir: string, req: InstallRequest): void {
  const target = req.local ? req.local.path : `${req.sdk.package}==${req.version}`;
  mkdirSync(dirname(dir), { recursive: true });
  createEnv(dir, req.requirements ? ['-r', req.requirements] : [target]);
  let found: string;
  try {
    found = pythonOutput(
      dir,
      `import importlib.metadata as m; import mcp.server.experimental.task_support, mcp.client.experimental.tasks; print(m.version(${JSON.stringify(req.sdk.package)}))`,
    );
  } catch (err) {
    throw new InstallError(`${target} has no tasks API: ${(err as Error).message}`);
  }
  const declared = req.local?.declared ?? req.version;
  if (found !== declared) throw new InstallError(`${target}: the installed ${req.sdk.package} says version ${found}, expected ${declared}`);
}

function describe(req: InstallRequest): string {
  return req.local ? `${req.sdk.id}@${req.local.declared} (local ${req.local.kind} ${req.local.path})` : `${req.sdk.id}@${req.version}`;
}

/** The install folder of a release, installing it first when the cache does not have it. */
export async function ensureInstalled(req: InstallRequest, opts: InstallOptions = {}): Promise<string> {
  const dir = installDir(req.sdk.id, cacheKey(req), opts.cache);
  // A folder build is installed by reference; anything else is immutable once installed.
  if (isInstalled(dir)) return sdkDirOf(req.sdk, dir);
  return withLock(dir, async () => {
    if (isInstalled(dir)) return sdkDirOf(req.sdk, dir);
    const started = Date.now();
    opts.say?.(`installing ${describe(req)} into ${dir} ...`);
    rmSync(dir, { recursive: true, force: true });
    try {
      if (req.sdk.registry === 'npm') npmInstall(dir, req);
      else pypiInstall(dir, req);
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err instanceof InstallError ? err : new InstallError(`${describe(req)}: ${(err as Error).message}`);
    }
    writeFileSync(
      join(dir, MARKER),
      `${JSON.stringify({ package: req.sdk.package, version: req.local?.version ?? req.version, installedAt: new Date().toISOString(), source: req.local?.path ?? 'registry' }, null, 2)}\n`,
    );
    opts.say?.(`${describe(req)} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return sdkDirOf(req.sdk, dir);
  });
}
