/** `line` (the default): a line per cell as it finishes, then the matrix and a summary. */
import { cellLines, summaryLines } from '../console.js';
import type { Reporter, RunStart } from './types.js';

export function runHeader(run: RunStart): string[] {
  const { cells } = run;
  const nScenarios = new Set(cells.map((c) => c.scenario.id)).size;
  const nPairings = new Set(cells.map((c) => `${c.client.label}→${c.server.label}`)).size;
  const nTransports = new Set(cells.map((c) => c.transport)).size;
  return [
    `mcp-interop: ${nScenarios} scenario(s) × ${nPairings} pairing(s) × ${nTransports} transport(s) = ${cells.length} cells, ${run.concurrency} at a time`,
    `SDKs: ${run.sdks.join('; ')}`,
    '',
  ];
}

export function lineReporter(write: (text: string) => void = console.log): Reporter {
  return {
    start: (run) => write(runHeader(run).join('\n')),
    cell: (o, i, total) => write(cellLines(o, i, total).join('\n')),
    end: (outcomes, meta, runDir) => write(summaryLines(outcomes, runDir, meta).join('\n')),
  };
}
