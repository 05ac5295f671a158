/**
 * Recorded cells (TS SDK 1.32.2, stdio) for the two roles issue 12.3 and the requestor checks
 * are about: a TS client's high-level flow (callToolStream, polledBy sdk) through input_required,
 * and a server→client elicitation task (the client is the receiver, the server polls it). Judged
 * from their trace and observations only, with the scenarios as they are in scenarios/.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readObservations, readTrace } from '../../../src/judge/read-records.js';
import { runSpecChecks } from '../../../src/judge/spec/index.js';
import type { CellRecord } from '../../../src/judge/types.js';
import { SCENARIOS_DIR } from '../../../src/paths.js';
import { loadScenarios } from '../../../src/scenario/load.js';

const DIR = join(import.meta.dirname, '../../fixtures/traces');
const scenarios = new Map(loadScenarios(SCENARIOS_DIR).map((s) => [s.id, s]));

function load(name: string, scenario: string): CellRecord {
  return {
    scenario: scenarios.get(scenario)!,
    transport: 'stdio',
    trace: readTrace(join(DIR, `${name}.jsonl`)).records,
    observations: readObservations(join(DIR, `${name}.observations.jsonl`)).records,
  };
}

function outcomes(record: CellRecord): Record<string, string> {
  return Object.fromEntries(
    runSpecChecks(record).map((r) => [
      r.id,
      r.outcome === 'fail' ? `fail/${[...new Set(r.findings.map((f) => f.blame))].join(',')}` : r.outcome,
    ]),
  );
}

describe('recorded cells of both roles', () => {
  it("a TS client's callToolStream flow through input_required: the flow is judged as the SDK's", () => {
    const o = outcomes(load('ts-mcp-stdio-flow-elicitation', 'flow-input-required-elicitation'));
    // The flow polled, saw input_required, called tasks/result, and reported only what it polled.
    expect([o['input-required-calls-result'], o['requestor-polls-until-terminal'], o['flow-status-from-polls']]).toEqual([
      'pass',
      'pass',
      'pass',
    ]);
    // requestStream copies the creating request's `task` into its tasks/get and tasks/result.
    expect(o['augment-only-declared-requests']).toBe('fail/client');
    expect(o['related-task-on-input-responses']).toBe('fail/client');
    expect(
      Object.entries(o)
        .filter(([, v]) => v.startsWith('fail'))
        .map(([k]) => k),
    ).toEqual(['augment-only-declared-requests', 'related-task-on-input-responses']);
  });

  it('a server→client elicitation task: receiver checks judge the client, requestor checks the server', () => {
    const o = outcomes(load('ts-stdio-client-receiver-elicitation', 'check-client-receiver-elicitation'));
    for (const id of [
      'task-begins-working',
      'task-timestamps',
      'tasks-result-related-task',
      'tasks-result-matches-request-type',
      'create-task-result',
      'receiver-declares-tasks',
    ])
      expect(`${id}: ${o[id]}`).toBe(`${id}: pass`);
    expect(o['poll-interval-respected']).toBe('pass');
    expect(o['augment-only-declared-requests']).toBe('fail/server');
    expect(
      Object.entries(o)
        .filter(([, v]) => v.startsWith('fail'))
        .map(([k]) => k),
    ).toEqual(['augment-only-declared-requests']);
  });
});
