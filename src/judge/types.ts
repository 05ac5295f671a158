/** Plain data the judge produces; reports and the baseline read only these. */

import type { ObservationRecord } from '../vocabulary/observation.js';
import type { Scenario } from '../vocabulary/scenario.js';
import type { SpecSectionId } from '../vocabulary/spec-sections.js';
import type { TraceEvent } from '../vocabulary/trace.js';

export type Level = 'MUST' | 'SHOULD' | 'MAY';
/**
 * Who is at fault: an SDK side (client, server), the harness itself (its drivers' own code, the
 * recorder), or the scenario (a mistake in the scenario file, not an SDK defect).
 */
export type Blame = 'client' | 'server' | 'harness' | 'scenario';

/** Evidence pointing into the cell's files. */
export interface Evidence {
  /** Trace event sequence numbers (trace.jsonl `seq`). */
  trace?: number[];
  /** Observation line numbers (0-based index into observations.jsonl). */
  observations?: number[];
}

/**
 * One thing that went wrong (or was noted) in a cell. `id` is what the known-failures baseline
 * names:
 *   expect:<step>.<key>   a scenario expectation (`expect:s4-getTask.error`, `expect:s2-poll.ok`)
 *   check:<check-id>      a spec check from the catalogue (`check:task-ttl-present`)
 *   run:<what>            the run itself (`run:timeout`, `run:server-exit`, `run:client-exit`, ...)
 */
export interface Finding {
  id: string;
  level: Level;
  blame: Blame;
  message: string;
  evidence: Evidence;
  /** For spec checks: the section and the requirement text it enforces. */
  section?: SpecSectionId;
  requirement?: string;
}

/** Everything a check or an expectation may look at; all of it recorded data. */
export interface CellRecord {
  scenario: Scenario;
  transport: 'stdio' | 'http';
  trace: TraceEvent[];
  observations: ObservationRecord[];
}

/** A spec check from the catalogue: a pure function over a cell's record. */
export interface SpecCheck {
  /** Stable id, kebab-case; appears as `check:<id>`. */
  id: string;
  section: SpecSectionId;
  /** The requirement enforced, quoted from the spec. */
  requirement: string;
  level: Level;
  /** Who is at fault when it fails (a check may blame per finding instead). */
  blame: Blame;
  /** Returns one finding per violation (empty when the trace complies), or 'n/a' if nothing in the trace applies. */
  run(record: CellRecord): Omit<Finding, 'id' | 'level' | 'section' | 'requirement'>[] | 'n/a';
}

/** The result of one spec check on one cell. */
export interface CheckResult {
  id: string;
  level: Level;
  section: SpecSectionId;
  outcome: 'pass' | 'fail' | 'n/a';
  findings: Finding[];
}

/** The result of one expectation (or the implicit "step succeeded") on one step. */
export interface ExpectationResult {
  id: string;
  step: number;
  ok: boolean;
  expected: unknown;
  actual: unknown;
  message?: string;
  /** Who the failure points at: the server for what it answered, the client for local errors. */
  blame: Blame;
  evidence: Evidence;
}
