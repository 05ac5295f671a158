/**
 * The editor schemas (schemas/*.schema.json) are what the YAML language server validates and
 * completes with: a standard JSON Schema validator (ajv, draft 2020-12) must accept every scenario
 * in scenarios/ and the project baseline as written, and reject what the loader rejects by shape.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BASELINE_FILE, BASELINE_SCHEMA_PATH, SCENARIO_SCHEMA_PATH, SCENARIOS_DIR } from '../../src/paths.js';
import { baselineEditorSchema, scenarioEditorSchema } from '../../src/vocabulary/editor-schema.js';
import { scenarioYaml } from '../helpers.js';

const ajv = new Ajv2020({ strict: false, allErrors: true });
const validateScenario = ajv.compile(JSON.parse(readFileSync(SCENARIO_SCHEMA_PATH, 'utf8')));
const validateBaseline = ajv.compile(JSON.parse(readFileSync(BASELINE_SCHEMA_PATH, 'utf8')));
const errorsOf = (v: typeof validateScenario) => (v.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

describe('schemas/*.schema.json for editors', () => {
  it('are the ones generated from src/vocabulary (run `npm run gen:schema` after changing it)', () => {
    expect(JSON.parse(readFileSync(SCENARIO_SCHEMA_PATH, 'utf8'))).toEqual(JSON.parse(JSON.stringify(scenarioEditorSchema())));
    expect(JSON.parse(readFileSync(BASELINE_SCHEMA_PATH, 'utf8'))).toEqual(JSON.parse(JSON.stringify(baselineEditorSchema())));
  });

  const files = readdirSync(SCENARIOS_DIR).filter((f) => f.endsWith('.yaml'));
  it.each(files)('accepts scenarios/%s as written, and it names the schema on its first line', (file) => {
    const text = readFileSync(join(SCENARIOS_DIR, file), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/scenario.schema.json');
    expect(validateScenario(parse(text)), errorsOf(validateScenario).join('\n')).toBe(true);
  });

  it('accepts bare step names and an empty kind key with a literal taskId', () => {
    const doc = parse(
      scenarioYaml('x', {
        client: 'client:\n  steps:\n    - listTools\n    - getTask:\n      taskId: nope\n    - listTasks:\n      all: true',
      }),
    );
    expect(validateScenario(doc), errorsOf(validateScenario).join('\n')).toBe(true);
  });

  it('rejects unknown keys, a misspelt step kind and a wrong type', () => {
    const bad = (client: string) => validateScenario(parse(scenarioYaml('x', { client })));
    expect(bad('client:\n  steps:\n    - callTask: t\n      tll: 5')).toBe(false);
    expect(bad('client:\n  steps:\n    - calTask: t')).toBe(false);
    expect(bad('client:\n  steps:\n    - callTask: t\n      ttl: soon')).toBe(false);
    expect(validateScenario({ ...parse(scenarioYaml('x')), colour: 'red' })).toBe(false);
  });

  it('describes every step, action and expectation key for completion', () => {
    const schema = scenarioEditorSchema() as {
      properties: { client: { properties: { steps: { items: { oneOf: { properties?: Record<string, { description?: string }> }[] } } } } };
    };
    const steps = schema.properties.client.properties.steps.items.oneOf.filter((m) => m.properties);
    for (const step of steps) {
      const kind = Object.keys(step.properties!).find(
        (k) => !['name', 'expect', 'timeoutMs', 'session', 'arguments', 'ttl', 'as'].includes(k),
      )!;
      expect(step.properties![kind]!.description ?? step.properties![kind], kind).toBeTruthy();
    }
    expect(JSON.stringify(schema)).toContain('Partial match on the result');
  });

  it('accepts the project baseline, and rejects an entry without a reason', () => {
    const baseline = parse(readFileSync(BASELINE_FILE, 'utf8'));
    expect(validateBaseline(baseline), errorsOf(validateBaseline).join('\n')).toBe(true);
    expect(readFileSync(BASELINE_FILE, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./schemas/known-failures.schema.json');
    expect(validateBaseline({ known: [{ scenario: 'x', failure: 'check:y' }] })).toBe(false);
  });
});
