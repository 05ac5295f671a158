import { describe, expect, it } from 'vitest';
import type { Lines } from '../../src/judge/read-records.js';
import { runFindings } from '../../src/judge/run-findings.js';
import { cellFiles } from '../../src/run/cell-files.js';
import type { CellRun } from '../../src/run/types.js';
import type { ObservationRecord } from '../../src/vocabulary/observation.js';
import type { TraceEvent } from '../../src/vocabulary/trace.js';

const lines = <T>(records: T[]): Lines<T> => ({ records, lineOf: records.map((_, i) => i), problems: [], missing: false });
const msg = (seq: number, dir: 'c2s' | 's2c', m: Record<string, unknown>): TraceEvent => ({
  seq,
  t: seq,
  kind: 'message',
  dir,
  transport: 'stdio',
  msg: { jsonrpc: '2.0', ...m },
});

describe('run findings', () => {
  it('a timed-out cell names the client requests the server never answered, and blames the server', () => {
    const run: CellRun = {
      files: cellFiles('/nonexistent'),
      startedAt: '',
      durationMs: 5000,
      timedOut: true,
      timeoutMs: 5000,
      client: {},
      server: {},
      leftovers: [],
    };
    const trace = lines<TraceEvent>([
      msg(0, 'c2s', { id: 1, method: 'tools/call', params: {} }),
      msg(1, 's2c', { id: 1, result: { task: {} } }),
      msg(2, 's2c', { id: 1, method: 'elicitation/create', params: {} }),
      msg(3, 'c2s', { id: 2, method: 'tasks/result', params: { taskId: 't' } }),
    ]);
    const [timeout] = runFindings(run, lines<ObservationRecord>([]), trace, 'stdio');
    expect(timeout).toMatchObject({ id: 'run:timeout', blame: 'server', evidence: { trace: [3] } });
    expect(timeout!.message).toBe(
      'the cell did not finish within 5000 ms and was killed; waiting for the server to answer tasks/result (#3); last trace event #3',
    );
  });
});
