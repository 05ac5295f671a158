/**
 * The client process for both TS client flavours (drivers/README.md, "Client driver"): the
 * command line, one SDK Client and transport per session of `client.sessions` (each initialized;
 * over HTTP each gets its own Mcp-Session-Id), a hello record per session, the steps in order,
 * the end record. What differs between the flavours is only their awaitTask and the steps they
 * leave to it (driver.json `cannot`).
 *
 *   <driver>.js --scenario <file> --observations <out.jsonl> --transport stdio --server-command '<JSON argv>'
 *   <driver>.js --scenario <file> --observations <out.jsonl> --transport http --url <url>
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { ClientStepKind, DriverInput } from '../../src/vocabulary/index.js';
import { EXIT } from '../../src/vocabulary/index.js';
import { type ClientArgs, parseClientArgs } from '../client-args.js';
import { errorMessage, log, monoMs, unsupported } from '../common.js';
import { ObservationWriter } from '../observations.js';
import { Answers, installAnswers } from './client-answers.js';
import { type AwaitTask, type Session, StepRunner } from './client-steps.js';
import { wireErrorKey } from './observed-error.js';
import { implLabel, installedSdkVersion, SDK_NAME } from './sdk-info.js';

export interface ClientFlavour {
  /** The implementation id (driver.json), for the hello record when run by hand. */
  impl: string;
  /** The compiled entry point's file name, for usage messages. */
  script: string;
  awaitTask: AwaitTask;
  /** Steps this flavour does not perform (declared in driver.json `cannot` too), with the reason. */
  cannot: Partial<Record<ClientStepKind, string>>;
}

type Args = ClientArgs;

function parseCommandLine(usage: string): Args {
  return parseClientArgs(process.argv.slice(2), usage);
}

/** What no SDK client can do (raw-client vocabulary) and what this flavour leaves out: exit 127 before connecting. */
function refuseUnsupported(input: DriverInput, flavour: ClientFlavour): void {
  if (input.client.handshake === 'manual') {
    unsupported(
      'option:manual-handshake',
      'an SDK Client always performs initialize itself in connect(); only the raw client can skip or script it',
    );
  }
  for (const step of input.client.steps) {
    if (step.kind === 'send' || step.kind === 'sendRaw') {
      unsupported(`step:${step.kind}`, 'an SDK Client sends only the requests its API builds; arbitrary JSON-RPC is for the raw client');
    }
    const reason = flavour.cannot[step.kind];
    if (reason) unsupported(`step:${step.kind}`, reason);
  }
}

/** A session's transport; `version` learns the protocol version the handshake agreed on. */
function makeTransport(args: Args, version: { value: string | null }): Transport {
  if (args.transport.kind === 'http') return new StreamableHTTPClientTransport(args.transport.url);
  const [command, ...rest] = args.transport.argv as [string, ...string[]];
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  const transport = new StdioClientTransport({ command, args: rest, env, stderr: 'inherit' });
  // Observation only: Client.connect() hands the negotiated version to transport.setProtocolVersion
  // when the transport has one (HTTP does, to set its header); stdio has none, so give it one that
  // just remembers the value. Nothing on the wire changes.
  (transport as Transport).setProtocolVersion = (v: string) => {
    version.value = v;
  };
  return transport;
}

/** The client's capabilities: form elicitation and sampling, and `tasks` when it is a task receiver. */
function capabilities(input: DriverInput): ClientCapabilities {
  const caps: ClientCapabilities = { elicitation: { form: {} }, sampling: {} };
  const receiver = input.client.tasks;
  if (receiver) {
    caps.tasks = {
      ...(receiver.list && { list: {} }),
      ...(receiver.cancel && { cancel: {} }),
      requests: {
        ...(receiver.elicitation && { elicitation: { create: {} } }),
        ...(receiver.sampling && { sampling: { createMessage: {} } }),
      },
    };
  }
  return caps;
}

interface Opened {
  session: Session;
  /** A receiver's task store: its ttl timers are cleared at the end. */
  taskStore?: InMemoryTaskStore;
}

async function openSession(name: string, args: Args, flavour: ClientFlavour, answers: Answers, out: ObservationWriter): Promise<Opened> {
  // A receiver needs a taskStore (the SDK serves tasks/* from it), never a taskMessageQueue (a client with one
  // queues its answers to requests carrying related-task _meta instead of sending them).
  const taskStore = args.input.client.tasks ? new InMemoryTaskStore() : undefined;
  const client = new Client(
    { name: 'interop-ts-client', version: installedSdkVersion() },
    { capabilities: capabilities(args.input), ...(taskStore && { taskStore }) },
  );
  installAnswers(client, name, answers);
  client.onerror = (err) => log('sdk-error', { session: name, error: errorMessage(err) });
  const version: { value: string | null } = { value: null };
  const transport = makeTransport(args, version);
  try {
    await client.connect(transport);
  } catch (err) {
    const message = `connect failed (session ${name}): ${errorMessage(err)}`;
    out.write({ type: 'end', at: monoMs(), ok: false, error: message });
    process.stderr.write(`error: ${message}\n`);
    await client.close().catch(() => {});
    process.exit(EXIT.driverError);
  }
  // Observation only: remember the error responses that arrive, so that an McpError the SDK makes
  // up itself (callToolStream wraps any local failure as -32603) is not recorded as a wire error.
  const wireErrors = new Set<string>();
  const deliver = transport.onmessage;
  transport.onmessage = (message, extra) => {
    const error = (message as { error?: { code?: unknown; message?: unknown } }).error;
    if (error && typeof error.code === 'number' && typeof error.message === 'string')
      wireErrors.add(wireErrorKey(error.code, error.message));
    deliver?.(message, extra);
  };
  const http = transport instanceof StreamableHTTPClientTransport ? transport : undefined;
  if (http) version.value = http.protocolVersion ?? null;
  out.write({
    type: 'hello',
    at: monoMs(),
    role: 'client',
    impl: implLabel(flavour.impl),
    sdk: { name: SDK_NAME, version: installedSdkVersion() },
    protocolVersion: version.value,
    serverCapabilities: client.getServerCapabilities(),
    serverInfo: client.getServerVersion(),
    session: name,
    ...(http?.sessionId !== undefined && { sessionId: http.sessionId }),
  });
  return { session: { name, client, tools: new Map(), wireErrors }, ...(taskStore && { taskStore }) };
}

async function main(flavour: ClientFlavour): Promise<void> {
  const usage = `${flavour.script} --scenario <file> --observations <out.jsonl> (--transport stdio --server-command '<JSON argv>' | --transport http --url <url>)`;
  const args = parseCommandLine(usage);
  refuseUnsupported(args.input, flavour);
  const out = new ObservationWriter(args.observations);
  const answers = new Answers(args.input.client, out);

  // Sessions open one after the other, in the order the scenario declares them.
  const opened: Opened[] = [];
  for (const name of args.input.client.sessions) opened.push(await openSession(name, args, flavour, answers, out));

  const sessions = new Map(opened.map((o) => [o.session.name, o.session]));
  const runner = new StepRunner(sessions, args.input.client.sessions[0]!, out, flavour.awaitTask);
  for (const [index, step] of args.input.client.steps.entries()) {
    log('step', { index, kind: step.kind, session: step.session });
    await runner.run(step, index);
  }

  answers.flush();
  out.write({ type: 'end', at: monoMs(), ok: true });
  for (const { session, taskStore } of opened) {
    taskStore?.cleanup();
    await session.client.close().catch((err) => log('close-error', { session: session.name, error: errorMessage(err) }));
  }
  process.exit(EXIT.ok);
}

export function runClientDriver(flavour: ClientFlavour): void {
  main(flavour).catch((err) => {
    process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(EXIT.driverError);
  });
}
