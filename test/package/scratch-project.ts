/**
 * A scratch project outside the checkout for the package test: commands run in it with a
 * deadline (the whole process group is killed when it passes), with an environment free of the
 * npm run that started vitest, and a snapshot of a folder's files to prove nothing was written.
 */
import { spawn } from 'node:child_process';
import { lstatSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  /** For assertion messages: the command and what it printed. */
  text: string;
}

/**
 * The child environment: none of `npm test`'s own npm_* variables (they would point npm at the
 * checkout), none of the interop test filters, no PYTHONDONTWRITEBYTECODE (users do not set it,
 * and it would hide bytecode written into the package), and the given additions.
 */
export function scratchEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_registry', 'npm_config_cache', 'npm_config_userconfig']);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('npm_') && !keep.has(k)) continue;
    if (k.startsWith('MCP_INTEROP_') || k === 'INIT_CWD' || k === 'PYTHONDONTWRITEBYTECODE') continue;
    env[k] = v;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

/** Runs `cmd args` in `cwd`; past `timeoutMs` its whole process group is killed and the code is null. */
export function runIn(cwd: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const head = `$ ${cmd} ${args.join(' ')}  (in ${cwd})${timedOut ? `  — killed after ${timeoutMs} ms` : ''}`;
      resolve({ code: timedOut ? null : code, stdout, stderr, text: `${head}\n${stdout}${stderr}` });
    });
  });
}

/** Every file and folder under `dir` with its size and modification time (`path size mtime`), sorted. */
export function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const st = lstatSync(path);
      out.push(`${relative(dir, path)}${st.isDirectory() ? '/' : ` ${st.size} ${st.mtimeMs}`}`);
      if (st.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return out.sort();
}

/** What differs between two snapshots: `+ added`, `- removed` (a changed file shows as both). */
export function snapshotChanges(before: string[], after: string[]): string[] {
  const a = new Set(before);
  const b = new Set(after);
  return [...after.filter((x) => !a.has(x)).map((x) => `+ ${x}`), ...before.filter((x) => !b.has(x)).map((x) => `- ${x}`)];
}
