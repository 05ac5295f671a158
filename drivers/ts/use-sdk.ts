/**
 * Preloaded by every TS driver (`node --import .../use-sdk.js driver.js`): makes
 * `@modelcontextprotocol/sdk` (and, in the driver modules, `zod`: the SDK's own, for McpServer
 * schemas) resolve from the SDK release the harness chose for this cell, `$MCP_INTEROP_SDK_DIR` (a node_modules
 * folder of the release cache), instead of the project's pinned install. One compiled driver thus
 * runs on every release; nothing else in the driver changes. Without the variable, or when plain
 * resolution already finds the release there (the pinned one, in the project's node_modules), no
 * hooks are registered (sdk-resolution.ts).
 */
import { register } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DRIVER_ENV } from '../../src/vocabulary/driver.js';
import { resolutionUnchanged } from './sdk-resolution.js';

const sdkDir = process.env[DRIVER_ENV.sdkDir];
if (sdkDir && !resolutionUnchanged(sdkDir, dirname(fileURLToPath(import.meta.url)))) {
  register('./sdk-resolve-hooks.js', import.meta.url, { data: { sdkDir } });
}
