/**
 * Module resolution hooks (node:module `register`) behind use-sdk.ts: bare specifiers of the SDK
 * package resolve as if imported from inside the release's install, so the release's own copy
 * (and its own dependencies) are loaded.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const SDK = '@modelcontextprotocol/sdk';

let parentInSdk: string | undefined;

export function initialize(data: { sdkDir: string }): void {
  // A module path inside the release's install: Node looks for packages in the node_modules
  // folders above it, i.e. in the release's node_modules first.
  parentInSdk = pathToFileURL(join(data.sdkDir, SDK, 'package.json')).href;
}

type Next = (specifier: string, context: { parentURL?: string }) => Promise<{ url: string }>;

export async function resolve(specifier: string, context: { parentURL?: string }, next: Next): Promise<{ url: string }> {
  if (parentInSdk && (specifier === SDK || specifier.startsWith(`${SDK}/`))) return next(specifier, { ...context, parentURL: parentInSdk });
  return next(specifier, context);
}
