/**
 * The data the HTML report embeds in its pages (as JSON) and the browser code renders. Written by
 * the Node side (index-data.ts, cell-data.ts), read by client/; plain data, no functions.
 */
import type { Outcome } from '../../judge/baseline.js';
import type { ImplInfo, Verdict } from '../../judge/judge.js';
import type { ExpectationResult, Finding } from '../../judge/types.js';
import type { Unsupported } from '../../plan/plan.js';
import type { TraceEvent } from '../../vocabulary/trace.js';
import type { RunMeta } from '../run-meta.js';

/** A cell as the index shows it. */
export interface IndexCell {
  id: string;
  slug: string;
  scenario: string;
  /** Implementation labels, as in the cell id (`ts`, `ts@1.29.0`). */
  client: string;
  server: string;
  /** Implementation names, without release (`ts`, `ts-mcp`). */
  clientName: string;
  serverName: string;
  transport: string;
  /** `client→server` (labels). */
  pairing: string;
  outcome: Outcome;
  durationMs: number;
  /** Failure ids (known and unexpected) and warning ids, for the text search. */
  failures: string[];
  warnings: string[];
  /** One line per unexpected failure or stale entry. */
  problems: string[];
  /** Relative to the run folder. */
  href: string;
}

export interface ScenarioInfo {
  title?: string;
  tags: string[];
}

/** A group of cells sharing one explanation (a baseline entry, a warning id, an unsupported reason). */
export interface CellGroup {
  title: string;
  /** The failure or check ids the group is about. */
  ids: string[];
  text?: string;
  /** The side failures or warnings blame. */
  blame?: string;
  links: string[];
  /** The spec requirement, for warnings. */
  requirement?: string;
  specUrl?: string;
  cells: { id: string; href: string }[];
}

export interface IndexData {
  page: 'index';
  runId: string;
  command: string;
  startedAt: string;
  durationMs: number;
  releases: RunMeta['releases'];
  sdks: string[];
  /** One shard of a sharded run, or a run merged from shards. */
  shard?: { index: number; count: number };
  mergedFrom?: string[];
  cells: IndexCell[];
  scenarios: Record<string, ScenarioInfo>;
  failures: CellGroup[];
  known: CellGroup[];
  warnings: CellGroup[];
  unsupported: CellGroup[];
  stale: CellGroup[];
  /** Version × version tables (several releases of an SDK in the run). */
  versionTables: { pair: string; rows: string[]; columns: string[]; counts: Record<string, Record<string, Record<Outcome, number>>> }[];
}

/** A finding as a cell page lists it: how the baseline classified it, and the explanation. */
export interface ReportFinding extends Finding {
  status: 'unexpected' | 'known' | 'warning' | 'info';
  /** For known failures: the baseline entry's reason and upstream links. */
  reason?: string;
  upstream?: string[];
  specUrl?: string;
}

export interface LogText {
  text: string;
  /** Bytes of the file; the text is cut when it is larger than the page keeps. */
  bytes: number;
  truncated: boolean;
}

/**
 * A trace diff shown on a cell page: what `mcp-interop diff A B --json` prints (one block) or
 * `--across` prints (an array of blocks), saved as cells/<slug>/diff.json. Only these fields are read.
 */
export interface DiffBlock {
  a: { label: string; cell?: string };
  b: { label: string; cell?: string };
  equivalent: boolean;
  differences: DiffEntry[];
  counts?: Record<string, number>;
}
export interface DiffEntry {
  kind: string;
  where: string;
  path?: string;
  a?: unknown;
  b?: unknown;
  seq: { a?: number; b?: number };
  phase?: string;
  first?: boolean;
  note?: string;
}

export interface CellData {
  page: 'cell';
  runId: string;
  cell: Verdict['cell'];
  outcome: Outcome;
  status: Verdict['status'];
  durationMs: number;
  startedAt?: string;
  protocolVersion?: string;
  rerun: string;
  findings: ReportFinding[];
  expectations: ExpectationResult[];
  /** Every catalogue check's outcome; the requirement texts are in the shared catalogue. */
  checks: { id: string; outcome: 'pass' | 'fail' | 'n/a' }[];
  unsupported: Unsupported[];
  stale: { ids: string[]; reason: string }[];
  /** Whether the cell ran at all (an unsupported cell may not have). */
  ran: boolean;
  trace: TraceEvent[];
  /**
   * A very long trace: the page holds its first and last events only (`trace`), and this many
   * events after the one with seq `afterSeq` are left out (trace.jsonl has them all).
   */
  traceOmitted?: { afterSeq: number; count: number };
  /** Lines of trace.jsonl that are not trace events (kept as text, never dropped). */
  badTraceLines: { line: number; text: string }[];
  observations: unknown[];
  /** Step names (`s1-callTask`, or the step's `name`) by step index, as expectation ids use them. */
  stepNames: string[];
  clientStderr?: LogText;
  serverStderr?: LogText;
  /** scenario.json: the scenario as the drivers got it. */
  scenario?: unknown;
  diff?: { blocks: DiffBlock[]; problems: string[] };
  /** Cell id → page (relative to this page) for the cells a diff names. */
  links: Record<string, string>;
  files: Verdict['files'];
}

/** The spec catalogue the pages share (assets/report.js), so each page carries only outcomes. */
export interface CatalogueData {
  checks: Record<string, { requirement: string; section: string; level: string; blame: string }>;
  sections: Record<string, { title: string; url: string }>;
  /** The matrix marks and labels of the console and Markdown reports. */
  outcomes: Record<Outcome, { mark: string; label: string }>;
  legend: string;
}

export type { ImplInfo };
