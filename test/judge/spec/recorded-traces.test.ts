/**
 * Whole cells, recorded-looking (test/fixtures/traces/*.jsonl, shaped after what the SDKs send), run
 * through runSpecChecks: exactly the expected checks fail, blaming the expected side.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../src/judge/spec/catalogue.js';
import { runSpecChecks } from '../../../src/judge/spec/index.js';
import type { CellRecord } from '../../../src/judge/types.js';
import type { ScenarioInput } from '../../../src/vocabulary/scenario.js';
import { TraceEvent } from '../../../src/vocabulary/trace.js';
import { scenario } from './builders.js';

const DIR = join(import.meta.dirname, '../../fixtures/traces');

function load(file: string, sc: Partial<ScenarioInput>): CellRecord {
  const trace = readFileSync(join(DIR, file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => TraceEvent.parse(JSON.parse(line)));
  return {
    scenario: scenario(sc),
    transport: trace.find((e) => 'transport' in e)?.transport === 'http' ? 'http' : 'stdio',
    trace,
    observations: [],
  };
}

function failures(record: CellRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of runSpecChecks(record))
    if (r.outcome === 'fail') out[r.id] = [...new Set(r.findings.map((f) => `${f.level}/${f.blame}`))].join(',');
  return out;
}

const text = (t: string) => [{ type: 'text', text: t }];

describe('recorded traces', () => {
  it('TS client and TS server over stdio, elicitation through tasks/result', () => {
    const record = load('ts-stdio-elicitation.jsonl', {
      server: {
        pollInterval: 50,
        tools: [
          {
            name: 'greet',
            execution: { taskSupport: 'optional' },
            actions: [
              { sleep: 100 },
              { elicit: 'What is your name?', requestedSchema: { type: 'object' }, as: 'who' },
              { complete: text('Hello, {{who.content.name}}!') },
            ],
          },
        ],
      },
      client: {
        elicitation: [{ action: 'accept', content: { name: 'Ada' } }],
        steps: [
          { callTask: 'greet', ttl: 30000, as: 't' },
          { poll: 't', until: ['input_required', 'completed'] },
          { result: 't' },
          { getTask: 't' },
        ],
      },
    });
    // The TS client answers the related elicitation with a plain ElicitResult.
    expect(failures(record)).toEqual({ 'related-task-on-input-responses': 'MUST/client' });
    const results = runSpecChecks(record);
    expect(results).toHaveLength(CATALOGUE.length);
    const passed = results.filter((r) => r.outcome === 'pass').map((r) => r.id);
    expect(passed).toEqual(
      expect.arrayContaining([
        'wire-schema',
        'related-task-on-input-requests',
        'tasks-result-related-task',
        'task-begins-working',
        'terminal-status-final',
        'poll-interval-respected',
      ]),
    );
  });

  it('TS client and Python server over Streamable HTTP, a tool that raises', () => {
    const record = load('py-http-throwing-tool.jsonl', {
      server: {
        pollInterval: 50,
        tools: [{ name: 'flaky', execution: { taskSupport: 'optional' }, actions: [{ sleep: 100 }, { throw: 'boom' }] }],
      },
      client: { steps: [{ callTask: 'flaky', ttl: 30000, as: 'f' }, { poll: 'f' }, { result: 'f' }] },
    });
    expect(failures(record)).toEqual({
      // Python: a raised exception gives `failed` and an empty tasks/result payload (run_task fails it and stores no result).
      'tasks-result-matches-request-type': 'MUST/server',
      // Every POST is answered on SSE, tasks/get included.
      'tasks-get-no-sse': 'SHOULD/server',
    });
  });

  it('TS client and Python server over stdio, the task expires after its ttl', () => {
    const record = load('py-stdio-ttl-expiry.jsonl', {
      server: {
        ttl: { default: 60000, max: 60000 },
        pollInterval: 50,
        tools: [{ name: 'quick', execution: { taskSupport: 'optional' }, actions: [{ sleep: 50 }, { complete: text('done') }] }],
      },
      client: {
        steps: [{ callTask: 'quick', ttl: 400, as: 'q' }, { poll: 'q' }, { wait: 1000 }, { getTask: 'q', expect: { error: -32602 } }],
      },
    });
    expect(failures(record)).toEqual({});
    const byId = Object.fromEntries(runSpecChecks(record).map((r) => [r.id, r.outcome]));
    expect(byId['expired-task-invalid-params']).toBe('pass');
    expect(byId['ttl-overridden']).toBe('pass');
  });
});
