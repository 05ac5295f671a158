import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into lines, keeping the partial tail for the next chunk. Decodes with a
 * StringDecoder so a UTF-8 character split across two chunks is not mangled.
 */
export class LineSplitter {
  private tail = '';
  private readonly decoder = new StringDecoder('utf8');

  push(chunk: Buffer | string): string[] {
    const parts = (this.tail + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk))).split('\n');
    this.tail = parts.pop() ?? '';
    return parts;
  }

  flush(): string[] {
    const rest = this.tail + this.decoder.end();
    this.tail = '';
    return rest ? [rest] : [];
  }
}
