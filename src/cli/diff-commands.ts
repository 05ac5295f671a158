/**
 * The diff, compare and golden subcommands of mcp-interop (see src/diff/README.md):
 *   mcp-interop diff <A> <B> [--json]                     two cells (folders, <run>:<cell>, goldens)
 *   mcp-interop diff --run <dir> --scenario X --across server|client|transport
 *   mcp-interop compare <runA> <runB> [--match-releases]  writes compare.md
 *   mcp-interop golden save|check [--run <dir>]
 * Exit codes: 0 no difference (compare: no cell got worse), 1 differences, 2 bad input.
 */
import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { type Command, type CommanderError, InvalidArgumentError } from 'commander';
import { acrossPairs, DIMENSIONS, type Dimension } from '../diff/across.js';
import { compareLines, compareMarkdown } from '../diff/compare-md.js';
import { compareRuns } from '../diff/compare-runs.js';
import { type DiffResult, diffConversations } from '../diff/diff.js';
import { diffText, firstDivergence, type SideNames, styleFor } from '../diff/format.js';
import { checkGoldens, saveGoldens } from '../diff/golden.js';
import { DiffInputError, readRun } from '../diff/run-file.js';
import { fromRunCell, loadSide, type Side } from '../diff/sources.js';
import { REPORTS_DIR, ROOT } from '../paths.js';

export const GOLDENS_DIR = join(ROOT, 'goldens');
const LATEST_RUN = join(REPORTS_DIR, 'latest');
const AB: SideNames = { a: 'A', b: 'B' };

const dimension = (value: string): Dimension => {
  if (!DIMENSIONS.includes(value as Dimension)) throw new InvalidArgumentError(`expected one of ${DIMENSIONS.join(', ')}`);
  return value as Dimension;
};

/** Bad input is exit code 2, whether commander or the command itself finds it. */
function exitCodes(cmd: Command): Command {
  return cmd.exitOverride((err: CommanderError) => {
    process.exit(err.exitCode === 0 ? 0 : 2);
  });
}

/** Runs a command body, turning bad input into exit code 2 with a one-line message. */
function guarded<A extends unknown[]>(body: (...args: A) => number): (...args: A) => void {
  return (...args: A) => {
    try {
      process.exitCode = body(...args);
    } catch (err) {
      if (!(err instanceof DiffInputError)) throw err;
      console.error(`mcp-interop: ${err.message}`);
      process.exitCode = 2;
    }
  };
}

function heading(side: Side): string {
  return side.cell ? `${side.label}  (${side.cell.id})` : side.label;
}

function printDiff(result: DiffResult, a: Side, b: Side): void {
  for (const p of [...a.problems, ...b.problems]) console.error(`warning: ${p}`);
  console.log(diffText(result, { a: heading(a), b: heading(b) }, AB, styleFor()).join('\n'));
}

export function registerDiffCommands(program: Command): void {
  exitCodes(
    program
      .command('diff')
      .description('Semantic diff of two cells\u2019 wire traces (cell folders, <run-dir>:<cell id or folder>, or golden files)')
      .argument('[a]', 'the reference side')
      .argument('[b]', 'the side compared with it')
      .option('--run <dir>', 'with --scenario and --across: the run whose cells are diffed', LATEST_RUN)
      .option('--scenario <id>', 'with --across: the scenario')
      .option('--across <dimension>', 'diff the cells of one scenario that differ only in client, server or transport', dimension)
      .option('--json', 'print the differences as JSON')
      .action(
        guarded(
          (a: string | undefined, b: string | undefined, opts: { run: string; scenario?: string; across?: Dimension; json?: boolean }) => {
            if (opts.across || opts.scenario) return diffAcross(opts);
            if (!a || !b) throw new DiffInputError('diff needs two cells (A and B), or --run <dir> --scenario <id> --across <dimension>');
            const sa = loadSide(a);
            const sb = loadSide(b);
            const result = diffConversations(sa.conversation, sb.conversation);
            if (opts.json) console.log(JSON.stringify({ a: sideJson(sa), b: sideJson(sb), ...result }, null, 2));
            else printDiff(result, sa, sb);
            return result.equivalent ? 0 : 1;
          },
        ),
      ),
  );

  exitCodes(
    program
      .command('compare')
      .description(
        'Compare two runs: cells whose outcome or failures changed, cells only in one, the first wire divergence of each; writes compare.md',
      )
      .argument('<runA>', 'the earlier run folder')
      .argument('<runB>', 'the later run folder')
      .option('--match-releases', 'match cells whose implementations differ only in release (ts@1.31.0→py with ts@1.32.0→py)')
      .option('--out <file>', 'where compare.md is written (default: <runB>/compare.md)')
      .option('--json', 'print the comparison as JSON')
      .action(
        guarded((runA: string, runB: string, opts: { matchReleases?: boolean; out?: string; json?: boolean }) => {
          const cmp = compareRuns(readRun(runA), readRun(runB), { matchReleases: opts.matchReleases ?? false });
          const out = resolve(opts.out ?? join(cmp.b.dir, 'compare.md'));
          writeFileSync(out, compareMarkdown(cmp));
          if (opts.json) {
            const cell = (c: (typeof cmp.onlyA)[number]) => ({ id: c.cell.id, outcome: c.outcome, failures: c.failures });
            const changed = cmp.changed.map((c) => ({
              a: cell(c.a),
              b: cell(c.b),
              added: c.added,
              removed: c.removed,
              worse: c.worse,
              byRelease: c.byRelease,
              firstDivergence: 'missing' in c.wire ? null : (c.wire.differences.find((d) => d.first) ?? null),
              wire: 'missing' in c.wire ? c.wire.missing : c.wire.equivalent ? 'no wire difference' : firstDivergence(c.wire, AB),
            }));
            console.log(
              JSON.stringify(
                {
                  a: cmp.a.dir,
                  b: cmp.b.dir,
                  changed,
                  onlyA: cmp.onlyA.map(cell),
                  onlyB: cmp.onlyB.map(cell),
                  unchanged: cmp.unchanged,
                  worse: cmp.worse,
                },
                null,
                2,
              ),
            );
          } else {
            console.log(compareLines(cmp).join('\n'));
            console.log(`Written: ${relative(process.cwd(), out) || out}`);
          }
          return cmp.worse ? 1 : 0;
        }),
      ),
  );

  const golden = exitCodes(
    program.command('golden').description('Golden traces: save the normalised wire of a run, or check a run against them'),
  );
  exitCodes(
    golden
      .command('save')
      .description('Store the normalised trace of each passing or known cell of a run under goldens/')
      .option('--run <dir>', 'the run folder', LATEST_RUN)
      .option('--goldens <dir>', 'the goldens folder', GOLDENS_DIR)
      .option('--cell <slugs>', 'only these cells (comma-separated cell folder names)')
      .option('--variant', 'a racy cell (goldens/racy.yaml) that matches none of its saved manifestations: add this one beside them')
      .action(
        guarded((opts: { run: string; goldens: string; cell?: string; variant?: boolean }) => {
          const run = readRun(opts.run);
          if (opts.cell) {
            const wanted = new Set(opts.cell.split(','));
            const unknown = [...wanted].filter((w) => !run.cells.some((c) => c.cell.slug === w));
            if (unknown.length) throw new DiffInputError(`--cell: not a cell of ${run.dir}: ${unknown.join(', ')}`);
            run.cells = run.cells.filter((c) => wanted.has(c.cell.slug));
          }
          const { saved, skipped } = saveGoldens(run, resolve(opts.goldens), { variant: opts.variant === true });
          const count = (s: string) => saved.filter((x) => x.status === s).length;
          for (const s of saved.filter((x) => x.status !== 'unchanged'))
            console.log(`${s.status.padEnd(8)} ${relative(process.cwd(), s.file)}`);
          for (const s of skipped) console.log(`skipped  ${s.cell.id} (${s.why}: only pass and known cells get a golden)`);
          console.log(
            `${saved.length} golden(s): ${count('new')} new, ${count('updated')} updated, ${count('unchanged')} unchanged; ${skipped.length} skipped${count('variant') ? `; ${count('variant')} racy cell(s) got a new manifestation` : ''}`,
          );
          return 0;
        }),
      ),
  );
  exitCodes(
    golden
      .command('check')
      .description('Diff each cell of a run against its golden trace; fails on any difference')
      .option('--run <dir>', 'the run folder', LATEST_RUN)
      .option('--goldens <dir>', 'the goldens folder', GOLDENS_DIR)
      .option('--json', 'print the result as JSON')
      .action(
        guarded((opts: { run: string; goldens: string; json?: boolean }) => {
          const run = readRun(opts.run);
          const report = checkGoldens(run, resolve(opts.goldens));
          const names: SideNames = { a: 'golden', b: 'run' };
          if (opts.json) {
            const cells = report.cells.map((c) => ({
              cell: c.cell.id,
              status: c.status,
              reason: c.reason,
              ...(c.variants ? { variants: c.variants } : {}),
              differences: c.result?.differences ?? [],
            }));
            console.log(JSON.stringify({ cells, notInRun: report.notInRun, failed: report.failed }, null, 2));
            return report.failed ? 1 : 0;
          }
          const style = styleFor();
          for (const c of report.cells) {
            if (c.status === 'same' || c.status === 'no-golden') continue;
            const first = c.result ? firstDivergence(c.result, names) : c.reason;
            const closest = c.variants && c.variants.saved > 1 ? ` (the closest of ${c.variants.saved} saved manifestations)` : '';
            console.log(`${style.red('DIFFERS ')} ${c.cell.id}: ${first}${closest}`);
            console.log(`         mcp-interop diff ${relative(process.cwd(), c.file)} ${relative(process.cwd(), run.dir)}:${c.cell.slug}`);
            if (c.variants)
              console.log(
                `         racy (goldens/racy.yaml): ${c.reason?.trim()}\n         if it is that race again: mcp-interop golden save --variant --run ${relative(process.cwd(), run.dir)} --cell ${c.cell.slug}`,
              );
          }
          const n = (s: string) => report.cells.filter((c) => c.status === s).length;
          const racy = report.cells.filter((c) => c.variants && c.status === 'same');
          const noGolden = report.cells.filter((c) => c.status === 'no-golden');
          if (noGolden.length) {
            const shown = noGolden.slice(0, 10).map((c) => c.cell.slug);
            const more = noGolden.length > shown.length ? ` and ${noGolden.length - shown.length} more` : '';
            console.log(style.dim(`no golden (not checked): ${shown.join(', ')}${more}`));
          }
          if (report.notInRun.length) console.log(style.dim(`${report.notInRun.length} golden(s) of cells not in this run (not checked)`));
          console.log(
            `${n('same')} same, ${n('different')} different, ${n('no-golden')} without a golden${racy.length ? ` (${racy.length} racy cell(s) matched one of their saved manifestations)` : ''}`,
          );
          return report.failed ? 1 : 0;
        }),
      ),
  );
}

function sideJson(side: Side) {
  return { label: side.label, ...(side.cell ? { cell: side.cell.id } : {}) };
}

function diffAcross(opts: { run: string; scenario?: string; across?: Dimension; json?: boolean }): number {
  if (!opts.scenario || !opts.across) throw new DiffInputError('--across needs --scenario <id> (and --run <dir>, default reports/latest)');
  const run = readRun(opts.run);
  const plan = acrossPairs(run, opts.scenario, opts.across);
  const blocks = plan.pairs.map(([ca, cb]) => {
    const a = fromRunCell(ca, `${relative(process.cwd(), run.dir) || '.'}:${ca.cell.slug}`);
    const b = fromRunCell(cb, `${relative(process.cwd(), run.dir) || '.'}:${cb.cell.slug}`);
    return { a, b, result: diffConversations(a.conversation, b.conversation) };
  });
  if (opts.json) {
    console.log(
      JSON.stringify(
        blocks.map((x) => ({ a: sideJson(x.a), b: sideJson(x.b), ...x.result })),
        null,
        2,
      ),
    );
  } else {
    for (const x of blocks) {
      printDiff(x.result, x.a, x.b);
      console.log('');
    }
    for (const c of plan.skipped) console.log(`not diffed: ${c.cell.id} (${c.outcome}, no trace)`);
    const differing = blocks.filter((x) => !x.result.equivalent).length;
    console.log(`${blocks.length} pair(s) across ${opts.across} for ${opts.scenario}: ${differing} differ`);
  }
  if (!blocks.length) throw new DiffInputError(`${opts.scenario}: no two cells of this run differ only in ${opts.across}`);
  return blocks.some((x) => !x.result.equivalent) ? 1 : 0;
}
