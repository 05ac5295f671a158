/**
 * Whether the resolution hooks (sdk-resolve-hooks.ts) would change anything for a release folder:
 * use-sdk.ts registers them only when they would, since they run on a loader thread of their own
 * that costs each driver process about a third of its start-up CPU.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const SDK = '@modelcontextprotocol/sdk';

/** The node_modules folder plain resolution takes `pkg` from, for a module in `fromDir`. */
function plainNodeModules(pkg: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', pkg, 'package.json'))) return join(dir, 'node_modules');
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * True when plain resolution from `fromDir` already takes the SDK and zod from `sdkDir` (the pinned
 * release in the project's own node_modules) and the SDK has no zod of its own inside it.
 */
export function resolutionUnchanged(sdkDir: string, fromDir: string): boolean {
  const dir = resolve(sdkDir);
  return (
    plainNodeModules(SDK, fromDir) === dir && plainNodeModules('zod', fromDir) === dir && !existsSync(join(dir, SDK, 'node_modules', 'zod'))
  );
}
