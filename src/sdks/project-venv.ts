/**
 * The project's own Python environment, `.venv/`, made by `npm install`: the pinned mcp with
 * every dependency pinned (drivers/python/requirements.txt), plus the project's Python tools
 * (requirements-dev.txt: ruff, mypy, uv). A stamp of both files and the Python version makes a
 * second `npm install` a no-op.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DRIVERS_DIR, ROOT } from '../paths.js';
import { createEnv, type Python, venvPython } from './python-env.js';

export const PROJECT_VENV = join(ROOT, '.venv');
export const REQUIREMENTS = join(DRIVERS_DIR, 'python', 'requirements.txt');
export const DEV_REQUIREMENTS = join(DRIVERS_DIR, 'python', 'requirements-dev.txt');
const STAMP = '.requirements.sha256';

export function requirementsStamp(python: Python, files: string[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(readFileSync(f));
  return h.update(`\npython ${python.version}\n`).digest('hex');
}

/** True when `dir` is an environment made from exactly these requirement files with this Python. */
export function envIsCurrent(dir: string, stamp: string): boolean {
  const file = join(dir, STAMP);
  return existsSync(venvPython(dir)) && existsSync(file) && readFileSync(file, 'utf8').trim() === stamp;
}

/**
 * Builds `dir` from the requirement files unless it is current; returns what happened.
 * A failed build leaves no half environment behind.
 */
export function ensureRequirementsEnv(
  dir: string,
  files: string[],
  python: Python,
  opts: { quiet?: boolean; preferUv?: boolean } = {},
): 'current' | 'built' {
  const stamp = requirementsStamp(python, files);
  if (envIsCurrent(dir, stamp)) return 'current';
  rmSync(dir, { recursive: true, force: true });
  try {
    createEnv(
      dir,
      files.flatMap((f) => ['-r', f]),
      { python, ...opts },
    );
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  writeFileSync(join(dir, STAMP), `${stamp}\n`);
  return 'built';
}

/** The project's .venv when `npm install` made it and it is current. */
export function currentProjectVenv(python: Python): string | undefined {
  return envIsCurrent(PROJECT_VENV, requirementsStamp(python, [REQUIREMENTS, DEV_REQUIREMENTS])) ? PROJECT_VENV : undefined;
}
