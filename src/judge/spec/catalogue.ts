/**
 * The catalogue of spec checks, in the order reports list them. Every check runs on every trace,
 * whatever the scenario; one with nothing to judge answers 'n/a'.
 */
import { capabilityChecks } from './capabilities.js';
import type { CatalogueCheck } from './define.js';
import { errorChecks } from './errors.js';
import { httpChecks } from './http.js';
import { isolationChecks } from './isolation.js';
import { lifecycleChecks } from './lifecycle.js';
import { listingChecks } from './listing.js';
import { relatedTaskChecks } from './related-task.js';
import { requestorChecks } from './requestor.js';
import { resultChecks } from './results.js';
import { retentionChecks } from './retention.js';
import { taskObjectChecks } from './task-object.js';
import { wireSchema } from './wire-check.js';

export const CATALOGUE: readonly CatalogueCheck[] = [
  wireSchema,
  ...capabilityChecks,
  ...taskObjectChecks,
  ...lifecycleChecks,
  ...resultChecks,
  ...relatedTaskChecks,
  ...errorChecks,
  ...retentionChecks,
  ...listingChecks,
  ...requestorChecks,
  ...isolationChecks,
  ...httpChecks,
];

const ids = CATALOGUE.map((c) => c.id);
const dup = ids.find((id, i) => ids.indexOf(id) !== i);
if (dup) throw new Error(`spec check id "${dup}" is used twice`);

export function checkById(id: string): CatalogueCheck | undefined {
  return CATALOGUE.find((c) => c.id === id);
}
