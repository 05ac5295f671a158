/**
 * The `ts` client driver: every step through the low-level API, one SDK call per request
 * (client-steps.ts); awaitTask is the driver's own loop (await-lowlevel.ts). Hosting, sessions
 * and answers are client-host.ts and client-answers.ts.
 *
 *   client-lowlevel.js --scenario <file> --observations <out.jsonl> --transport stdio --server-command '<JSON argv>'
 *   client-lowlevel.js --scenario <file> --observations <out.jsonl> --transport http --url <url>
 */
import { awaitTaskLowLevel } from './await-lowlevel.js';
import { runClientDriver } from './client-host.js';

runClientDriver({ impl: 'ts', script: 'client-lowlevel.js', awaitTask: awaitTaskLowLevel, cannot: {} });
