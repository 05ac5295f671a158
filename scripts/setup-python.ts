/**
 * `npm install` (the `prepare` script, after the build): sets up the project's Python
 * environment .venv/ for the Python SDK drivers, with the pinned mcp and the project's Python tools.
 *
 * - Python: $PYTHON if set, otherwise python3 (then python) from PATH; it must be >= 3.10.
 * - A stamp (both requirements files + the Python version) makes a second run a no-op; a
 *   different stamp rebuilds .venv from scratch.
 * - MCP_INTEROP_SKIP_PYTHON=1 skips the whole setup (the pinned Python release is then installed
 *   into the release cache the first time a run needs it).
 *
 * Other mcp releases are not installed here: the release cache gets them on demand
 * (`mcp-interop sdks install py@1.27.2`).
 */
import { relative } from 'node:path';
import { ROOT } from '../src/paths.js';
import { DEV_REQUIREMENTS, ensureRequirementsEnv, PROJECT_VENV, REQUIREMENTS } from '../src/sdks/project-venv.js';
import { findPython, PythonEnvError, pythonOutput } from '../src/sdks/python-env.js';

const say = (msg: string) => console.log(`setup-python: ${msg}`);

function main(): void {
  if (process.env.MCP_INTEROP_SKIP_PYTHON === '1') {
    say('skipped (MCP_INTEROP_SKIP_PYTHON=1)');
    return;
  }
  const python = findPython();
  const shown = [REQUIREMENTS, DEV_REQUIREMENTS].map((f) => relative(ROOT, f)).join(' and ');
  const started = Date.now();
  say(`checking .venv (Python ${python.version}, ${shown}) ...`);
  // pip, not uv: uv itself is one of the tools this environment installs.
  const what = ensureRequirementsEnv(PROJECT_VENV, [REQUIREMENTS, DEV_REQUIREMENTS], python, { quiet: false, preferUv: false });
  if (what === 'current') {
    say('.venv is up to date');
    return;
  }
  const mcp = pythonOutput(PROJECT_VENV, 'import mcp.server.experimental.task_support, importlib.metadata as m; print(m.version("mcp"))');
  say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s: .venv has mcp ${mcp} for the Python SDK drivers`);
}

try {
  main();
} catch (err) {
  console.error(`setup-python: ${err instanceof PythonEnvError || err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
