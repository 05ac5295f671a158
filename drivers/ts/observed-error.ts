/**
 * Turns what a TS SDK call threw into the observation's `{code, message, data?, local?}`.
 *
 * The SDK throws McpError both for JSON-RPC error responses and for errors it makes up itself;
 * it does not say which. Locally made ones are recognised by what the SDK source creates:
 * `RequestTimeout` ("Request timed out", data {timeout}) and `ConnectionClosed` ("Connection
 * closed") have no wire code at all (code null); anything that is not an McpError (a zod
 * validation error of the result, "Not connected", ...) is local too. Callers flag the other
 * local McpErrors they can predict (the callTool guard for `required` tools).
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { ObservedError } from '../../src/vocabulary/index.js';

/** An error the driver itself raises for a step (unknown alias, poll deadline): never on the wire. */
export class LocalStepError extends Error {}

/** A step failure whose observed form the step already knows (e.g. an error the SDK's own flow made up). */
export class ObservedStepError extends Error {
  constructor(readonly observed: ObservedError) {
    super(observed.message);
  }
}

/** McpError's constructor prepends "MCP error <code>: " to the wire message; record the message as sent. */
export function wireMessage(err: McpError): string {
  const prefix = `MCP error ${err.code}: `;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}

export function observeError(err: unknown, opts: { local?: boolean } = {}): ObservedError {
  if (err instanceof McpError) {
    const message = wireMessage(err);
    const sdkMade =
      (err.code === ErrorCode.RequestTimeout && message === 'Request timed out') ||
      (err.code === ErrorCode.ConnectionClosed && message === 'Connection closed');
    if (sdkMade) {
      return { code: null, message, ...(err.data !== undefined && { data: err.data }), local: true, sdkCode: err.code };
    }
    return { code: err.code, message, ...(err.data !== undefined && { data: err.data }), ...(opts.local && { local: true }) };
  }
  // zod 3 names it ZodError, zod 4 $ZodError (the SDK validates with whichever its release uses).
  if (err instanceof Error && /ZodError$/.test(err.name) && Array.isArray((err as { issues?: unknown }).issues)) {
    // The SDK validating a result against its schema: say so in one line, as the Python driver does.
    const issues = (err as unknown as { issues: { path: PropertyKey[]; message: string }[] }).issues;
    const detail = issues.map((i) => `${i.path.map(String).join('.') || '(result)'}: ${i.message}`).join('; ');
    return { code: null, message: `the SDK could not parse the response: ${detail}`, local: true };
  }
  const message = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  return { code: null, message, local: true };
}

/** How a JSON-RPC error response is remembered (a session's `wireErrors`): its code and message as sent. */
export function wireErrorKey(code: number, message: string): string {
  return `${code} ${message}`;
}
