/**
 * TS SDK client driver (drivers/README.md, "Client driver"): connects to the server, answers
 * elicitation/sampling from the scenario's canned lists, performs the steps and writes the
 * observations (hello, one record per step, incoming, end).
 *
 *   client.js --scenario <file> --observations <out.jsonl> --transport stdio --server-command '<JSON argv>'
 *   client.js --scenario <file> --observations <out.jsonl> --transport http --url <url>
 */
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CreateMessageRequestSchema,
  type CreateMessageResult,
  ElicitRequestSchema,
  type ElicitResult,
  McpError,
  TaskStatusNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { CONTRACT, type DriverInput, EXIT } from '../../src/vocabulary/index.js';
import { StepRunner } from './client-steps.js';
import { errorMessage, log, monoMs, readDriverInput, usageError } from './common.js';
import { ObservationWriter } from './observations.js';
import { implLabel, installedSdkVersion, SDK_NAME } from './sdk-info.js';

const USAGE =
  "client.js --scenario <file> --observations <out.jsonl> (--transport stdio --server-command '<JSON argv>' | --transport http --url <url>)";

interface Args {
  input: DriverInput;
  observations: string;
  transport: { kind: 'stdio'; argv: string[] } | { kind: 'http'; url: URL };
}

function parseCommandLine(): Args {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
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
  const input = readDriverInput(values.scenario, USAGE);
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

/** The protocol version the handshake agreed on; captured for the hello record. */
let negotiatedVersion: string | null = null;

function makeTransport(args: Args): Transport {
  if (args.transport.kind === 'http') return new StreamableHTTPClientTransport(args.transport.url);
  const [command, ...rest] = args.transport.argv as [string, ...string[]];
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  const transport = new StdioClientTransport({ command, args: rest, env, stderr: 'inherit' });
  // Observation only: Client.connect() hands the negotiated version to transport.setProtocolVersion
  // when the transport has one (HTTP does, to set its header); stdio has none, so give it one that
  // just remembers the value. Nothing on the wire changes.
  (transport as Transport).setProtocolVersion = (version: string) => {
    negotiatedVersion = version;
  };
  return transport;
}

function makeClient(input: DriverInput, out: ObservationWriter): Client {
  const client = new Client(
    { name: 'interop-ts-client', version: installedSdkVersion() },
    { capabilities: { elicitation: { form: {} }, sampling: {} } },
  );
  const elicitation = [...input.client.elicitation];
  const sampling = [...input.client.sampling];

  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    const at = monoMs();
    const next = elicitation.shift();
    const answer: ElicitResult = next
      ? { action: next.action, ...(next.content !== undefined && { content: next.content as ElicitResult['content'] }) }
      : { action: 'cancel' };
    out.write({ type: 'incoming', at, method: request.method, params: request.params, answer });
    return answer;
  });

  client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
    const at = monoMs();
    const next = sampling.shift();
    if (!next) {
      const error = new McpError(CONTRACT.samplingRefusedCode, 'User rejected sampling request (no canned answer left)');
      // Recorded as it goes on the wire: the SDK sends error.message, which McpError has prefixed
      // with "MCP error -1: ".
      out.write({
        type: 'incoming',
        at,
        method: request.method,
        params: request.params,
        answerError: { code: error.code, message: error.message },
      });
      throw error;
    }
    const answer: CreateMessageResult = {
      role: 'assistant',
      content: { type: 'text', text: next.text },
      model: next.model,
      stopReason: 'endTurn',
    };
    out.write({ type: 'incoming', at, method: request.method, params: request.params, answer });
    return answer;
  });

  // Status notifications are advisory; record them. Progress is recorded by each step's onprogress
  // (the SDK consumes notifications/progress itself); every other notification goes to the fallback.
  client.setNotificationHandler(TaskStatusNotificationSchema, async (n) => {
    out.write({ type: 'incoming', at: monoMs(), method: n.method, params: n.params });
  });
  client.fallbackNotificationHandler = async (n) => {
    out.write({ type: 'incoming', at: monoMs(), method: n.method, ...(n.params !== undefined && { params: n.params }) });
  };
  client.onerror = (err) => log('sdk-error', { error: errorMessage(err) });
  return client;
}

async function main(): Promise<void> {
  const args = parseCommandLine();
  const out = new ObservationWriter(args.observations);
  const client = makeClient(args.input, out);
  const transport = makeTransport(args);

  try {
    await client.connect(transport);
  } catch (err) {
    const message = `connect failed: ${errorMessage(err)}`;
    out.write({ type: 'end', at: monoMs(), ok: false, error: message });
    process.stderr.write(`error: ${message}\n`);
    await client.close().catch(() => {});
    process.exit(EXIT.driverError);
  }
  if (transport instanceof StreamableHTTPClientTransport) negotiatedVersion = transport.protocolVersion ?? null;
  out.write({
    type: 'hello',
    at: monoMs(),
    role: 'client',
    impl: implLabel('ts'),
    sdk: { name: SDK_NAME, version: installedSdkVersion() },
    protocolVersion: negotiatedVersion,
    serverCapabilities: client.getServerCapabilities(),
    serverInfo: client.getServerVersion(),
  });

  const runner = new StepRunner(client, out);
  for (const [index, step] of args.input.client.steps.entries()) {
    log('step', { index, kind: step.kind });
    await runner.run(step, index);
  }

  out.write({ type: 'end', at: monoMs(), ok: true });
  await client.close().catch((err) => log('close-error', { error: errorMessage(err) }));
  process.exit(EXIT.ok);
}

main().catch((err) => {
  process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(EXIT.driverError);
});
