/**
 * A local build given as a release (an SDK's own CI testing unreleased code): an npm package
 * folder or tarball, a Python wheel or sdist. Read here: what it is, the version its metadata
 * declares, and a short hash that keeps two different builds of one version apart.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import semver from 'semver';
import type { SdkDeclaration } from '../vocabulary/driver.js';

export type LocalKind = 'folder' | 'tarball' | 'wheel' | 'sdist';

export interface LocalBuild {
  kind: LocalKind;
  /** Absolute path. */
  path: string;
  /** As its metadata declares it. */
  declared: string;
  /** `<declared>+local.<hash>`: semver build metadata, so release ranges still apply to it. */
  version: string;
  hash: string;
}

export class LocalBuildError extends Error {}

function expandHome(path: string): string {
  return path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
}

/** PEP 427/625 file names: `mcp-1.31.0-py3-none-any.whl`, `mcp-1.31.0.tar.gz`. */
export function pythonFileVersion(file: string, pkg: string): string | undefined {
  const name = pkg.replace(/[-_.]+/g, '_').toLowerCase();
  const m = /^([A-Za-z0-9_.]+?)-(\d+\.\d+\.\d+[A-Za-z0-9.+!-]*?)(?:-.+\.whl|\.tar\.gz|\.zip)$/.exec(basename(file));
  if (!m || m[1]!.replace(/[-_.]+/g, '_').toLowerCase() !== name) return undefined;
  return m[2];
}

function npmPackageJson(kind: LocalKind, path: string): { name?: string; version?: string } {
  if (kind === 'folder') {
    const file = join(path, 'package.json');
    if (!existsSync(file)) throw new LocalBuildError(`${path}: no package.json (expected an npm package folder)`);
    return JSON.parse(readFileSync(file, 'utf8'));
  }
  const r = spawnSync('tar', ['-xzOf', path, 'package/package.json'], { encoding: 'utf8' });
  if (r.status !== 0)
    throw new LocalBuildError(
      `${path}: cannot read package/package.json from the tarball (${(r.stderr || r.error?.message || '').trim()})`,
    );
  return JSON.parse(r.stdout);
}

function hashOf(kind: LocalKind, path: string): string {
  const h = createHash('sha256');
  // A folder is installed by reference (its later builds are seen), so its path is its identity;
  // an archive is identified by its bytes.
  if (kind === 'folder') h.update(realpathSync(path));
  else h.update(readFileSync(path));
  return h.digest('hex').slice(0, 8);
}

/**
 * A PEP 440 version as semver, for ranges: `1.31.0rc1` → `1.31.0-rc.1`, `1.30.1.dev3+g1a2b3c4` →
 * `1.30.1-dev.3` (what `uv build` names an untagged commit). Undefined when it is neither.
 */
export function pep440ToSemver(v: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:[.-]?(a|b|rc)[.-]?(\d+))?(?:[.-]?post[.-]?(\d+))?(?:[.-]?dev[.-]?(\d+))?(?:\+[a-z0-9.]+)?$/i.exec(v);
  if (!m) return undefined;
  const [, major, minor, patch, pre, preN, , dev] = m;
  const tags = [...(pre ? [pre.toLowerCase(), preN] : []), ...(dev ? ['dev', dev] : [])];
  return `${major}.${minor}.${patch}${tags.length ? `-${tags.join('.')}` : ''}`;
}

export function readLocalBuild(sdk: SdkDeclaration, given: string, cwd = process.cwd()): LocalBuild {
  const path = resolve(cwd, expandHome(given));
  if (!existsSync(path)) throw new LocalBuildError(`${given}: no such file or folder`);
  const isDir = statSync(path).isDirectory();
  let kind: LocalKind;
  let declared: string | undefined;
  if (sdk.registry === 'npm') {
    if (!isDir && !/\.(tgz|tar\.gz)$/.test(path))
      throw new LocalBuildError(`${given}: expected an npm package folder or a tarball (.tgz) for ${sdk.package}`);
    kind = isDir ? 'folder' : 'tarball';
    const pkg = npmPackageJson(kind, path);
    if (pkg.name !== sdk.package) throw new LocalBuildError(`${given}: is package "${pkg.name ?? '(no name)'}", not ${sdk.package}`);
    declared = pkg.version;
  } else {
    if (isDir)
      throw new LocalBuildError(
        `${given}: expected a wheel (.whl) or an sdist (.tar.gz) of ${sdk.package}; build one with \`uv build\` or \`python -m build\``,
      );
    kind = path.endsWith('.whl') ? 'wheel' : 'sdist';
    declared = pythonFileVersion(path, sdk.package);
    if (!declared)
      throw new LocalBuildError(
        `${given}: the file name is not a ${kind} of ${sdk.package} (expected ${sdk.package}-<version>${kind === 'wheel' ? '-<tags>.whl' : '.tar.gz'})`,
      );
  }
  const parsed = declared ? semver.parse(sdk.registry === 'pypi' ? (pep440ToSemver(declared) ?? '') : declared) : null;
  if (!parsed) throw new LocalBuildError(`${given}: its version "${declared ?? ''}" is not a semver version`);
  const hash = hashOf(kind, path);
  const base = `${parsed.major}.${parsed.minor}.${parsed.patch}${parsed.prerelease.length ? `-${parsed.prerelease.join('.')}` : ''}`;
  return { kind, path, declared: declared!, version: `${base}+local.${hash}`, hash };
}
