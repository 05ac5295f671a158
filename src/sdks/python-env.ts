/**
 * Python environments for the Python SDK drivers: finding a usable interpreter, and creating an
 * environment with given requirements (with uv when the project has it, which takes a second or
 * two; with venv + pip otherwise). Shared by `npm install` (the project's .venv) and the release
 * cache (one environment per mcp release).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../paths.js';

export const MIN_PYTHON = [3, 10] as const;

export class PythonEnvError extends Error {}

export interface Python {
  cmd: string;
  version: string;
  executable: string;
}

/** $PYTHON if set, else python3, else python; it must be >= 3.10. */
export function findPython(env: NodeJS.ProcessEnv = process.env): Python {
  const candidates = env.PYTHON ? [env.PYTHON] : ['python3', 'python'];
  const tried: string[] = [];
  for (const cmd of candidates) {
    const r = spawnSync(cmd, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3]); print(sys.executable)'], { encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      tried.push(`${cmd} (${r.error ? ((r.error as NodeJS.ErrnoException).code ?? r.error.message) : `exit ${r.status}`})`);
      continue;
    }
    const [version = '', executable = ''] = r.stdout.trim().split('\n');
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
      tried.push(`${cmd} is Python ${version} (${executable})`);
      continue;
    }
    return { cmd, version, executable };
  }
  throw new PythonEnvError(
    `python3 >= ${MIN_PYTHON.join('.')} is required to run the Python SDK drivers: found ${tried.join('; ') || 'nothing'}` +
      (env.PYTHON ? ' (from $PYTHON)' : '. Install it, or point $PYTHON at one.'),
  );
}

export function venvPython(dir: string): string {
  return process.platform === 'win32' ? join(dir, 'Scripts', 'python.exe') : join(dir, 'bin', 'python');
}

/** uv from the project's .venv (drivers/python/requirements-dev.txt), else from PATH; undefined when neither. */
export function findUv(): string | undefined {
  const local = join(ROOT, '.venv', 'bin', 'uv');
  if (existsSync(local)) return local;
  const r = spawnSync('uv', ['--version'], { encoding: 'utf8' });
  return r.error || r.status !== 0 ? undefined : 'uv';
}

function run(cmd: string, args: string[], what: string, quiet: boolean): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: quiet ? 'pipe' : 'inherit', env: { ...process.env, UV_NO_PROGRESS: '1' } });
  if (r.error || r.status !== 0) {
    const output = quiet ? `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-8).join('\n') : '';
    throw new PythonEnvError(
      `${what} failed (${r.error ? r.error.message : `exit ${r.status ?? r.signal}`})${output ? `:\n${output}` : ''}`,
    );
  }
}

/**
 * Creates a Python environment at `dir` (which must not exist) and installs `args` into it: pip
 * arguments such as `-r requirements.txt`, `mcp==1.27.2` or a wheel path.
 */
export function createEnv(
  dir: string,
  args: string[],
  opts: { python?: Python; quiet?: boolean; preferUv?: boolean } = {},
): { installer: 'uv' | 'pip' } {
  const python = opts.python ?? findPython();
  const quiet = opts.quiet ?? true;
  const uv = opts.preferUv === false ? undefined : findUv();
  if (uv) {
    run(uv, ['venv', '--quiet', '--python', python.executable, dir], 'uv venv', quiet);
    // Compile bytecode at install time as pip does: drivers run with PYTHONDONTWRITEBYTECODE, so an
    // uncompiled environment would recompile the SDK and its dependencies at every process start.
    run(uv, ['pip', 'install', '--quiet', '--compile-bytecode', '--python', venvPython(dir), ...args], 'uv pip install', quiet);
    return { installer: 'uv' };
  }
  run(
    python.cmd,
    ['-m', 'venv', dir],
    `${python.cmd} -m venv (the Python "venv" module with pip is required; Debian/Ubuntu: apt-get install python3-venv)`,
    quiet,
  );
  run(venvPython(dir), ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', '--no-input', ...args], 'pip install', quiet);
  return { installer: 'pip' };
}

/** Runs Python code in an environment; returns its stdout, or throws with the reason. */
export function pythonOutput(dir: string, code: string): string {
  const r = spawnSync(venvPython(dir), ['-c', code], { encoding: 'utf8' });
  if (r.error || r.status !== 0)
    throw new PythonEnvError((r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-3).join('\n'));
  return r.stdout.trim();
}
