/**
 * `github`: GitHub Actions workflow commands, so failures show as annotations on the scenario
 * file: `::error file=scenarios/x.yaml,title=…::…` per failing cell (findings grouped), a
 * `::warning` per stale baseline entry (the log lines themselves come from the line reporter).
 */
import { relative } from 'node:path';
import { failureIds } from '../../judge/baseline.js';
import { firstLine, groupedFindingLines, OUTCOME_LABEL } from '../format.js';
import type { Reporter } from './types.js';

/** Workflow-command escaping (data: %, CR, LF; properties also : and ,). */
export const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
export const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function githubReporter(write: (text: string) => void = console.log, cwd = process.cwd()): Reporter {
  let files = new Map<string, string>();
  return {
    start: (run) => {
      files = run.scenarioFiles;
    },
    cell: (o) => {
      const v = o.verdict;
      if (o.outcome !== 'fail' && o.outcome !== 'stale') return;
      const file = files.get(v.cell.scenario);
      const where = file ? `file=${escapeProperty(relative(cwd, file))},` : '';
      const lines = [
        ...groupedFindingLines(o.unexpected, 300),
        ...o.stale.map((e) => `stale baseline entry: ${failureIds(e).join(', ')} — ${firstLine(e.reason, 120)}`),
      ];
      write(
        `::error ${where}title=${escapeProperty(`${OUTCOME_LABEL[o.outcome]} ${v.cell.id}`)}::${escapeData([...lines, `rerun: ${v.rerun}`].join('\n'))}`,
      );
    },
    end: (_outcomes, meta) => {
      for (const s of meta.stale) {
        write(
          `::warning title=${escapeProperty('stale known-failures entry')}::${escapeData(`${failureIds(s.entry).join(', ')}: ${firstLine(s.entry.reason, 200)} (none of ${s.cells.length} covered cells failed it)`)}`,
        );
      }
    },
  };
}
