/**
 * The `ts-mcp` client driver: the high-level flow most TS users write. awaitTask hands the whole
 * call to `client.experimental.tasks.callToolStream` (await-stream.ts); callTool is
 * `client.callTool`; getTask, listTasks and cancel are `client.experimental.tasks.*`, shared with
 * the `ts` flavour (client-steps.ts). callTask, poll and result are not part of this flow.
 *
 *   client-mcp.js --scenario <file> --observations <out.jsonl> --transport stdio --server-command '<JSON argv>'
 *   client-mcp.js --scenario <file> --observations <out.jsonl> --transport http --url <url>
 */
import { awaitTaskStream } from './await-stream.js';
import { runClientDriver } from './client-host.js';

/** The same reason as driver.json `cannot` (the plan never runs such a cell; this guards a run by hand). */
const HIGH_LEVEL = 'the high-level flow hands the whole call to callToolStream: use awaitTask';

runClientDriver({
  impl: 'ts-mcp',
  script: 'client-mcp.js',
  awaitTask: awaitTaskStream,
  cannot: { callTask: HIGH_LEVEL, poll: HIGH_LEVEL, result: HIGH_LEVEL },
});
