/**
 * `json`: one JSON object per line on stdout for other tools: `{"type":"start",…}`, one
 * `{"type":"cell",…}` as each cell finishes, `{"type":"end",…}` with the counts. With it, the
 * human reporters write to stderr so stdout stays machine-readable.
 */
import type { CellOutcome } from '../../judge/baseline.js';
import { buildMatrix } from '../matrix-model.js';
import type { Reporter } from './types.js';

export function cellRecord(o: CellOutcome) {
  const v = o.verdict;
  return {
    type: 'cell',
    id: v.cell.id,
    scenario: v.cell.scenario,
    client: v.cell.clientImpl,
    server: v.cell.serverImpl,
    transport: v.cell.transport,
    outcome: o.outcome,
    durationMs: v.durationMs,
    failures: o.unexpected.map((f) => ({ id: f.id, blame: f.blame, message: f.message })),
    known: o.known.map((k) => k.finding.id),
    warnings: v.warnings.map((w) => w.id),
    unsupported: v.unsupported,
    trace: v.files.trace,
    rerun: v.rerun,
  };
}

export function jsonReporter(write: (text: string) => void = (t) => process.stdout.write(`${t}\n`)): Reporter {
  return {
    start: (run) => write(JSON.stringify({ type: 'start', cells: run.cells.length, sdks: run.sdks })),
    cell: (o) => write(JSON.stringify(cellRecord(o))),
    end: (outcomes, meta, runDir) =>
      write(
        JSON.stringify({
          type: 'end',
          runId: meta.runId,
          runDir,
          counts: buildMatrix(outcomes).total,
          stale: meta.stale.map((s) => s.entry.failure),
        }),
      ),
  };
}
