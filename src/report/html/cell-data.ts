/**
 * A cell page's data: the verdict (findings classified by the baseline), and the cell's recorded
 * files read back from its folder: the trace (every line kept, the unparsable ones as text), the
 * observations, both drivers' stderr, the scenario as run, and a trace diff when one was saved.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type CellOutcome, failureIds, upstreamLinks } from '../../judge/baseline.js';
import { forEachLine } from '../../judge/read-records.js';
import type { Finding } from '../../judge/types.js';
import { type ClientStep, stepName } from '../../vocabulary/scenario.js';
import { specUrl } from '../../vocabulary/spec-sections.js';
import type { TraceEvent } from '../../vocabulary/trace.js';
import { readDiffFile } from './diff-file.js';
import type { CellData, LogText, ReportFinding } from './types.js';

/** A log is cut beyond this (its head and tail kept): stderr of a crashing driver can be huge. */
export const LOG_LIMIT = 256 * 1024;
const LOG_HEAD = 64 * 1024;

export function readLog(file: string, limit = LOG_LIMIT): LogText | undefined {
  if (!file || !existsSync(file)) return undefined;
  const buf = readFileSync(file);
  if (buf.length <= limit) return { text: buf.toString('utf8'), bytes: buf.length, truncated: false };
  const head = buf.subarray(0, LOG_HEAD).toString('utf8');
  const tail = buf.subarray(buf.length - (limit - LOG_HEAD)).toString('utf8');
  return { text: `${head}\n… [${buf.length - limit} bytes left out] …\n${tail}`, bytes: buf.length, truncated: true };
}

/**
 * How many trace events a cell page holds: a cell that polled fast for long has a hundred
 * thousand, which no diagram makes readable and whose data would cost the report writer several
 * hundred MB; its page shows the first `head` and the last `tail` events and says how many it left
 * out between them.
 */
export const TRACE_PAGE_LIMIT = { head: 10_000, tail: 2_000 } as const;

function traceEvent(text: string): TraceEvent | undefined {
  try {
    const ev = JSON.parse(text) as Partial<TraceEvent>;
    return ev && typeof ev === 'object' && typeof ev.seq === 'number' && typeof ev.kind === 'string' ? (ev as TraceEvent) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * trace.jsonl → events, read a line at a time; a line that is not a trace event is kept as text
 * (the page shows it). Beyond `limit`, the events between the head and the tail are counted, not kept.
 */
export function readTraceFile(
  file: string,
  limit: { head: number; tail: number } = TRACE_PAGE_LIMIT,
): Pick<CellData, 'trace' | 'badTraceLines' | 'traceOmitted'> {
  const out: Pick<CellData, 'trace' | 'badTraceLines' | 'traceOmitted'> = { trace: [], badTraceLines: [] };
  if (!file || !existsSync(file)) return out;
  // The events after the head, the last `tail` of them kept (oldest first).
  let tail: TraceEvent[] = [];
  let omitted = 0;
  // Trimmed in batches (at twice the limit), so a long trace is not copied per event.
  const trim = () => {
    omitted += tail.length - limit.tail;
    tail = tail.slice(-limit.tail);
  };
  forEachLine(file, (text, i) => {
    if (!text.trim()) return;
    const ev = traceEvent(text);
    if (!ev) out.badTraceLines.push({ line: i + 1, text });
    else if (out.trace.length < limit.head) out.trace.push(ev);
    else if (tail.push(ev) > 2 * limit.tail) trim();
  });
  if (tail.length > limit.tail) trim();
  if (omitted) out.traceOmitted = { afterSeq: out.trace[out.trace.length - 1]!.seq, count: omitted };
  for (const ev of tail) out.trace.push(ev);
  return out;
}

function readJsonLines(file: string): unknown[] {
  const out: unknown[] = [];
  if (!file || !existsSync(file)) return out;
  forEachLine(file, (text) => {
    if (!text.trim()) return;
    try {
      out.push(JSON.parse(text) as unknown);
    } catch {
      out.push({ unparsable: text });
    }
  });
  return out;
}

function readJson(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    return { unparsable: (err as Error).message };
  }
}

const withUrl = (f: Finding) => (f.section ? { specUrl: specUrl(f.section) } : {});

export function reportFindings(o: CellOutcome): ReportFinding[] {
  return [
    ...o.unexpected.map((f): ReportFinding => ({ ...f, ...withUrl(f), status: 'unexpected' })),
    ...o.known.map(
      (k): ReportFinding => ({
        ...k.finding,
        ...withUrl(k.finding),
        status: 'known',
        reason: k.entry.reason.trim(),
        upstream: upstreamLinks(k.entry),
      }),
    ),
    ...o.verdict.warnings.map((f): ReportFinding => ({ ...f, ...withUrl(f), status: 'warning' })),
    ...o.verdict.info.map((f): ReportFinding => ({ ...f, ...withUrl(f), status: 'info' })),
  ];
}

/** Step names from the scenario as run (scenario.json's client.steps). */
export function stepNames(scenario: unknown): string[] {
  const steps = (scenario as { client?: { steps?: unknown } } | undefined)?.client?.steps;
  if (!Array.isArray(steps)) return [];
  return steps.map((s, i) => (s && typeof s === 'object' && 'kind' in s ? stepName(s as ClientStep, i) : `s${i + 1}`));
}

/** The folder holding a cell's files (absolute); a cell that never ran has none, its page goes to cells/<slug>. */
export function cellDir(runDir: string, o: CellOutcome): string {
  return join(runDir, o.verdict.files.dir || join('cells', o.verdict.cell.slug));
}

/**
 * `pageOf` maps a cell id to its page relative to this cell's page, for the cells a diff names.
 */
export function cellData(runDir: string, runId: string, o: CellOutcome, pageOf: (cellId: string) => string | undefined): CellData {
  const v = o.verdict;
  const abs = (rel: string) => (rel ? join(runDir, rel) : '');
  const dir = cellDir(runDir, o);
  const ran = Boolean(v.files.dir) && existsSync(dir) && statSync(dir).isDirectory();
  const diff = ran ? readDiffFile(join(dir, 'diff.json')) : undefined;
  const links: Record<string, string> = {};
  for (const b of diff?.blocks ?? []) {
    for (const id of [b.a.cell, b.b.cell]) {
      const page = id === undefined ? undefined : pageOf(id);
      if (id !== undefined && id !== v.cell.id && page) links[id] = page;
    }
  }
  const clientStderr = readLog(abs(v.files.clientStderr));
  const serverStderr = readLog(abs(v.files.serverStderr));
  const scenario = ran ? readJson(join(dir, 'scenario.json')) : undefined;
  return {
    page: 'cell',
    runId,
    cell: v.cell,
    outcome: o.outcome,
    status: v.status,
    durationMs: v.durationMs,
    ...(v.startedAt ? { startedAt: v.startedAt } : {}),
    ...(v.protocolVersion ? { protocolVersion: v.protocolVersion } : {}),
    rerun: v.rerun,
    findings: reportFindings(o),
    expectations: v.expectations,
    checks: v.checks.map((c) => ({ id: c.id, outcome: c.outcome })),
    unsupported: v.unsupported ?? [],
    stale: o.stale.map((e) => ({ ids: failureIds(e), reason: e.reason.trim() })),
    ran,
    ...readTraceFile(abs(v.files.trace)),
    observations: readJsonLines(abs(v.files.observations)),
    stepNames: stepNames(scenario),
    ...(clientStderr ? { clientStderr } : {}),
    ...(serverStderr ? { serverStderr } : {}),
    ...(scenario !== undefined ? { scenario } : {}),
    ...(diff ? { diff } : {}),
    links,
    files: v.files,
  };
}
