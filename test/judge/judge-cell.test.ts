/**
 * The judge on a recorded cell (input-required-elicitation, TS client → Python server, HTTP, as
 * the harness recorded it): no SDK, no process, only the files.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyBaseline, loadBaseline } from '../../src/judge/baseline.js';
import { judgeCell } from '../../src/judge/judge.js';
import { BASELINE_FILE, ROOT, SCENARIOS_DIR } from '../../src/paths.js';
import { planCells } from '../../src/plan/plan.js';
import { cellFiles } from '../../src/run/cell-files.js';
import type { CellRun } from '../../src/run/types.js';
import { loadScenarios } from '../../src/scenario/load.js';
import { pinnedImplementations } from '../helpers.js';

const dir = join(ROOT, 'test/fixtures/cells/input-required-elicitation--ts-py--http');
const scenarios = loadScenarios(SCENARIOS_DIR);
const impls = await pinnedImplementations();
const cell = planCells(scenarios, impls, {
  scenarios: ['input-required-elicitation'],
  clients: [{ name: 'ts' }],
  servers: [{ name: 'py' }],
  transports: ['http'],
})[0]!;
const run: CellRun = {
  files: cellFiles(dir),
  startedAt: '2026-11-25T12:12:00.000Z',
  durationMs: 1200,
  timedOut: false,
  timeoutMs: 20_000,
  client: { exit: { code: 0, signal: null } },
  server: {},
  leftovers: [],
};

describe('judging a recorded cell', () => {
  const verdict = judgeCell(cell, run, join(dir, '..'));

  it('meets every scenario expectation', () => {
    expect(verdict.expectations.filter((e) => !e.ok)).toEqual([]);
    expect(verdict.expectations.map((e) => e.id)).toContain('expect:s3-result.inputRequests');
  });

  it('fails the one MUST check both SDK clients fail, blaming the client, with trace evidence', () => {
    expect(verdict.failures.map((f) => [f.id, f.blame])).toEqual([['check:related-task-on-input-responses', 'client']]);
    expect(verdict.failures[0]!.evidence.trace?.length).toBeGreaterThan(0);
    expect(verdict.warnings.map((w) => w.id)).toContain('check:tasks-get-no-sse');
  });

  it('is a known failure under the project baseline', () => {
    const baseline = loadBaseline(BASELINE_FILE, { scenarios: scenarios.map((s) => s.id), impls: impls.map((i) => i.name) });
    expect(applyBaseline(verdict, baseline).outcome).toBe('known');
  });
});

describe('a cell whose client is the harness own raw JSON-RPC client', () => {
  const rawCell = planCells(scenarios, impls, {
    scenarios: ['raw-task-id-shapes'],
    clients: [{ name: 'raw' }],
    servers: [{ name: 'ts' }],
    transports: ['stdio'],
  })[0]!;
  const cellDir = mkdtempSync(join(tmpdir(), 'judge-raw-'));
  // The raw client's own poll step fails locally: that is the harness's code, not an SDK's.
  writeFileSync(
    join(cellDir, 'observations.jsonl'),
    `${[
      { type: 'hello', at: 1, role: 'client', impl: 'raw', sdk: { name: 'raw JSON-RPC (no SDK)', version: '0.1.0' } },
      {
        type: 'step',
        index: 0,
        kind: 'callTask',
        startedAt: 2,
        endedAt: 3,
        sent: [],
        ok: false,
        error: { code: null, message: 'driver bug', local: true },
      },
      { type: 'end', at: 4, ok: true },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n')}\n`,
  );
  writeFileSync(join(cellDir, 'trace.jsonl'), '');
  const verdict = judgeCell(rawCell, { ...run, files: cellFiles(cellDir) }, cellDir, () => []);

  it('blames the harness, not a client SDK, for what the raw client did', () => {
    const f = verdict.failures.find((x) => x.id === 'expect:s1-callTask.ok')!;
    expect(f.blame).toBe('harness');
  });
});
