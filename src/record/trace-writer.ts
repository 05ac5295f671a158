/**
 * Appends trace events to trace.jsonl, one line each, written synchronously so that a recorder
 * killed mid-cell loses nothing it had already seen.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { TraceEvent, TraceEventInput } from '../vocabulary/trace.js';
import { monoMs } from './clock.js';

export class TraceWriter {
  private fd: number | undefined;
  private seq = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  /** Stamps the event with the next sequence number and the monotonic time, and appends it. */
  write(event: TraceEventInput, t = monoMs()): TraceEvent {
    const full = { seq: this.seq++, t, ...event } as TraceEvent;
    if (this.fd !== undefined) writeSync(this.fd, `${JSON.stringify(full)}\n`);
    return full;
  }

  /**
   * Records one chunk of JSON text as message events (one per batch element), or as a raw event
   * when it does not parse as a JSON object or array of objects.
   */
  writeJsonText(text: string, base: Omit<Extract<TraceEventInput, { kind: 'message' }>, 'kind' | 'msg' | 'batch'>, t = monoMs()): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      this.write({ ...base, kind: 'raw', raw: text, error: (err as Error).message }, t);
      return;
    }
    const items = Array.isArray(parsed) ? parsed : [parsed];
    for (const item of items) {
      if (item && typeof item === 'object' && !Array.isArray(item)) {
        this.write(
          { ...base, kind: 'message', msg: item as Record<string, unknown>, ...(Array.isArray(parsed) ? { batch: true } : {}) },
          t,
        );
      } else {
        this.write({ ...base, kind: 'raw', raw: JSON.stringify(item), error: 'not a JSON-RPC message object' }, t);
      }
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
