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

/**
 * Splits a byte stream into complete lines as bytes, each with its `\n`, so a recorder that
 * forwards line by line (to drop, delay or insert one) passes every byte on unchanged.
 */
export class ByteLineSplitter {
  private tail: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    const data = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
    const lines: Buffer[] = [];
    let start = 0;
    for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
      lines.push(data.subarray(start, nl + 1));
      start = nl + 1;
    }
    this.tail = Buffer.from(data.subarray(start));
    return lines;
  }

  /** What is left without a final newline. */
  flush(): Buffer | undefined {
    const rest = this.tail;
    this.tail = Buffer.alloc(0);
    return rest.length ? rest : undefined;
  }
}
