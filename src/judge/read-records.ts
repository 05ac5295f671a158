/** Reads a cell's JSON Lines files back, validating each line; bad lines are reported, not dropped silently. */
import { existsSync, readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ObservationRecord } from '../vocabulary/observation.js';
import { TraceEvent } from '../vocabulary/trace.js';

export interface Lines<T> {
  records: T[];
  /** Line number in the file (0-based) of each record, for evidence. */
  lineOf: number[];
  problems: { line: number; message: string }[];
  missing: boolean;
}

function readJsonLines<S extends z.ZodType>(file: string, schema: S): Lines<z.output<S>> {
  const out: Lines<z.output<S>> = { records: [], lineOf: [], problems: [], missing: !existsSync(file) };
  if (out.missing) return out;
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, line) => {
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
        out.records.push(parsed.data);
        out.lineOf.push(line);
      } else {
        const issue = parsed.error.issues[0]!;
        out.problems.push({ line, message: `${issue.path.join('.') || '(record)'}: ${issue.message}` });
      }
    });
  return out;
}

export const readObservations = (file: string) => readJsonLines(file, ObservationRecord);
export const readTrace = (file: string) => readJsonLines(file, TraceEvent);
