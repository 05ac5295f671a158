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
/** Installed as a dependency of another project (not a checkout of this one): outputs go to the user's folder. */
export const INSTALLED_AS_PACKAGE = ROOT.split(/[\\/]/).includes('node_modules');
/** Run folders: reports/ in the project, or in the current folder when installed as a package. */
export const REPORTS_DIR = INSTALLED_AS_PACKAGE ? join(process.cwd(), 'reports') : join(ROOT, 'reports');
/** How a person reruns the harness: `npm start --` in the project, `npx mcp-interop run` elsewhere. */
export const RUN_COMMAND = INSTALLED_AS_PACKAGE ? 'npx mcp-interop run' : 'npm start --';
export const DIST_DIR = join(ROOT, 'dist');
export const BASELINE_FILE = join(ROOT, 'known-failures.yaml');
export const VOCABULARY_SCHEMA_PATH = join(DRIVERS_DIR, 'vocabulary.schema.json');
/** JSON Schemas for authors' editors (generated, like the vocabulary schema). */
export const SCHEMAS_DIR = join(ROOT, 'schemas');
export const SCENARIO_SCHEMA_PATH = join(SCHEMAS_DIR, 'scenario.schema.json');
export const BASELINE_SCHEMA_PATH = join(SCHEMAS_DIR, 'known-failures.schema.json');
