/**
 * A transport as the raw client uses it: it carries exact text to the server and hands every
 * message that comes back, from any stream, to `onMessage` as it arrives. One channel is one
 * client session (stdio: the spawned server process; HTTP: one Mcp-Session-Id).
 */

/** How one outgoing message's exchange ended (HTTP: the POST and its body; stdio: the write). */
export interface ExchangeEnd {
  /** HTTP status of the POST. */
  status?: number;
  contentType?: string;
  /** JSON-RPC messages the exchange's body carried (they were also given to onMessage). */
  messages: unknown[];
  /** A body that was neither JSON nor an event stream (an HTTP error page, say), or unparsable JSON. */
  text?: string;
  /** The exchange failed below HTTP (connection refused, reset, write error). */
  failure?: string;
}

export interface Exchange {
  /** Resolves when the exchange is over (never rejects). */
  done: Promise<ExchangeEnd>;
  /** HTTP: status and content type, set as soon as the response headers arrive (before its body). */
  head?: { status: number; contentType?: string };
}

export interface ChannelEvents {
  /** A parsed JSON value (one message, or a batch array) from the server. */
  onMessage(value: unknown): void;
  /** Bytes from the server that were not JSON (a stdio line, an SSE event's data). */
  onUnparsable(text: string, error: string): void;
  /** The channel is gone (the server process exited); pending requests will get no answer. */
  onClosed(reason: string): void;
}

export interface Channel {
  /** Sends one message's exact text. */
  send(text: string): Exchange;
  /** The protocol version initialize agreed on (HTTP sends it as MCP-Protocol-Version from then on). */
  setProtocolVersion(version: string): void;
  /** The session has been initialized (HTTP opens its GET stream). */
  initialized(): void;
  /** HTTP: the session id the server gave, once it did. */
  readonly sessionId: string | undefined;
  /** Ends the session (HTTP DELETE; stdio: stdin closed, the process stopped), within a deadline. */
  close(): Promise<void>;
}
