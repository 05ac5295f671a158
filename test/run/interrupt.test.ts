/**
 * An interrupted run (Ctrl-C, a cancelled CI job) stops every cell's processes: drivers run in
 * process groups of their own and the stdio tap is detached, so nothing else would.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST_DIR, ROOT } from '../../src/paths.js';
import { isAlive } from '../../src/run/processes.js';
import { tempDir } from '../helpers.js';

/** Pids of processes whose command line mentions `text` (the run's reports folder). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter(isAlive);
}

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  for (const start = Date.now(); !ok(); ) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!existsSync('/proc'))('an interrupted run', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: the harness exits and leaves no driver, tap or server behind', async (signal) => {
    const reports = tempDir('mcp-interop-interrupt-');
    const harness = spawn(
      process.execPath,
      [
        join(DIST_DIR, 'src/cli/main.js'),
        'run',
        '--scenarios',
        join(ROOT, 'test/fixtures/scenarios'),
        '-c',
        'ts',
        '-S',
        'ts',
        '--reports',
        reports,
        '--reporter',
        'dot',
      ],
      { stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((r) => harness.on('exit', (code) => r(code)));
    // Both cells (stdio: client, front, tap, server; http: server, client) are under way.
    await until('the cells\u2019 processes', () => processesMentioning(reports).length >= 5, 20_000);
    harness.kill(signal);
    expect(await exited).toBe(signal === 'SIGINT' ? 130 : 143);
    await until('no process of the run', () => processesMentioning(reports).length === 0, 5_000);
  });
});
