/**
 * The runner's restartServer fault over HTTP, with the TS drivers: the server is stopped after
 * the matching message and a fresh one started on the same port; both processes are in the
 * trace, the old one is gone, the client's next request reaches the fresh server (which no longer
 * knows the session), and nothing is left running.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Cell, planCells } from '../../src/plan/plan.js';
import { isAlive } from '../../src/run/processes.js';
import { runCell } from '../../src/run/run-cell.js';
import { loadScenarios } from '../../src/scenario/load.js';
import { type FaultEvent, type ProcessEvent, TraceEvent } from '../../src/vocabulary/trace.js';
import { pinnedImplementations, tempDir, writeFile } from '../helpers.js';

const ts = (await pinnedImplementations()).find((i) => i.name === 'ts')!;
const scenarioDir = tempDir('mcp-interop-restart-');
const scenario = (id: string, faults: string) => `# yaml-language-server: $schema=../schemas/scenario.schema.json
id: ${id}
title: A restart test
spec: [getting-tasks]
timeoutMs: 40000
${faults}
server:
  pollInterval: 100
  tools:
    - name: long
      execution: { taskSupport: optional }
      actions:
        - sleep: 4000
        - complete: [{ type: text, text: late }]
client:
  steps:
    - callTask: long
      ttl: 30000
      as: t
    - getTask: t
    - getTask: t
      timeoutMs: 15000
      expect: { mayFail: true }
`;
writeFile(scenarioDir, 'restarts.yaml', scenario('restarts', 'faults:\n  - restartServer: { method: tasks/get, type: response, nth: 1 }'));
writeFile(scenarioDir, 'no-restart.yaml', scenario('no-restart', ''));
const scenarios = loadScenarios(scenarioDir);
const cell = (id: string): Cell => planCells(scenarios, [ts], { scenarios: [id], transports: ['http'] })[0]!;
const runDir = tempDir('mcp-interop-restart-run-');
const seen: number[] = [];

afterAll(() => {
  expect(seen.filter(isAlive)).toEqual([]);
});

const readTrace = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => TraceEvent.parse(JSON.parse(l)));

describe('restartServer over HTTP', () => {
  it('stops the server after the match, starts a fresh one on the same port, and records both', async () => {
    const pids: number[] = [];
    const run = await runCell(cell('restarts'), join(runDir, 'restarts'), {
      onServerPid: (pid) => {
        pids.push(pid);
        seen.push(pid);
      },
    });
    expect(pids).toHaveLength(2);
    expect(pids[0]).not.toBe(pids[1]);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(run.leftovers).toEqual([]);
    expect(run.timedOut).toBe(false);

    const trace = readTrace(run.files.trace);
    const processes = trace.filter((e): e is ProcessEvent => e.kind === 'process');
    expect(processes.map((p) => [p.event, p.pid])).toEqual([
      ['exit', pids[0]],
      ['spawn', pids[1]],
    ]);
    const faults = trace.filter((e): e is FaultEvent => e.kind === 'fault');
    expect(faults.map((f) => f.detail)).toEqual([
      expect.stringMatching(/restarting the server after the response to tasks\/get/),
      'the fresh server is ready: requests go to it from now on',
    ]);
    // After the restart, the client's next tasks/get reaches the fresh server, which does not know the session.
    const after = trace.filter((e) => e.seq > faults[1]!.seq && e.kind === 'message' && e.dir === 's2c');
    expect(after.some((e) => e.kind === 'message' && e.http?.status === 404)).toBe(true);
    // Both processes wrote to the one server log.
    const ready = readFileSync(run.files.serverStdout, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('ready:'));
    expect(ready).toHaveLength(2);
    expect(new Set(ready).size).toBe(1); // the same URL
  }, 60_000);

  it('without the fault there is one server process and no process events in the trace', async () => {
    const pids: number[] = [];
    const run = await runCell(cell('no-restart'), join(runDir, 'no-restart'), {
      onServerPid: (pid) => {
        pids.push(pid);
        seen.push(pid);
      },
    });
    expect(pids).toHaveLength(1);
    const trace = readTrace(run.files.trace);
    expect(trace.filter((e) => e.kind === 'process' || e.kind === 'fault')).toEqual([]);
    expect(run.leftovers).toEqual([]);
  }, 60_000);
});
