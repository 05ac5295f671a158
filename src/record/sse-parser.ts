/**
 * Incremental parser for a text/event-stream body (WHATWG HTML "Server-sent events", §9.2.6),
 * fed with the raw chunks as they arrive. Used by the HTTP proxy on the side of the byte stream
 * it forwards: it never holds the stream back, it only reports what went by.
 *
 * - Lines end in CRLF, LF or CR; a CRLF split across two chunks counts once.
 * - UTF-8 sequences split across chunks are decoded correctly; a leading BOM is dropped.
 * - `data:` lines of one event are joined with "\n"; a blank line dispatches the event.
 * - `id:` is reported only for the event whose block carried it (what was on the wire), not
 *   the inherited "last event ID" a client would keep.
 * - Comment lines (starting with ":") are reported at once, one item each.
 * - At the end of the stream, an event whose block was not terminated by a blank line is
 *   reported as `incomplete` (a browser would drop it; a recorder keeps the bytes).
 */
import { StringDecoder } from 'node:string_decoder';

export type SseItem =
  | {
      type: 'event';
      /** The joined data lines; undefined when the block had no `data` field (only id/event/retry). */
      data: string | undefined;
      id?: string;
      event?: string;
      retry?: number;
    }
  | { type: 'comment'; text: string }
  | { type: 'incomplete'; text: string };

export class SseParser {
  private readonly decoder = new StringDecoder('utf8');
  private buf = '';
  private started = false;
  private skipLF = false;
  private data: string[] | undefined;
  private id: string | undefined;
  private event: string | undefined;
  private retry: number | undefined;
  /** Raw lines of the block being read, kept to report an incomplete final event. */
  private block: string[] = [];

  constructor(private readonly onItem: (item: SseItem) => void) {}

  push(chunk: Buffer | string): void {
    this.text(typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
  }

  /** The stream ended: flushes what is left and reports an unterminated event. */
  end(): void {
    this.text(this.decoder.end());
    if (this.buf !== '') {
      this.block.push(this.buf);
      this.buf = '';
    }
    if (this.block.length > 0) {
      this.onItem({ type: 'incomplete', text: this.block.join('\n') });
      this.reset();
    }
  }

  private text(s: string): void {
    if (s === '') return;
    if (!this.started) {
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      if (s === '') return;
    }
    if (this.skipLF) {
      this.skipLF = false;
      if (s.charCodeAt(0) === 10) s = s.slice(1);
    }
    const buf = this.buf === '' ? s : this.buf + s;
    let start = 0;
    // Next CR / LF positions, recomputed only once passed (-1: none left in buf).
    let cr = -2;
    let lf = -2;
    for (;;) {
      if (cr !== -1 && cr < start) cr = buf.indexOf('\r', start);
      if (lf !== -1 && lf < start) lf = buf.indexOf('\n', start);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (end === -1) break;
      const line = buf.slice(start, end);
      let next = end + 1;
      if (end === cr) {
        if (next < buf.length) {
          if (buf.charCodeAt(next) === 10) next++;
        } else {
          this.skipLF = true; // the LF of this CRLF may be the next chunk's first byte
        }
      }
      start = next;
      this.line(line);
    }
    this.buf = start === 0 ? buf : buf.slice(start);
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) {
      this.onItem({ type: 'comment', text: line.slice(1).replace(/^ /, '') });
      return;
    }
    this.block.push(line);
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data ??= [];
        this.data.push(value);
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.id = value;
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.retry = Number(value);
        break;
      default:
        break; // unknown fields are ignored, as the SSE spec says
    }
  }

  private dispatch(): void {
    if (this.block.length === 0) return;
    const item: SseItem = { type: 'event', data: this.data?.join('\n') };
    if (this.id !== undefined) item.id = this.id;
    if (this.event !== undefined) item.event = this.event;
    if (this.retry !== undefined) item.retry = this.retry;
    this.reset();
    this.onItem(item);
  }

  private reset(): void {
    this.data = undefined;
    this.id = undefined;
    this.event = undefined;
    this.retry = undefined;
    this.block = [];
  }
}
