/**
 * What `mcp-interop diff` accepts on each side, turned into a normalised conversation:
 *   - a cell folder (`reports/<run>/cells/<slug>`; its run.json, two levels up, names the cell);
 *   - `<run-dir>:<cell>`, the cell given by its id or its folder name;
 *   - a golden file (`goldens/<scenario>/<slug>.yaml`).
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { readTrace } from '../judge/read-records.js';
import type { Conversation } from './conversation.js';
import { readGoldenFile } from './golden-file.js';
import { inferTransport, normalise } from './normalise.js';
import { type CellInfo, DiffInputError, findCell, isRunDir, type RunCell, readRun } from './run-file.js';

export interface Side {
  /** How to show it: the path as given, or `<run>:<slug>`. */
  label: string;
  cell?: CellInfo;
  conversation: Conversation;
  /** Lines of the trace that did not validate (shown as a warning, not fatal). */
  problems: string[];
}

export function loadSide(arg: string): Side {
  if (/\.ya?ml$/.test(arg) && existsSync(arg) && statSync(arg).isFile()) {
    const golden = readGoldenFile(arg);
    return { label: arg, cell: golden.cell, conversation: golden.conversation, problems: [] };
  }
  if (existsSync(arg) && statSync(arg).isDirectory()) {
    if (isRunDir(arg)) throw new DiffInputError(`${arg}: a run folder; name a cell in it as ${arg}:<cell id or folder name>`);
    return fromCellFolder(arg);
  }
  // <run-dir>:<cell>: the first colon whose left part is a run folder (paths may hold colons too).
  for (let i = arg.indexOf(':'); i > 0; i = arg.indexOf(':', i + 1)) {
    const dir = arg.slice(0, i);
    if (isRunDir(dir)) {
      const rc = findCell(readRun(dir), arg.slice(i + 1));
      return fromRunCell(rc, `${dir}:${rc.cell.slug}`);
    }
  }
  throw new DiffInputError(`${arg}: expected a cell folder, <run-dir>:<cell id or folder name>, or a golden .yaml file`);
}

export function fromRunCell(rc: RunCell, label: string): Side {
  if (!rc.trace || !existsSync(rc.trace)) {
    throw new DiffInputError(`${label}: no trace (the cell is ${rc.outcome}${rc.outcome === 'unsupported' ? ' and never ran' : ''})`);
  }
  return sideFromTrace(rc.trace, label, rc.cell);
}

function fromCellFolder(dirArg: string): Side {
  const dir = resolve(dirArg);
  const trace = join(dir, 'trace.jsonl');
  if (!existsSync(trace)) throw new DiffInputError(`${dirArg}: not a cell folder (no trace.jsonl)`);
  // cells/<slug>/ inside a run folder: the run's record names the cell and its transport.
  const runDir = dirname(dirname(dir));
  let cell: CellInfo | undefined;
  if (isRunDir(runDir)) {
    const slug = basename(dir);
    cell = readRun(runDir).cells.find((c) => c.cell.slug === slug || relative(runDir, dirname(c.trace)) === relative(runDir, dir))?.cell;
  }
  return sideFromTrace(trace, dirArg, cell);
}

function sideFromTrace(file: string, label: string, cell: CellInfo | undefined): Side {
  const lines = readTrace(file);
  const transport = cell?.transport === 'stdio' || cell?.transport === 'http' ? cell.transport : inferTransport(lines.records);
  return {
    label,
    ...(cell ? { cell } : {}),
    conversation: normalise(lines.records, transport),
    problems: lines.problems.map((p) => `${file}:${p.line + 1}: ${p.message}`),
  };
}
