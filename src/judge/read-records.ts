/** Reads a cell's JSON Lines files back, validating each line; bad lines are reported, not dropped silently. */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import type { z } from 'zod';
import { ObservationRecord } from '../vocabulary/observation.js';
import { type HttpContext, TraceEvent } from '../vocabulary/trace.js';

export interface Lines<T> {
  records: T[];
  /** Line number in the file (0-based) of each record, for evidence. */
  lineOf: number[];
  problems: { line: number; message: string }[];
  missing: boolean;
}

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;

/**
 * Calls `each` with every line of a file (0-based line numbers), reading it a chunk at a time: a
 * trace of a very long cell is tens of MB, and holding it whole as one string beside its parsed
 * records would double the judge's memory.
 */
export function forEachLine(file: string, each: (text: string, line: number) => void): void {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(CHUNK);
    let carry: Buffer[] = [];
    let line = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      let start = 0;
      for (let nl = buf.indexOf(NEWLINE, 0); nl >= 0 && nl < n; nl = buf.indexOf(NEWLINE, start)) {
        const part = buf.subarray(start, nl);
        each((carry.length ? Buffer.concat([...carry, part]) : part).toString('utf8'), line++);
        carry = [];
        start = nl + 1;
      }
      // A line that goes on in the next chunk: keep a copy (the buffer is reused).
      if (start < n) carry.push(Buffer.from(buf.subarray(start, n)));
    }
    if (carry.length) each(Buffer.concat(carry).toString('utf8'), line);
  } finally {
    closeSync(fd);
  }
}

function readJsonLines<S extends z.ZodType>(
  file: string,
  schema: S,
  keep: (record: z.output<S>) => z.output<S> = (r) => r,
): Lines<z.output<S>> {
  const out: Lines<z.output<S>> = { records: [], lineOf: [], problems: [], missing: !existsSync(file) };
  if (out.missing) return out;
  forEachLine(file, (text, line) => {
    if (!text.trim()) return;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      out.problems.push({ line, message: `not JSON: ${(err as Error).message}` });
      return;
    }
    const parsed = schema.safeParse(data);
    if (parsed.success) {
      out.records.push(keep(parsed.data));
      out.lineOf.push(line);
    } else {
      const issue = parsed.error.issues[0]!;
      out.problems.push({ line, message: `${issue.path.join('.') || '(record)'}: ${issue.message}` });
    }
  });
  return out;
}

const BODIES = ['params', 'result', 'error'] as const;
/** The strings of an HTTP context that every event of a session repeats. */
const HTTP_STRINGS = ['path', 'contentType', 'sessionId'] as const;

/**
 * Makes repeated message bodies one shared object: the params of every poll of a task, the
 * result of every poll that saw the same Task; and the same for HTTP contexts (the events of one
 * exchange repeat it), whose session id and content type are one string each. A cell that polls
 * fast for long has tens of thousands of them; the judge only reads records, so for it sharing
 * changes nothing but the memory they take (over HTTP, about a third of the records'). (A reader
 * that edits records, as tests do, reads them unshared.)
 */
function bodySharer(): (event: TraceEvent) => TraceEvent {
  const share = sharer();
  const strings = new Map<string, string>();
  const intern = (text: string) => {
    const known = strings.get(text);
    if (known !== undefined) return known;
    strings.set(text, text);
    return text;
  };
  // The last context of each exchange and direction: the events of an exchange come together,
  // and keying every context by its text would hold one string per exchange (100,000 of them).
  const lastHttp = new Map<string, HttpContext>();
  return (event) => {
    if (event.kind !== 'process' && event.http) {
      const http = event.http;
      const key = `${event.dir ?? ''}${http.exchange}`;
      const last = lastHttp.get(key);
      if (last && sameHttp(last, http)) event.http = last;
      else {
        for (const name of HTTP_STRINGS) {
          const text = http[name];
          if (text !== undefined) http[name] = intern(text);
        }
        lastHttp.set(key, http);
      }
    }
    if (event.kind !== 'message') return event;
    const msg = event.msg;
    for (const key of BODIES) {
      const body = msg[key];
      if (typeof body === 'object' && body !== null) msg[key] = share(key, body);
    }
    return event;
  };
}

/** Whether two HTTP contexts say the same (their fields are all numbers and strings). */
function sameHttp(a: HttpContext, b: HttpContext): boolean {
  const keys = Object.keys(a) as (keyof HttpContext)[];
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** The same for the requests a step sent: a poll step sends the same tasks/get once per poll. */
function sentSharer(): (record: ObservationRecord) => ObservationRecord {
  const share = sharer();
  return (record) => {
    if (record.type === 'step' && Array.isArray(record.sent)) record.sent = record.sent.map((m) => share('sent', m));
    return record;
  };
}

/** The first object seen with the same content (under a kind of body), for every later one. */
function sharer(): <T>(kind: string, body: T) => T {
  const seen = new Map<string, unknown>();
  return <T>(kind: string, body: T): T => {
    const text = `${kind}${JSON.stringify(body)}`;
    const shared = seen.get(text);
    if (shared !== undefined) return shared as T;
    seen.set(text, body);
    return body;
  };
}

export const readObservations = (file: string, opts: { shareBodies?: boolean } = {}) =>
  readJsonLines(file, ObservationRecord, opts.shareBodies ? sentSharer() : undefined);
export const readTrace = (file: string, opts: { shareBodies?: boolean } = {}) =>
  readJsonLines(file, TraceEvent, opts.shareBodies ? bodySharer() : undefined);
