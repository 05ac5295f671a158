/** The client driver's command line (driver contract, "Client driver"); bad usage exits 2. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DriverInput } from '../../src/vocabulary/index.js';
import { errorMessage, usageError } from './log.js';

export const USAGE =
  "client.js --scenario <file> --observations <out.jsonl> (--transport stdio --server-command '<JSON argv>' | --transport http --url <url>)";

export interface Args {
  input: DriverInput;
  observations: string;
  transport: { kind: 'stdio'; argv: string[] } | { kind: 'http'; url: URL };
}

function readInput(path: string): DriverInput {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    usageError(`cannot read scenario file ${path}: ${errorMessage(err)}`, USAGE);
  }
  const parsed = DriverInput.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    usageError(`scenario file ${path} does not match DriverInput: ${issues}`, USAGE);
  }
  return parsed.data;
}

export function parseCommandLine(argv: string[] = process.argv.slice(2)): Args {
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
    usageError(errorMessage(err), USAGE);
  }
  if (!values.scenario) usageError('--scenario is required', USAGE);
  if (!values.observations) usageError('--observations is required', USAGE);
  const input = readInput(values.scenario);
  if (values.transport === 'stdio') {
    let argv: unknown;
    try {
      argv = JSON.parse(values['server-command'] ?? '');
    } catch {
      usageError('--server-command must be a JSON array of strings', USAGE);
    }
    if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string')) {
      usageError('--server-command must be a non-empty JSON array of strings', USAGE);
    }
    return { input, observations: values.observations, transport: { kind: 'stdio', argv: argv as string[] } };
  }
  if (values.transport === 'http') {
    let url: URL;
    try {
      url = new URL(values.url ?? '');
    } catch {
      usageError('--transport http needs --url <http://host:port/mcp>', USAGE);
    }
    return { input, observations: values.observations, transport: { kind: 'http', url } };
  }
  usageError(`--transport must be stdio or http (got ${values.transport ?? 'nothing'})`, USAGE);
}
