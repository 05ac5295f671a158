/**
 * Writes the generated JSON Schemas (`npm run gen:schema`; a unit test fails when a committed one
 * is out of date):
 * - drivers/vocabulary.schema.json: the driver input, observation records, the driver manifest and
 *   the contract's constants, for drivers in other languages;
 * - schemas/scenario.schema.json and schemas/known-failures.schema.json: scenario files and the
 *   baseline as authors write them, for editors with the YAML language server.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { BASELINE_SCHEMA_PATH, SCENARIO_SCHEMA_PATH, SCHEMAS_DIR, VOCABULARY_SCHEMA_PATH } from '../src/paths.js';
import { baselineEditorSchema, scenarioEditorSchema } from '../src/vocabulary/editor-schema.js';
import { vocabularyJsonSchema } from '../src/vocabulary/json-schema.js';

mkdirSync(SCHEMAS_DIR, { recursive: true });
for (const [file, schema] of [
  [VOCABULARY_SCHEMA_PATH, vocabularyJsonSchema()],
  [SCENARIO_SCHEMA_PATH, scenarioEditorSchema()],
  [BASELINE_SCHEMA_PATH, baselineEditorSchema()],
] as const) {
  writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${file}`);
}
