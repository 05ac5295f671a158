/** The reporters by name; several may run at once (`--reporter line,github`). */
import { dotReporter } from './dot.js';
import { githubReporter } from './github.js';
import { jsonReporter } from './json.js';
import { lineReporter } from './line.js';
import type { Reporter, ReporterName } from './types.js';

export { REPORTER_NAMES, type Reporter, type ReporterName, type RunStart } from './types.js';

export function makeReporters(names: ReporterName[]): Reporter[] {
  // With json on stdout, the human ones go to stderr.
  const human = names.includes('json') ? (t: string) => process.stderr.write(`${t}\n`) : (t: string) => process.stdout.write(`${t}\n`);
  const byName: Record<ReporterName, () => Reporter> = {
    line: () => lineReporter(human),
    dot: () => dotReporter(names.includes('json') ? process.stderr : process.stdout),
    github: () => githubReporter(human),
    json: () => jsonReporter(),
  };
  return names.map((name) => byName[name]());
}

/** Fans one event out to every reporter. */
export function allOf(reporters: Reporter[]): Reporter {
  return {
    start: (run) => {
      for (const r of reporters) r.start(run);
    },
    cell: (o, i, total) => {
      for (const r of reporters) r.cell(o, i, total);
    },
    end: (outcomes, meta, runDir) => {
      for (const r of reporters) r.end(outcomes, meta, runDir);
    },
  };
}
