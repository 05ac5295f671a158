/**
 * The client driver's command line (drivers/README.md, "Client driver"), shared by the client
 * drivers written in TypeScript (the SDK flavours in ts/ and the raw client): one parser for one
 * contract. Bad usage exits 2 with `usage`.
 */
import { parseArgs } from 'node:util';
import type { DriverInput } from '../src/vocabulary/index.js';
import { readDriverInput, usageError } from './common.js';

export interface ClientArgs {
  input: DriverInput;
  observations: string;
  transport: { kind: 'stdio'; argv: string[] } | { kind: 'http'; url: URL };
}

export function parseClientArgs(argv: string[], usage: string): ClientArgs {
  // Annotated, so that the compiler knows a call never returns.
  const fail: (message: string) => never = (message) => usageError(message, usage);
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string' },
        observations: { type: 'string' },
        transport: { type: 'string' },
        'server-command': { type: 'string' },
        url: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  if (!values.scenario) fail('--scenario is required');
  if (!values.observations) fail('--observations is required');
  const input = readDriverInput(values.scenario, usage);
  if (values.transport === 'stdio') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(values['server-command'] ?? '');
    } catch {
      fail('--server-command must be a JSON array of strings');
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((a) => typeof a === 'string')) {
      fail('--server-command must be a non-empty JSON array of strings');
    }
    return { input, observations: values.observations, transport: { kind: 'stdio', argv: parsed as string[] } };
  }
  if (values.transport === 'http') {
    let url: URL;
    try {
      url = new URL(values.url ?? '');
    } catch {
      fail('--transport http needs --url <http://host:port/mcp>');
    }
    return { input, observations: values.observations, transport: { kind: 'http', url } };
  }
  fail(`--transport must be stdio or http (got ${values.transport ?? 'nothing'})`);
}
