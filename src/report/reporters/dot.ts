/** `dot`: one mark per cell (60 to a line) for big matrices, then the same summary as `line`. */

import { cellLines, summaryLines } from '../console.js';
import { OUTCOME_MARK } from '../format.js';
import { runHeader } from './line.js';
import type { Reporter } from './types.js';

const PER_LINE = 60;

export function dotReporter(out: NodeJS.WritableStream = process.stdout): Reporter {
  let written = 0;
  return {
    start: (run) => out.write(`${runHeader(run).join('\n')}\n`),
    cell: (o, _i, total) => {
      out.write(OUTCOME_MARK[o.outcome]);
      written++;
      if (written % PER_LINE === 0 || written === total) out.write(` ${written}/${total}\n`);
    },
    end: (outcomes, meta, runDir) => {
      // The details the dots left out: every failing cell as `line` shows it.
      for (const [i, o] of outcomes.entries())
        if (o.outcome === 'fail' || o.outcome === 'stale') out.write(`${cellLines(o, i, outcomes.length).join('\n')}\n`);
      out.write(`${summaryLines(outcomes, runDir, meta).join('\n')}\n`);
    },
  };
}
