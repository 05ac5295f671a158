/**
 * The harness's zod wire schemas against the official JSON Schema of 2025-11-25
 * (vendor/mcp-spec/2025-11-25/schema.json, or $MCP_SPEC_SCHEMA; draft 2020-12):
 * on every corpus item zod, ajv and the
 * item's label must agree. The product never reads schema.json; only this test does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { validateWire, WIRE_SCHEMAS, type WireSchemaName } from '../../../src/judge/spec/wire-schemas.js';
import { ROOT } from '../../../src/paths.js';
import { CORPUS } from './schema-corpus.js';

const SCHEMA_FILE = process.env.MCP_SPEC_SCHEMA ?? join(ROOT, 'vendor', 'mcp-spec', '2025-11-25', 'schema.json');

describe('the corpus', () => {
  it('has a valid and an invalid item for every wire schema', () => {
    for (const name of Object.keys(WIRE_SCHEMAS) as WireSchemaName[]) {
      const items = CORPUS.filter((c) => c.def === name);
      expect(
        items.some((c) => c.valid),
        `${name}: no valid item`,
      ).toBe(true);
      expect(
        items.some((c) => !c.valid),
        `${name}: no invalid item`,
      ).toBe(true);
    }
  });

  it.each(CORPUS.map((c) => [`${c.def}: ${c.note}`, c] as const))('zod agrees with the label: %s', (_name, item) => {
    expect(validateWire(item.def, item.value).length === 0).toBe(item.valid);
  });
});

describe('zod schemas agree with schema.json (ajv, draft 2020-12)', () => {
  it('has the schema file to compare with', () => {
    expect(existsSync(SCHEMA_FILE), `${SCHEMA_FILE} is missing`).toBe(true);
  });
  const schema = existsSync(SCHEMA_FILE)
    ? (JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as { $schema: string; $defs: Record<string, unknown> })
    : undefined;
  // ajv-formats is CommonJS with `exports.default`: under NodeNext the plugin is `.default`.
  const addFormats = (addFormatsModule as unknown as { default: FormatsPlugin }).default;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  if (schema) ajv.addSchema(schema, 'mcp-2025-11-25');

  it('declares draft 2020-12 and defines every schema the harness mirrors', () => {
    expect(schema!.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    for (const name of Object.keys(WIRE_SCHEMAS)) expect(schema!.$defs, name).toHaveProperty(name);
  });

  it.each(CORPUS.map((c) => [`${c.def}: ${c.note}`, c] as const))('%s', (_name, item) => {
    const validate = ajv.getSchema(`mcp-2025-11-25#/$defs/${item.def}`);
    expect(validate, `no $defs/${item.def}`).toBeDefined();
    const official = validate!(item.value) as boolean;
    const ours = validateWire(item.def, item.value);
    expect(official, `schema.json says ${official} (${JSON.stringify(validate!.errors)})`).toBe(item.valid);
    expect(ours.length === 0, `zod says ${ours.join('; ') || 'valid'}`).toBe(official);
  });
});
