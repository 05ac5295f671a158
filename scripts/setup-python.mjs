#!/usr/bin/env node
// Sets up the project-local Python environment of the Python SDK drivers: <root>/.venv with
// drivers/python/requirements.txt installed (mcp pinned exactly, and all its dependencies), plus
// the project's own Python tools (drivers/python/requirements-dev.txt: ruff, mypy, uv).
// Runs from `npm install` (the `prepare` script). Node builtins only.
//
//   node scripts/setup-python.mjs
//
// - Python: $PYTHON if set, otherwise python3 (then python) from PATH; it must be >= 3.10.
// - A stamp (.venv/.requirements.sha256: both requirements files + the Python version) makes a second
//   run a no-op; a different stamp rebuilds .venv from scratch.
// - MCP_INTEROP_SKIP_PYTHON=1 skips the whole setup (the Python drivers then cannot run).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIN = [3, 10];
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.venv');
const requirements = join(root, 'drivers', 'python', 'requirements.txt');
const devRequirements = join(root, 'drivers', 'python', 'requirements-dev.txt');
const stampFile = join(venv, '.requirements.sha256');
const venvPython = process.platform === 'win32' ? join(venv, 'Scripts', 'python.exe') : join(venv, 'bin', 'python');
const say = (msg) => console.log(`setup-python: ${msg}`);

function fail(msg) {
  console.error(`setup-python: ${msg}`);
  process.exit(1);
}

if (process.env.MCP_INTEROP_SKIP_PYTHON === '1') {
  say('skipped (MCP_INTEROP_SKIP_PYTHON=1); the Python SDK drivers will not run');
  process.exit(0);
}

/** The first usable interpreter: {cmd, version: [maj, min, patch], executable}, or a reason. */
function findPython() {
  const candidates = process.env.PYTHON ? [process.env.PYTHON] : ['python3', 'python'];
  const tried = [];
  for (const cmd of candidates) {
    const r = spawnSync(cmd, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3]); print(sys.executable)'], {
      encoding: 'utf8',
    });
    if (r.error || r.status !== 0) {
      tried.push(`${cmd} (${r.error ? (r.error.code ?? r.error.message) : `exit ${r.status}`})`);
      continue;
    }
    const [v, executable] = r.stdout.trim().split('\n');
    const version = v.split('.').map(Number);
    if (version[0] < MIN[0] || (version[0] === MIN[0] && version[1] < MIN[1])) {
      tried.push(`${cmd} is Python ${v} (${executable})`);
      if (process.env.PYTHON) break;
      continue;
    }
    return { cmd, version, executable };
  }
  fail(
    `python3 >= ${MIN.join('.')} is required to run the Python SDK drivers: found ${tried.join('; ') || 'nothing'}` +
      (process.env.PYTHON ? ' (from $PYTHON)' : '. Install it, or point $PYTHON at one.'),
  );
}

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.error || r.status !== 0) {
    return `${what} failed (${r.error ? r.error.message : `exit ${r.status ?? r.signal}`})`;
  }
  return null;
}

const python = findPython();
const pyVersion = python.version.join('.');
if (!existsSync(requirements)) fail(`${relative(root, requirements)} is missing`);
const stamp = createHash('sha256').update(readFileSync(requirements)).update(`\npython ${pyVersion}\n`).digest('hex');

if (existsSync(venvPython) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === stamp) {
  say(`.venv is up to date (Python ${pyVersion}, ${relative(root, requirements)} unchanged)`);
  process.exit(0);
}

const started = Date.now();
if (existsSync(venv)) {
  say('requirements or Python changed: rebuilding .venv from scratch');
  rmSync(venv, { recursive: true, force: true });
}
say(`creating .venv with Python ${pyVersion} (${python.executable})`);
let err = run(python.cmd, ['-m', 'venv', venv], `${python.cmd} -m venv`);
if (err || !existsSync(venvPython)) {
  rmSync(venv, { recursive: true, force: true });
  fail(
    `${err ?? 'the venv has no python'}: the Python "venv" module with pip (ensurepip) is required ` +
      '(Debian/Ubuntu: apt-get install python3-venv)',
  );
}
say(`installing ${relative(root, requirements)} (pip -q) ...`);
err = run(venvPython, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', '--no-input', '-r', requirements], 'pip install');
if (err) fail(`${err}; .venv is incomplete and will be rebuilt on the next run`);
err = run(
  venvPython,
  ['-c', 'import mcp.server.experimental.task_support, mcp.client.experimental.tasks, uvicorn, starlette'],
  'checking the installed SDK',
);
if (err) fail(`${err}: the installed mcp has no tasks API`);
writeFileSync(stampFile, `${stamp}\n`);
say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s: .venv is ready for the Python SDK drivers`);
