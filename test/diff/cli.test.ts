/** The diff, compare and golden subcommands: output and exit codes (0 same, 1 different, 2 bad input). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerDiffCommands } from '../../src/cli/diff-commands.js';
import { tempDir } from '../helpers.js';
import { runDir } from './helpers.js';

let out: string[];
let err: string[];

beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err.push(String(s));
    return true;
  });
  vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    throw new Error(`exit ${code}`);
  }) as never);
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

/** Runs `mcp-interop <args>` and returns its exit code. */
function run(...args: string[]): number {
  const program = new Command('mcp-interop');
  registerDiffCommands(program);
  process.exitCode = undefined;
  try {
    program.parse(args, { from: 'user' });
  } catch (e) {
    const m = /^exit (\d+)$/.exec((e as Error).message);
    if (m) return Number(m[1]);
    throw e;
  }
  return Number(process.exitCode ?? 0);
}

const r1 = runDir('run1');
const last = () => out.join('\n').split('\n').at(-1);
const output = () => [...out, ...err].join('\n');

describe('mcp-interop diff', () => {
  it('exit 1 and the differences for two cells that differ; the first divergence marked; a summary line', () => {
    expect(run('diff', `${r1}:unlimited-ttl · ts→ts · stdio`, `${r1}:unlimited-ttl--ts-py--stdio`)).toBe(1);
    expect(out.join('\n')).toContain('▶ tools/call #1 → result.task.ttl: missing on B (A: null)  [A seq 5 · B seq 5]');
    expect(last()).toMatch(/^\d+ differences \(.*\); first: tools\/call #1 → result\.task\.ttl$/);
  });

  it('exit 0 for equivalent cells, given as cell folders', () => {
    const cell = (r: string) => join(runDir(r), 'cells/list-bad-cursor--ts-ts--http');
    expect(run('diff', cell('run1'), cell('run4'))).toBe(0);
    expect(last()).toBe('no difference');
  });

  it('--json', () => {
    expect(run('diff', '--json', `${r1}:unlimited-ttl--ts-ts--stdio`, `${r1}:unlimited-ttl--ts-py--stdio`)).toBe(1);
    const json = JSON.parse(out.join('\n'));
    expect(json.a).toEqual({ label: `${r1}:unlimited-ttl--ts-ts--stdio`, cell: 'unlimited-ttl · ts→ts · stdio' });
    expect(json.differences.find((d: { first?: boolean }) => d.first)).toMatchObject({
      where: 'tools/call #1',
      path: 'result.task.ttl',
      kind: 'missing',
    });
  });

  it('exit 2 on bad input: an unknown cell, a missing folder, an unknown option, one side only', () => {
    expect(run('diff', `${r1}:nope`, `${r1}:unlimited-ttl--ts-py--stdio`)).toBe(2);
    expect(err.join('\n')).toMatch(/no cell "nope" in run\.json/);
    expect(run('diff', '/no/such/cell', `${r1}:unlimited-ttl--ts-py--stdio`)).toBe(2);
    expect(run('diff', '--bogus')).toBe(2);
    expect(run('diff', `${r1}:unlimited-ttl--ts-py--stdio`)).toBe(2);
    expect(run('diff', r1, r1)).toBe(2);
  });

  it('--across server: one block per pair of one scenario', () => {
    expect(run('diff', '--run', r1, '--scenario', 'input-required-elicitation', '--across', 'server')).toBe(1);
    const text = out.join('\n');
    expect(text.match(/^--- A /gm)?.length).toBe(2);
    expect(text).toContain('--- A  ');
    expect(text).toContain('(input-required-elicitation · ts→ts · stdio)');
    expect(text).toContain('(input-required-elicitation · ts→py · stdio)');
    expect(last()).toBe('2 pair(s) across server for input-required-elicitation: 2 differ');
    expect(run('diff', '--run', r1, '--scenario', 'nope', '--across', 'server')).toBe(2);
    expect(run('diff', '--run', r1, '--scenario', 'unlimited-ttl', '--across', 'flavor')).toBe(2);
  });
});

describe('mcp-interop compare', () => {
  it('writes compare.md and exits 0 when nothing got worse', () => {
    const md = join(tempDir(), 'compare.md');
    expect(run('compare', r1, runDir('run4'), '--out', md)).toBe(0);
    expect(readFileSync(md, 'utf8')).toContain('**0 cell(s) changed**; 17 only in A, 0 only in B, 4 unchanged.');
  });

  it('exit 2 for a folder that is not a run', () => {
    expect(run('compare', r1, '/no/such/run')).toBe(2);
  });
});

describe('mcp-interop golden', () => {
  it('save then check: exit 0; a run with a difference: exit 1 naming the cell and the first divergence', () => {
    const goldens = tempDir();
    expect(run('golden', 'save', '--run', r1, '--goldens', goldens)).toBe(0);
    expect(last()).toMatch(/^21 golden\(s\): 21 new, 0 updated, 0 unchanged; 0 skipped$/);
    expect(existsSync(join(goldens, 'unlimited-ttl', 'unlimited-ttl--ts-py--stdio.yaml'))).toBe(true);
    expect(run('golden', 'check', '--run', runDir('run4'), '--goldens', goldens)).toBe(0);
    expect(last()).toBe('4 same, 0 different, 0 without a golden');
    // The goldens of run1 against another cell's trace (renamed folder): a difference.
    expect(run('diff', join(goldens, 'unlimited-ttl', 'unlimited-ttl--ts-ts--stdio.yaml'), `${r1}:unlimited-ttl--ts-ts--stdio`)).toBe(0);
    expect(run('diff', join(goldens, 'unlimited-ttl', 'unlimited-ttl--ts-ts--stdio.yaml'), `${r1}:unlimited-ttl--ts-py--stdio`)).toBe(1);
  });

  it('save --cell saves only those cells; an unknown one is exit 2 naming it', () => {
    const goldens = tempDir();
    expect(run('golden', 'save', '--run', r1, '--goldens', goldens, '--cell', 'unlimited-ttl--ts-py--stdio')).toBe(0);
    expect(last()).toBe('1 golden(s): 1 new, 0 updated, 0 unchanged; 0 skipped');
    expect(run('golden', 'save', '--run', r1, '--goldens', goldens, '--cell', 'no-such--ts-ts--stdio')).toBe(2);
    expect(output()).toContain('--cell: not a cell of');
    expect(output()).toContain('no-such--ts-ts--stdio');
  });

  it('a racy cell matching a saved manifestation says so in the summary', () => {
    const goldens = tempDir();
    const slug = 'cancel-working-task--ts-py--stdio';
    expect(run('golden', 'save', '--run', r1, '--goldens', goldens)).toBe(0);
    writeFileSync(join(goldens, 'racy.yaml'), `racy:\n  - cell: ${slug}\n    reason: the racy crash, for this test\n`);
    expect(run('golden', 'check', '--run', runDir('run9'), '--goldens', goldens)).toBe(1);
    expect(output()).toContain('racy (goldens/racy.yaml): the racy crash, for this test');
    expect(output()).toContain(`golden save --variant --run`);
    expect(run('golden', 'save', '--run', runDir('run9'), '--goldens', goldens, '--variant', '--cell', slug)).toBe(0);
    expect(last()).toBe('1 golden(s): 0 new, 0 updated, 0 unchanged; 0 skipped; 1 racy cell(s) got a new manifestation');
    expect(run('golden', 'check', '--run', runDir('run9'), '--goldens', goldens)).toBe(0);
    expect(last()).toMatch(/0 different, 0 without a golden \(1 racy cell\(s\) matched one of their saved manifestations\)$/);
  });
});
