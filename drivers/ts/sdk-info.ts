/**
 * Which @modelcontextprotocol/sdk this process really runs (for the `hello` record and the
 * implementation info), and the implementation label the harness gave it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DRIVER_ENV } from '../../src/vocabulary/driver.js';

export const SDK_NAME = '@modelcontextprotocol/sdk';

function versionAt(dir: string): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
    return pkg.name === SDK_NAME ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

export function installedSdkVersion(): string {
  // The release the harness chose (use-sdk.ts redirects imports there).
  const sdkDir = process.env[DRIVER_ENV.sdkDir];
  const chosen = sdkDir ? versionAt(join(sdkDir, SDK_NAME)) : undefined;
  if (chosen) return chosen;
  try {
    // package.json is not in the package's exports map, so walk up from an exported module.
    let dir = dirname(fileURLToPath(import.meta.resolve(`${SDK_NAME}/client/index.js`)));
    for (let i = 0; i < 6; i++) {
      const found = versionAt(dir);
      if (found) return found;
      dir = dirname(dir);
    }
  } catch {
    // fall through
  }
  return 'unknown';
}

/** The implementation as the cell id names it (`ts`, `ts-mcp@1.29.0`); the default when run by hand. */
export function implLabel(fallback: string): string {
  return process.env[DRIVER_ENV.impl] ?? fallback;
}
