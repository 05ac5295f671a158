/** The client driver's command line (driver contract, "Client driver"); bad usage exits 2. */
import { type ClientArgs, parseClientArgs } from '../client-args.js';

export const USAGE =
  "client.js --scenario <file> --observations <out.jsonl> (--transport stdio --server-command '<JSON argv>' | --transport http --url <url>)";

export type Args = ClientArgs;

export function parseCommandLine(argv: string[] = process.argv.slice(2)): Args {
  return parseClientArgs(argv, USAGE);
}
