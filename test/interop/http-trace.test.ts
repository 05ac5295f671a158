/**
 * What an HTTP cell's trace must show: every JSON-RPC message with its HTTP context, and, for
 * input_required, the stream the elicitation request travelled on (the SSE stream answering the
 * client's tasks/result POST, for both SDK servers).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrace } from '../../src/judge/read-records.js';
import { SCENARIOS_DIR } from '../../src/paths.js';
import { planCells } from '../../src/plan/plan.js';
import { runCell } from '../../src/run/run-cell.js';
import { loadScenarios } from '../../src/scenario/load.js';
import type { MessageEvent } from '../../src/vocabulary/trace.js';
import { pinnedImplementations, tempDir } from '../helpers.js';

const cells = planCells(loadScenarios(SCENARIOS_DIR), await pinnedImplementations(), {
  scenarios: ['input-required-elicitation'],
  transports: ['http'],
  clients: [{ name: 'ts' }],
});
const runDir = tempDir('mcp-interop-http-trace-');

describe.each(cells.map((c) => [c.id, c] as const))('%s trace', (_id, cell) => {
  it('records every message with its HTTP context, and the elicitation on the tasks/result SSE stream', { timeout: 30_000 }, async () => {
    const run = await runCell(cell, join(runDir, cell.slug));
    const { records, problems } = readTrace(run.files.trace);
    expect(problems).toEqual([]);
    const messages = records.filter((e): e is MessageEvent => e.kind === 'message');
    expect(messages.length).toBeGreaterThan(10);
    for (const m of messages) {
      expect(m.transport).toBe('http');
      expect(m.http).toMatchObject({ method: expect.any(String), path: '/mcp', stream: expect.any(String) });
    }
    const resultRequest = messages.find((m) => m.dir === 'c2s' && m.msg.method === 'tasks/result')!;
    const elicitation = messages.find((m) => m.dir === 's2c' && m.msg.method === 'elicitation/create')!;
    expect(resultRequest.http?.stream).toBe('request');
    expect(elicitation.http).toMatchObject({
      stream: 'post-sse',
      exchange: resultRequest.http!.exchange,
      contentType: expect.stringContaining('text/event-stream'),
    });
    expect(elicitation.http?.sessionId).toBe(resultRequest.http?.sessionId);
    const answer = messages.find((m) => m.dir === 'c2s' && m.msg.id === elicitation.msg.id && !('method' in m.msg))!;
    expect(answer.http?.exchange).not.toBe(resultRequest.http!.exchange);
  });
});
