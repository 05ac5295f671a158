/**
 * Stage 4: a cell's recorded files → its verdict. Scenario expectations, spec checks and run
 * findings are judged by the harness, the same way for every pairing; no driver judges itself.
 */
import { relative } from 'node:path';
import type { Implementation } from '../plan/implementations.js';
import { type Cell, rerunCommand, type Unsupported } from '../plan/plan.js';
import type { CellRun } from '../run/types.js';
import { judgeExpectations } from './expectations.js';
import { readObservations, readTrace } from './read-records.js';
import { collectGarbage, isLargeTrace } from './reclaim.js';
import { runFindings } from './run-findings.js';
import { runSpecChecks } from './spec/index.js';
import { indexOf } from './trace-index.js';
import type { CellRecord, CheckResult, ExpectationResult, Finding } from './types.js';

/** An implementation as a verdict records it: the label cell ids use, the name, and the release. */
export interface ImplInfo {
  label: string;
  name: string;
  sdk?: string;
  version?: string;
  pinned?: boolean;
  /** A local build: the path it was given as. */
  local?: string;
}

export interface Verdict {
  cell: {
    id: string;
    slug: string;
    scenario: string;
    /** Implementation labels (`ts`, `ts-mcp@1.29.0`), as in the cell id. */
    client: string;
    server: string;
    transport: string;
    clientImpl: ImplInfo;
    serverImpl: ImplInfo;
  };
  /** The protocol version the client's initialize negotiated (from its hello record). */
  protocolVersion?: string;
  /** Before the known-failures baseline: pass, fail (a MUST-level finding), or unsupported. */
  status: 'pass' | 'fail' | 'unsupported';
  startedAt?: string;
  durationMs: number;
  /** MUST-level findings: failed expectations, failed MUST checks, run problems. */
  failures: Finding[];
  /** SHOULD-level findings. */
  warnings: Finding[];
  /** MAY-level findings. */
  info: Finding[];
  unsupported?: Unsupported[];
  expectations: ExpectationResult[];
  checks: CheckResult[];
  /** Paths relative to the run directory. */
  files: Record<'dir' | 'trace' | 'observations' | 'clientStderr' | 'serverStderr', string>;
  rerun: string;
}

export type SpecChecker = (record: CellRecord) => CheckResult[];

export function implInfo(impl: Implementation): ImplInfo {
  const r = impl.release;
  return {
    label: impl.label,
    name: impl.name,
    ...(r ? { sdk: r.sdk.id, version: r.version, pinned: r.pinned, ...(r.local ? { local: r.arg } : {}) } : {}),
  };
}

function cellInfo(cell: Cell): Verdict['cell'] {
  return {
    id: cell.id,
    slug: cell.slug,
    scenario: cell.scenario.id,
    client: cell.client.label,
    server: cell.server.label,
    transport: cell.transport,
    clientImpl: implInfo(cell.client),
    serverImpl: implInfo(cell.server),
  };
}

function cellFilesRel(runDir: string | undefined, run: CellRun | undefined): Verdict['files'] {
  if (!run) return { dir: '', trace: '', observations: '', clientStderr: '', serverStderr: '' };
  const rel = (p: string) => (runDir ? relative(runDir, p) : p);
  const f = run.files;
  return {
    dir: rel(f.dir),
    trace: rel(f.trace),
    observations: rel(f.observations),
    clientStderr: rel(f.clientStderr),
    serverStderr: rel(f.serverStderr),
  };
}

function verdictOf(cell: Cell, fields: Partial<Verdict> & Pick<Verdict, 'status'>, run?: CellRun, runDir?: string): Verdict {
  return {
    cell: cellInfo(cell),
    durationMs: run?.durationMs ?? 0,
    ...(run ? { startedAt: run.startedAt } : {}),
    failures: [],
    warnings: [],
    info: [],
    expectations: [],
    checks: [],
    files: cellFilesRel(runDir, run),
    rerun: rerunCommand(cell),
    ...fields,
  };
}

/** The verdict of a cell that was not run (or stopped) because a driver declared it cannot express it. */
export function unsupportedVerdict(cell: Cell, unsupported: Unsupported[], runDir?: string, run?: CellRun): Verdict {
  return verdictOf(cell, { status: 'unsupported', unsupported }, run, runDir);
}

/** The verdict of a cell the harness itself failed to run (a bug in the harness, reported, never fatal). */
export function harnessErrorVerdict(cell: Cell, err: unknown): Verdict {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return verdictOf(cell, {
    status: 'fail',
    failures: [{ id: 'run:harness-error', level: 'MUST', blame: 'harness', message, evidence: {} }],
  });
}

/** A driver exiting 127 with its reason turns a run into an unsupported cell. */
function runtimeUnsupported(cell: Cell, run: CellRun): Unsupported[] {
  const out: Unsupported[] = [];
  for (const side of ['server', 'client'] as const) {
    if (run[side].exit?.code !== 127) continue;
    const line = run[side].unsupported ?? 'exit code 127 without an `unsupported:` line';
    // `<feature>: <reason>`, where a feature looks like `step:poll`.
    const m = /^([a-z]+:[\w-]+):\s*(.*)$/.exec(line);
    out.push({ side, impl: cell[side].label, feature: m ? m[1]! : 'unknown', reason: m ? m[2]! : line });
  }
  return out;
}

export function judgeCell(cell: Cell, run: CellRun, runDir: string, specChecks: SpecChecker = runSpecChecks): Verdict {
  const unsupported = runtimeUnsupported(cell, run);
  if (unsupported.length) return unsupportedVerdict(cell, unsupported, runDir, run);

  // Read-only from here on: repeated message bodies may be one object (read-records.ts).
  const observations = readObservations(run.files.observations, { shareBodies: true });
  const trace = readTrace(run.files.trace, { shareBodies: true });
  // A very long trace: its parsing garbage goes before the index is built beside the records, and
  // the index's before the checks run (reclaim.ts).
  const large = isLargeTrace(run.files.trace);
  if (large) collectGarbage();
  // A server that never got ready means the client never ran: its steps are not failures of their own.
  const expectations = run.server.startError
    ? []
    : judgeExpectations(cell.scenario, observations.records, observations.lineOf, trace.records);
  const record: CellRecord = {
    scenario: cell.scenario,
    transport: cell.transport,
    trace: trace.records,
    observations: observations.records,
  };
  if (large) {
    indexOf(record);
    collectGarbage();
  }
  const checks = specChecks(record);
  // A client without an SDK (the raw JSON-RPC client) is the harness's own code: what it did is the harness's.
  const sdkLess = !cell.client.driver.manifest.sdk;
  for (const f of [...expectations, ...checks.flatMap((c) => c.findings)]) if (sdkLess && f.blame === 'client') f.blame = 'harness';
  const findings: Finding[] = [
    ...runFindings(run, observations, trace, cell.transport),
    ...expectations
      .filter((e) => !e.ok)
      .map(
        (e): Finding => ({ id: e.id, level: 'MUST', blame: e.blame, message: e.message ?? 'expectation not met', evidence: e.evidence }),
      ),
    ...checks.flatMap((c) => c.findings),
  ];

  const failures = findings.filter((f) => f.level === 'MUST');
  const hello = observations.records.find((r) => r.type === 'hello');
  const protocolVersion = hello?.type === 'hello' && typeof hello.protocolVersion === 'string' ? hello.protocolVersion : undefined;
  return verdictOf(
    cell,
    {
      ...(protocolVersion ? { protocolVersion } : {}),
      status: failures.length ? 'fail' : 'pass',
      failures,
      warnings: findings.filter((f) => f.level === 'SHOULD'),
      info: findings.filter((f) => f.level === 'MAY'),
      expectations,
      checks,
    },
    run,
    runDir,
  );
}
