/**
 * stdio: the raw client starts the server with exactly the argv it was given (the harness's
 * recorder in front of the server driver) and speaks newline-delimited JSON-RPC on its
 * stdin/stdout; the server's stderr is inherited.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { LineSplitter } from '../../src/record/line-splitter.js';
import { errorMessage, log } from '../common.js';
import type { Channel, ChannelEvents, Exchange } from './channel.js';
import { tryParse } from './jsonrpc.js';

/** How long close() lets the server exit by itself after stdin closed, then after SIGTERM. */
const EXIT_GRACE_MS = 2000;

export class StdioChannel implements Channel {
  readonly sessionId = undefined;
  private readonly child: ChildProcess;
  private exited: Promise<void>;
  private gone = false;

  constructor(argv: string[], events: ChannelEvents) {
    const [command, ...args] = argv as [string, ...string[]];
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], env: process.env });
    const lines = new LineSplitter();
    const onLine = (line: string) => {
      if (line.trim() === '') return;
      const parsed = tryParse(line);
      if (parsed.ok) events.onMessage(parsed.value);
      else events.onUnparsable(line, parsed.error);
    };
    this.child.stdout!.on('data', (chunk: Buffer) => {
      for (const line of lines.push(chunk)) onLine(line);
    });
    this.child.stdout!.on('end', () => {
      for (const line of lines.flush()) onLine(line);
    });
    // A write after the server died raises EPIPE here; the exit handler reports the loss.
    this.child.stdin!.on('error', (err) => log('stdin-error', { error: errorMessage(err) }));
    this.exited = new Promise((resolve) => {
      this.child.on('error', (err) => {
        this.gone = true;
        events.onClosed(`the server process could not be started: ${errorMessage(err)}`);
        resolve();
      });
      this.child.on('exit', (code, signal) => {
        this.gone = true;
        events.onClosed(`the server process exited (${signal ? `signal ${signal}` : `code ${code}`})`);
        resolve();
      });
    });
  }

  send(text: string): Exchange {
    if (this.gone || !this.child.stdin!.writable) {
      return { done: Promise.resolve({ messages: [], failure: 'the server process is gone' }) };
    }
    return {
      done: new Promise((resolve) => {
        this.child.stdin!.write(`${text}\n`, (err) => resolve({ messages: [], ...(err && { failure: errorMessage(err) }) }));
      }),
    };
  }

  setProtocolVersion(): void {
    // stdio carries no protocol version header.
  }

  initialized(): void {
    // Nothing to open on stdio.
  }

  async close(): Promise<void> {
    if (this.gone) return;
    this.child.stdin!.end();
    for (const signal of [undefined, 'SIGTERM', 'SIGKILL'] as const) {
      if (signal) this.child.kill(signal);
      const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), EXIT_GRACE_MS).unref());
      if ((await Promise.race([this.exited.then(() => 'gone' as const), timer])) === 'gone') return;
    }
  }
}
