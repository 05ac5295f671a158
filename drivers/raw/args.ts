/** The client driver's command line (driver contract, "Client driver"); bad usage exits 2. */
import { readFileSync } from 'node:fs';
import { DriverInput } from '../../src/vocabulary/index.js';
import { type ClientArgs, parseClientArgs } from '../client-args.js';
import { errorMessage, usageError } from './log.js';

export const USAGE =
  "client.js --scenario <file> --observations <out.jsonl> (--transport stdio --server-command '<JSON argv>' | --transport http --url <url>)";

export type Args = ClientArgs<DriverInput>;

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
  return parseClientArgs(argv, readInput, (message) => usageError(message, USAGE));
}
