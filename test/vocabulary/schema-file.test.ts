import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VOCABULARY_SCHEMA_PATH } from '../../src/paths.js';
import { vocabularyJsonSchema } from '../../src/vocabulary/json-schema.js';

describe('drivers/vocabulary.schema.json', () => {
  it('is the JSON Schema generated from src/vocabulary (run `npm run gen:schema` after changing the vocabulary)', () => {
    const committed = JSON.parse(readFileSync(VOCABULARY_SCHEMA_PATH, 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(vocabularyJsonSchema())));
  });
});
