/** Which @modelcontextprotocol/sdk is really installed (for the `hello` record), read from its package.json. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SDK_NAME = '@modelcontextprotocol/sdk';

export function installedSdkVersion(): string {
  try {
    // package.json is not in the package's exports map, so walk up from an exported module.
    let dir = dirname(fileURLToPath(import.meta.resolve(`${SDK_NAME}/client/index.js`)));
    for (let i = 0; i < 6; i++) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === SDK_NAME && pkg.version) return pkg.version;
      } catch {
        // no package.json at this level (dist/esm has one without a name): keep walking up
      }
      dir = dirname(dir);
    }
  } catch {
    // fall through
  }
  return 'unknown';
}
