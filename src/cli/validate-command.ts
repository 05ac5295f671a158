/** `mcp-interop validate [paths...]`: exit 0 when every file validates, 2 with every problem listed otherwise. */
import type { Command } from 'commander';
import { validatePaths } from '../scenario/validate.js';

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description(
      "Check scenario files, known-failures baselines and driver.json manifests without running anything (default: the project's)",
    )
    .argument('[paths...]', 'files or folders: *.yaml scenarios, known-failures*.yaml, <folder>/driver.json')
    .action((paths: string[]) => {
      const report = validatePaths(paths);
      for (const p of report.problems) console.error(p);
      const what = `${report.scenarios} scenario file(s), ${report.baselines} baseline(s), ${report.manifests} driver manifest(s)`;
      if (report.problems.length) {
        console.error(`\n${report.problems.length} problem(s) in ${what}`);
        process.exitCode = 2;
      } else {
        console.log(`ok: ${what}`);
      }
    });
}
