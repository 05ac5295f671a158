/** The SSE parser the HTTP proxy runs beside the byte stream. */
import { describe, expect, it } from 'vitest';
import { type SseItem, SseParser } from '../../src/record/sse-parser.js';

function parse(pieces: (string | Buffer)[]): SseItem[] {
  const items: SseItem[] = [];
  const p = new SseParser((i) => items.push(i));
  for (const piece of pieces) p.push(piece);
  p.end();
  return items;
}

const STREAM =
  '\uFEFF: hello\r\n\r\n' +
  'id: 1\r\nevent: message\r\ndata: {"a":\r\ndata:  1}\r\n\r\n' + // second data line keeps one of its two spaces
  'data: x\rdata: y\r\r' +
  'data\n\n' + // a field name alone: empty data
  'id: 2\nretry: 500\n\n' + // no data
  'foo: bar\ndata: z\n\n' + // unknown field ignored
  'id: a\0b\ndata: w\n\n' + // id with NUL ignored
  'data: ünïcödé 😀\n\n' +
  'data: tail';

const EXPECTED: SseItem[] = [
  { type: 'comment', text: 'hello' },
  { type: 'event', data: '{"a":\n 1}', id: '1', event: 'message' },
  { type: 'event', data: 'x\ny' },
  { type: 'event', data: '' },
  { type: 'event', data: undefined, id: '2', retry: 500 },
  { type: 'event', data: 'z' },
  { type: 'event', data: 'w' },
  { type: 'event', data: 'ünïcödé 😀' },
  { type: 'incomplete', text: 'data: tail' },
];

describe('SseParser', () => {
  it('parses a whole stream', () => {
    expect(parse([STREAM])).toEqual(EXPECTED);
  });

  it('gives the same items fed one byte at a time (split CRLF, split UTF-8)', () => {
    const bytes = Buffer.from(STREAM, 'utf8');
    const pieces = [...bytes].map((b) => Buffer.from([b]));
    expect(parse(pieces)).toEqual(EXPECTED);
  });

  it('gives the same items at every two-piece split', () => {
    const bytes = Buffer.from(STREAM, 'utf8');
    for (let i = 1; i < bytes.length; i++) {
      expect(parse([bytes.subarray(0, i), bytes.subarray(i)])).toEqual(EXPECTED);
    }
  });

  it('treats a CR at a chunk end followed by LF as one line ending, but CR then other text as two', () => {
    expect(parse(['data: a\r', '\n\r', '\n'])).toEqual([{ type: 'event', data: 'a' }]);
    expect(parse(['data: a\r', 'data: b\r', '\r'])).toEqual([{ type: 'event', data: 'a\nb' }]);
  });

  it('reports nothing for blank lines alone and nothing incomplete after a clean end', () => {
    expect(parse(['\n\n\r\n', ''])).toEqual([]);
  });
});
