/** Where things live, whether code runs from src/ (vitest) or dist/ (npm start). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('/dist')) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const SCENARIOS_DIR = join(ROOT, 'scenarios');
export const DRIVERS_DIR = join(ROOT, 'drivers');
export const REPORTS_DIR = join(ROOT, 'reports');
export const DIST_DIR = join(ROOT, 'dist');
export const BASELINE_FILE = join(ROOT, 'known-failures.yaml');
export const VOCABULARY_SCHEMA_PATH = join(DRIVERS_DIR, 'vocabulary.schema.json');
/** JSON Schemas for authors' editors (generated, like the vocabulary schema). */
export const SCHEMAS_DIR = join(ROOT, 'schemas');
export const SCENARIO_SCHEMA_PATH = join(SCHEMAS_DIR, 'scenario.schema.json');
export const BASELINE_SCHEMA_PATH = join(SCHEMAS_DIR, 'known-failures.schema.json');
