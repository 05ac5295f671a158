/**
 * Writes drivers/vocabulary.schema.json: the JSON Schema of the driver input and of observation
 * records, generated from the zod vocabulary so drivers in other languages read the same
 * definition. `npm run gen:schema`; a unit test fails when the committed file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { VOCABULARY_SCHEMA_PATH } from '../src/paths.js';
import { vocabularyJsonSchema } from '../src/vocabulary/json-schema.js';

writeFileSync(VOCABULARY_SCHEMA_PATH, `${JSON.stringify(vocabularyJsonSchema(), null, 2)}\n`);
console.log(`wrote ${VOCABULARY_SCHEMA_PATH}`);
