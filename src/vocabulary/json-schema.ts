import { z } from 'zod';
import { CONTRACT } from './contract.js';
import { DriverInput, DriverManifest } from './driver.js';
import { ObservationRecord } from './observation.js';

/** JSON Schema (2020-12) of what crosses the driver boundary, generated from the zod vocabulary. */
export function vocabularyJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $comment: 'Generated from src/vocabulary by `npm run gen:schema`. Do not edit.',
    $defs: {
      DriverInput: z.toJSONSchema(DriverInput, { io: 'output', unrepresentable: 'any' }),
      ObservationRecord: z.toJSONSchema(ObservationRecord, { io: 'input', unrepresentable: 'any' }),
      DriverManifest: z.toJSONSchema(DriverManifest, { io: 'input', unrepresentable: 'any' }),
      // The contract's constants, for drivers in other languages to read instead of re-declaring.
      Contract: { $comment: 'Constants of the driver contract (drivers/README.md).', const: CONTRACT },
    },
  };
}
