/**
 * An in-process stand-in for a server behind a raw-client Channel: every message the client
 * sends is recorded, requests are answered by a handler, and the test can push messages (server
 * requests, notifications) as the server would.
 */
import type { Channel, ChannelEvents, Exchange } from '../../drivers/raw/channel.js';

export type Handler = (
  method: string,
  params: unknown,
  id: unknown,
) => { result: unknown } | { error: { code: number; message: string } } | undefined;

export class FakeServer implements Channel {
  readonly sent: Record<string, unknown>[] = [];
  readonly raw: string[] = [];
  sessionId: string | undefined = undefined;
  protocolVersion: string | undefined;
  initializedCalls = 0;
  closed = false;
  private events!: ChannelEvents;

  constructor(private readonly handler: Handler) {}

  attachTo(events: ChannelEvents): this {
    this.events = events;
    return this;
  }

  send(text: string): Exchange {
    this.raw.push(text);
    let msg: Record<string, unknown> | undefined;
    try {
      msg = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return { done: Promise.resolve({ messages: [] }) };
    }
    this.sent.push(msg);
    if (typeof msg.method === 'string' && 'id' in msg) {
      const answer = this.handler(msg.method, msg.params, msg.id);
      // Answer asynchronously, as a transport would.
      if (answer) setImmediate(() => this.events.onMessage({ jsonrpc: '2.0', id: msg!.id, ...answer }));
    }
    return { done: Promise.resolve({ messages: [] }) };
  }

  /** A message from the server (a request or a notification). */
  push(msg: Record<string, unknown>): void {
    this.events.onMessage(msg);
  }

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }

  initialized(): void {
    this.initializedCalls++;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** The requests sent with a method, in order. */
  requests(method: string): Record<string, unknown>[] {
    return this.sent.filter((m) => m.method === method && 'id' in m);
  }
}
