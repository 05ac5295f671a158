/** A console reporter: told about the run as it happens (`--reporter line,dot,github,json`). */
import type { CellOutcome } from '../../judge/baseline.js';
import type { Cell } from '../../plan/plan.js';
import type { RunMeta } from '../run-meta.js';

export interface RunStart {
  cells: Cell[];
  concurrency: number;
  sdks: string[];
  /** Scenario id → its file, for annotations that point at it. */
  scenarioFiles: Map<string, string>;
}

export interface Reporter {
  start(run: RunStart): void;
  cell(outcome: CellOutcome, index: number, total: number): void;
  end(outcomes: CellOutcome[], meta: RunMeta, runDir: string): void;
}

export const REPORTER_NAMES = ['line', 'dot', 'github', 'json'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];
