/**
 * Splits a text/event-stream body into whole event blocks, as text, each with its line endings
 * and the blank line that ends it, so the HTTP proxy can hold back, drop or move one event and
 * forward the others unchanged (only when the scenario has faults; otherwise bytes are streamed
 * as they come). A block ends at an empty line (CRLF, LF or CR endings, as in sse-parser.ts); a
 * CR at the very end of a chunk waits for the next chunk, which may start with its LF.
 */
import { StringDecoder } from 'node:string_decoder';

export class SseBlockSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private buf = '';
  /** How far buf has been scanned for line ends, and where the line being scanned starts. */
  private scanned = 0;
  private lineStart = 0;

  push(chunk: Buffer | string): string[] {
    this.buf += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const blocks: string[] = [];
    let blockStart = 0;
    let i = this.scanned;
    let lineStart = this.lineStart;
    while (i < this.buf.length) {
      const c = this.buf.charCodeAt(i);
      if (c !== 10 && c !== 13) {
        i++;
        continue;
      }
      let end = i + 1;
      if (c === 13) {
        if (end === this.buf.length) break; // a CR at the end: its LF may start the next chunk
        if (this.buf.charCodeAt(end) === 10) end++;
      }
      const empty = i === lineStart;
      i = end;
      lineStart = end;
      if (empty) {
        // An empty line ends the block (extra blank lines come out as blocks of their own).
        blocks.push(this.buf.slice(blockStart, end));
        blockStart = end;
      }
    }
    this.buf = this.buf.slice(blockStart);
    this.scanned = i - blockStart;
    this.lineStart = lineStart - blockStart;
    return blocks;
  }

  /** The rest of the stream: an unterminated last block, if any. */
  flush(): string | undefined {
    const rest = this.buf + this.decoder.end();
    this.buf = '';
    this.scanned = 0;
    this.lineStart = 0;
    return rest === '' ? undefined : rest;
  }
}
