/**
 * The client sessions of a scenario (`client.sessions`): each its own channel and its own
 * initialize (over HTTP its own Mcp-Session-Id). The handshake is the lifecycle's: initialize,
 * then notifications/initialized; with `handshake: manual` the steps send them (or not).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../src/paths.js';
import { monoMs } from '../../src/record/clock.js';
import { DRIVER_ENV, type DriverInput } from '../../src/vocabulary/index.js';
import type { ObservationSink } from '../observations.js';
import { isObject } from './jsonrpc.js';
import type { Peer } from './peer.js';

export const PROTOCOL_VERSION = '2025-11-25';
export const CLIENT_NAME = 'mcp-interop-raw';
/** What the hello record names as the "SDK": none, the harness's own JSON-RPC. */
export const RAW_SDK_NAME = 'raw JSON-RPC (no SDK)';

export function harnessVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export interface SessionState {
  name: string;
  peer: Peer;
  /** From the initialize result (automatic or sent by a step). */
  serverCapabilities?: unknown;
  /** taskSupport of each tool the last tools/list of this session showed (undefined = absent). */
  tools: Map<string, string | undefined>;
}

export function clientCapabilities(client: DriverInput['client']): Record<string, unknown> {
  const caps: Record<string, unknown> = { elicitation: { form: {} }, sampling: {} };
  const t = client.tasks;
  if (t) {
    const requests: Record<string, unknown> = {};
    if (t.elicitation) requests.elicitation = { create: {} };
    if (t.sampling) requests.sampling = { createMessage: {} };
    caps.tasks = { ...(t.list && { list: {} }), ...(t.cancel && { cancel: {} }), requests };
  }
  return caps;
}

export function initializeParams(client: DriverInput['client']): Record<string, unknown> {
  return {
    protocolVersion: PROTOCOL_VERSION,
    capabilities: clientCapabilities(client),
    clientInfo: { name: CLIENT_NAME, version: harnessVersion() },
  };
}

/** After an initialize result (automatic or a step's): the channel learns the version, the session the capabilities. */
export function adoptInitializeResult(session: SessionState, result: unknown): void {
  if (!isObject(result)) return;
  if (typeof result.protocolVersion === 'string') session.peer.transport.setProtocolVersion(result.protocolVersion);
  session.serverCapabilities = result.capabilities;
}

export function writeHello(out: ObservationSink, session: SessionState, result: unknown): void {
  const r = isObject(result) ? result : {};
  out.write({
    type: 'hello',
    at: monoMs(),
    role: 'client',
    impl: process.env[DRIVER_ENV.impl] ?? 'raw',
    sdk: { name: RAW_SDK_NAME, version: harnessVersion() },
    protocolVersion: typeof r.protocolVersion === 'string' ? r.protocolVersion : null,
    ...(r.capabilities !== undefined && { serverCapabilities: r.capabilities }),
    ...(r.serverInfo !== undefined && { serverInfo: r.serverInfo }),
    session: session.name,
    ...(session.peer.sessionId !== undefined && { sessionId: session.peer.sessionId }),
  });
}

/** The automatic handshake; throws with the reason when initialize fails. */
export async function handshake(session: SessionState, client: DriverInput['client'], timeoutMs: number): Promise<unknown> {
  const reply = await session.peer.request('initialize', initializeParams(client), timeoutMs);
  if (!reply.ok) throw new Error(`initialize failed: ${reply.error.code ?? '(no code)'} ${reply.error.message}`);
  adoptInitializeResult(session, reply.result);
  const sent = await session.peer.notify('notifications/initialized', undefined);
  if (!sent.ok) throw new Error(`notifications/initialized was not accepted: ${sent.error?.message}`);
  session.peer.transport.initialized();
  return reply.result;
}
