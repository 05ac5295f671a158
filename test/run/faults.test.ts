/**
 * The runner under faults: a server killed mid-cell, a server that never gets ready, a port that
 * is taken, a client that hangs, a driver that declares a cell unsupported at run time. Each must
 * give a clear verdict within the cell's timeout and leave no process behind.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import getPort from 'get-port';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeCell } from '../../src/judge/judge.js';
import { ROOT } from '../../src/paths.js';
import type { Implementation } from '../../src/plan/implementations.js';
import { type Cell, planCells } from '../../src/plan/plan.js';
import { isAlive } from '../../src/run/processes.js';
import { runCell } from '../../src/run/run-cell.js';
import { loadScenarios } from '../../src/scenario/load.js';
import type { DriverSide, Transport } from '../../src/vocabulary/driver.js';
import { pinnedImplementations, tempDir } from '../helpers.js';

const scenarios = loadScenarios(join(ROOT, 'test/fixtures/scenarios'));
const ts = (await pinnedImplementations()).find((i) => i.name === 'ts')!;
const runDir = tempDir('mcp-interop-faults-');

function cell(transport: Transport, patch: { client?: Partial<DriverSide>; server?: Partial<DriverSide> } = {}): Cell {
  const decl = { ...ts.decl, client: { ...ts.decl.client!, ...patch.client }, server: { ...ts.decl.server!, ...patch.server } };
  const impl: Implementation = { ...ts, decl };
  return planCells(scenarios, [impl], { scenarios: ['slow-tool'], transports: [transport] })[0]!;
}

/** SIGKILLs the server once the trace shows it answered the client (at most 20 s of waiting). */
async function killWhenServing(trace: string, pid: number): Promise<void> {
  for (let waited = 0; waited < 20_000; waited += 20) {
    if (existsSync(trace) && readFileSync(trace, 'utf8').includes('"dir":"s2c"')) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone: the test's expectations say what that means
  }
}

// The trailing '--' keeps node from reading the contract's arguments as its own options.
const node = (code: string) => [process.execPath, '-e', code, '--'];
const seen: number[] = [];

afterAll(() => {
  // `ps` after the run must show none of the drivers.
  expect(seen.filter(isAlive)).toEqual([]);
});

describe.each(['stdio', 'http'] as const)('runner faults over %s', (transport) => {
  it('a server driver killed mid-cell gives a failed cell with the reason, and nothing left running', async () => {
    const c = cell(transport);
    const started = Date.now();
    const dir = join(runDir, `killed-${transport}`);
    const run = await runCell(c, dir, {
      onServerPid: (pid) => {
        seen.push(pid);
        // Once the server has answered something (a machine under load may take seconds to get
        // there), so the kill lands mid-cell rather than during start-up.
        void killWhenServing(join(dir, 'trace.jsonl'), pid);
      },
    });
    const verdict = judgeCell(c, run, runDir, () => []);
    expect(verdict.status).toBe('fail');
    const exit = verdict.failures.find((f) => f.id === 'run:server-exit');
    expect(exit?.message).toMatch(/exited with signal SIGKILL before the client had finished/);
    expect(exit?.blame).toBe('server');
    expect(run.leftovers).toEqual([]);
    expect(Date.now() - started).toBeLessThan(c.scenario.timeoutMs);
  });

  it('a client that hangs is killed at the cell timeout, with the reason', async () => {
    const c = cell(transport, { client: { command: node('setInterval(() => {}, 1000)') } });
    // The cell timeout also bounds the server's start-up (HTTP), which takes seconds under load.
    const run = await runCell(c, join(runDir, `hang-${transport}`), { timeoutMs: 8000 });
    const verdict = judgeCell(c, run, runDir, () => []);
    expect(run.timedOut).toBe(true);
    expect(verdict.failures.map((f) => f.id)).toContain('run:timeout');
    expect(verdict.failures.find((f) => f.id === 'run:timeout')!.message).toMatch(/did not finish within 8000 ms/);
    expect(run.leftovers).toEqual([]);
  });

  it('a driver that exits 127 makes the cell unsupported, naming the side and the reason', async () => {
    const c = cell(transport, {
      client: { command: node("console.error('unsupported: step:poll: this SDK cannot poll'); process.exit(127)") },
    });
    const run = await runCell(c, join(runDir, `unsupported-${transport}`));
    const verdict = judgeCell(c, run, runDir, () => []);
    expect(verdict.status).toBe('unsupported');
    expect(verdict.unsupported).toEqual([{ side: 'client', impl: 'ts', feature: 'step:poll', reason: 'this SDK cannot poll' }]);
  });
});

describe('http server start-up faults', () => {
  it('a server that never prints its ready line fails the cell within the ready timeout', async () => {
    const c = cell('http', { server: { command: node('setInterval(() => {}, 1000)') } });
    let pid = 0;
    const started = Date.now();
    const run = await runCell(c, join(runDir, 'never-ready'), {
      readyTimeoutMs: 1500,
      onServerPid: (p) => {
        pid = p;
        seen.push(p);
      },
    });
    const verdict = judgeCell(c, run, runDir, () => []);
    expect(verdict.failures.map((f) => [f.id, f.blame])).toEqual([['run:server-not-ready', 'server']]);
    expect(verdict.failures[0]!.message).toMatch(/did not print its "ready: <url>" line within 1500 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(isAlive(pid)).toBe(false);
  });

  it("a port that is taken fails the cell with the server driver's reason", async () => {
    const port = await getPort({ host: '127.0.0.1' });
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      const c = cell('http');
      const run = await runCell(c, join(runDir, 'port-taken'), { serverPort: port, onServerPid: (p) => seen.push(p) });
      const verdict = judgeCell(c, run, runDir, () => []);
      expect(verdict.failures.map((f) => f.id)).toEqual(['run:server-not-ready']);
      expect(verdict.failures[0]!.message).toMatch(/exited \(code 1\) before it was ready/);
      expect(verdict.failures[0]!.message).toMatch(new RegExp(`${port}|EADDRINUSE|in use`));
      expect(run.leftovers).toEqual([]);
    } finally {
      blocker.close();
    }
  });
});
