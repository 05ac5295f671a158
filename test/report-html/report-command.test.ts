import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openerFor, registerReportCommand } from '../../src/cli/report-command.js';
import { tempDir } from '../helpers.js';
import { copyFixtureRun } from './fixture.js';

async function report(...args: string[]): Promise<{ out: string; err: string; code: number | undefined }> {
  const program = new Command('mcp-interop').exitOverride();
  registerReportCommand(program);
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  try {
    await program.parseAsync(['node', 'mcp-interop', 'report', ...args]);
    return { out: out.join('\n'), err: err.join('\n'), code: process.exitCode as number | undefined };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('mcp-interop report <run-dir>', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('writes the report of an existing run and says where', async () => {
    const dir = copyFixtureRun();
    const r = await report(dir);
    expect(r.code).toBeUndefined();
    expect(r.out).toMatch(/^Report: .*index\.html \(6 pages, \d+\.\d\d MB\)$/);
    expect(existsSync(join(dir, 'index.html'))).toBe(true);
    expect(existsSync(join(dir, 'cells', 'unlimited-ttl--ts-py--http', 'index.html'))).toBe(true);
  });

  it('exits 2 with a message naming the file for a folder that is not a run', async () => {
    const dir = tempDir();
    const r = await report(dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`mcp-interop: ${join(dir, 'run.json')}: no such file (is ${dir} a run folder under reports/?)`);
    expect(existsSync(join(dir, 'index.html'))).toBe(false);
  });

  it('opens with the platform opener', () => {
    expect(openerFor('linux', 'file:///r/index.html')).toEqual({ cmd: 'xdg-open', args: ['file:///r/index.html'] });
    expect(openerFor('darwin', 'file:///r/index.html')).toEqual({ cmd: 'open', args: ['file:///r/index.html'] });
    expect(openerFor('win32', 'file:///r/index.html').args).toEqual(['/c', 'start', '""', 'file:///r/index.html']);
  });
});
