/**
 * Module resolution hooks (node:module `register`) behind use-sdk.ts: bare specifiers of the SDK
 * package resolve as if imported from inside the release's install, so the release's own copy
 * (and its own dependencies) are loaded. `zod` imported by the driver modules themselves (the
 * McpServer driver's schemas) resolves the same way, so the schemas are built with the zod the
 * release's McpServer converts and validates with (another zod copy loses `.describe()` texts); the harness vocabulary under
 * src/ keeps the project's zod.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const SDK = '@modelcontextprotocol/sdk';
const ZOD = 'zod';

let parentInSdk: string | undefined;
/** URL prefix of the compiled driver modules (this file's folder). */
const DRIVER_DIR = new URL('./', import.meta.url).href;

export function initialize(data: { sdkDir: string }): void {
  // A module path inside the release's install: Node looks for packages in the node_modules
  // folders above it, i.e. in the release's node_modules first.
  parentInSdk = pathToFileURL(join(data.sdkDir, SDK, 'package.json')).href;
}

type Next = (specifier: string, context: { parentURL?: string }) => Promise<{ url: string }>;

function isPackage(specifier: string, name: string): boolean {
  return specifier === name || specifier.startsWith(`${name}/`);
}

export async function resolve(specifier: string, context: { parentURL?: string }, next: Next): Promise<{ url: string }> {
  if (parentInSdk && isPackage(specifier, SDK)) return next(specifier, { ...context, parentURL: parentInSdk });
  if (parentInSdk && isPackage(specifier, ZOD) && context.parentURL?.startsWith(DRIVER_DIR)) {
    return next(specifier, { ...context, parentURL: parentInSdk });
  }
  return next(specifier, context);
}
