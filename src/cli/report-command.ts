/**
 * `mcp-interop report <run-dir> [--open]`: (re)writes the HTML report of an existing run folder
 * from its run.json and cell folders (e.g. after saving a trace diff as cells/<slug>/diff.json),
 * and with --open shows it in the default browser. Exit codes: 0 written, 2 not a readable run folder.
 */
import { spawn } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { ReportInputError, readRunFolder } from '../report/html/run-file.js';
import { writeHtmlReport } from '../report/html/write-html.js';

/** The platform's "open with the default application" command. */
export function openerFor(platform: NodeJS.Platform, target: string): { cmd: string; args: string[] } {
  if (platform === 'darwin') return { cmd: 'open', args: [target] };
  // `start` is a cmd.exe builtin; its first quoted argument is a window title.
  if (platform === 'win32') return { cmd: 'cmd', args: ['/c', 'start', '""', target] };
  return { cmd: 'xdg-open', args: [target] };
}

function openInBrowser(file: string): void {
  const { cmd, args } = openerFor(process.platform, pathToFileURL(file).href);
  const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
  child.on('error', (err) => console.error(`mcp-interop: could not open a browser (${cmd}: ${err.message}); open ${file} yourself`));
  child.unref();
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('Write the HTML report (index.html, a page per cell) of an existing run folder')
    .argument('<run-dir>', 'a run folder, e.g. reports/latest')
    .option('--open', 'open the report in the default browser')
    .action((runDir: string, opts: { open?: boolean }) => {
      const dir = resolve(runDir);
      try {
        const { meta, outcomes } = readRunFolder(dir);
        const report = writeHtmlReport(dir, outcomes, meta);
        const rel = relative(process.cwd(), report.index);
        const shown = rel && !rel.startsWith('..') ? rel : report.index;
        console.log(`Report: ${shown} (${report.pages} pages, ${(report.bytes / 1024 / 1024).toFixed(2)} MB)`);
        if (opts.open) openInBrowser(report.index);
      } catch (err) {
        if (!(err instanceof ReportInputError)) throw err;
        console.error(`mcp-interop: ${err.message}`);
        process.exitCode = 2;
      }
    });
}
