/**
 * The cache of side-by-side SDK installs (and of registry answers): `.cache/` in a checkout of the
 * project, the user's cache folder when the harness is installed as a package (so that installs
 * never land inside node_modules), or wherever $MCP_INTEROP_CACHE points.
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, sep } from 'node:path';
import lockfile from 'proper-lockfile';
import { ROOT } from '../paths.js';

export const CACHE_ENV = 'MCP_INTEROP_CACHE';

export function cacheRoot(env: NodeJS.ProcessEnv = process.env, root = ROOT): string {
  if (env[CACHE_ENV]) return env[CACHE_ENV];
  // The project's own folder, except when installed as a package: then never inside node_modules.
  if (!root.split(sep).includes('node_modules')) return join(root, '.cache');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mcp-interop');
}

/** The folder of one release's install: <cache>/sdks/<sdk>/<version or local key>. */
export function installDir(sdkId: string, key: string, cache = cacheRoot()): string {
  return join(cache, 'sdks', sdkId, key);
}

/** How long a second run waits for a first one installing the same release. */
const LOCK_WAIT_MS = 10 * 60_000;

/**
 * Runs `fn` holding an exclusive lock on `path` (another process installing the same release
 * waits; a crashed holder's lock goes stale after 30 s without updates).
 */
export async function withLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(join(path, '..'), { recursive: true });
  const release = await lockfile.lock(path, {
    realpath: false,
    stale: 30_000,
    update: 5_000,
    retries: { retries: Math.ceil(LOCK_WAIT_MS / 1000), factor: 1, minTimeout: 1000, maxTimeout: 1000 },
  });
  try {
    return await fn();
  } finally {
    await release().catch(() => {});
  }
}
