#!/usr/bin/env node
// `npm run check`: the project's own checks, each reported on one line, all run even when one
// fails (exit 1 then). TypeScript: Biome (lint + format) and tsc over everything (tests and
// scripts included); Python drivers: ruff (lint + format) and mypy, with the tools from .venv;
// GitHub workflow files: actionlint, when it is on PATH (CI installs it).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const venv = (name) => join(root, '.venv', 'bin', name);
const py = join(root, 'drivers', 'python');

const checks = [
  ['biome (lint + format)', bin('biome'), ['ci', '--colors=off', '.']],
  ['tsc (src, drivers, scripts, test)', bin('tsc'), ['-p', 'tsconfig.check.json']],
  ['ruff check (drivers/python)', venv('ruff'), ['check', py]],
  ['ruff format (drivers/python)', venv('ruff'), ['format', '--check', py]],
  ['mypy (drivers/python)', venv('mypy'), ['--config-file', join(py, 'pyproject.toml'), py]],
];
const actionlint = spawnSync('actionlint', ['-version'], { encoding: 'utf8' });
if (!actionlint.error) checks.push(['actionlint (.github, action.yml)', 'actionlint', []]);

let failed = 0;
for (const [name, cmd, args] of checks) {
  if (cmd.startsWith(root) && !existsSync(cmd)) {
    console.log(`✗ ${name}: ${cmd} is missing (run npm install)`);
    failed++;
    continue;
  }
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8' });
  const took = `${((Date.now() - started) / 1000).toFixed(1)}s`;
  if (r.status === 0) {
    console.log(`✓ ${name} ${took}`);
  } else {
    failed++;
    console.log(`✗ ${name} ${took}`);
    process.stdout.write(`${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `${r.error.message}\n` : ''}`);
  }
}
if (actionlint.error) console.log('- actionlint: not on PATH, skipped (CI installs it)');
process.exitCode = failed ? 1 : 0;
