/**
 * Every check in the catalogue applies (passes or fails) in at least one cell of the default run
 * (issue 13): test/fixtures/check-coverage.json, written by scripts/check-coverage.ts from a
 * recorded run, says where each applied. A check that can never fire, or one added without a
 * scenario that exercises it, fails here. Regenerate after a default run:
 *   npm run build && node dist/scripts/check-coverage.js reports/latest --rejudge
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COVERAGE_FILE, type CoverageSummary, summarise } from '../../scripts/check-coverage.js';
import { CATALOGUE } from '../../src/judge/spec/catalogue.js';
import { tempDir } from '../helpers.js';

describe('check coverage of the default run', () => {
  const summary = JSON.parse(readFileSync(COVERAGE_FILE, 'utf8')) as CoverageSummary;

  it('covers every catalogue check, and only catalogue checks', () => {
    const ids = CATALOGUE.map((c) => c.id);
    expect(
      Object.keys(summary.checks).filter((id) => !ids.includes(id)),
      'checks the catalogue no longer has',
    ).toEqual([]);
    expect(
      ids.filter((id) => !(id in summary.checks)),
      'catalogue checks the summary lacks (regenerate it)',
    ).toEqual([]);
  });

  it.each(CATALOGUE.map((c) => c.id))('%s applies in at least one cell', (id) => {
    const c = summary.checks[id];
    expect(c?.applied ?? 0, `${id} applied in no cell of ${summary.runs.map((r) => r.runId).join(', ')}`).toBeGreaterThan(0);
    expect(c!.cells.length).toBeGreaterThan(0);
  });
});

describe('scripts/check-coverage.ts', () => {
  const write = (dir: string, name: string, value: unknown) => {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), JSON.stringify(value));
  };
  const cell = (id: string, checks: Record<string, string>, status = 'pass') => ({
    verdict: {
      cell: { id, slug: id, scenario: 's', transport: 'stdio' },
      status,
      checks: Object.entries(checks).map(([k, outcome]) => ({ id: k, outcome })),
    },
  });

  it('counts the cells each check applied in, over several runs, leaving unsupported cells out', () => {
    const [a, b] = [CATALOGUE[0]!.id, CATALOGUE[1]!.id];
    const dir = tempDir();
    write(dir, 'r1/run.json', { runId: 'r1', outcomes: [cell('c1', { [a]: 'pass', [b]: 'n/a' }), cell('c2', { [a]: 'fail' }, 'fail')] });
    write(dir, 'r2/run.json', { runId: 'r2', outcomes: [cell('c3', { [a]: 'pass', [b]: 'pass' }, 'unsupported')] });
    const s = summarise([`${dir}/r1`, `${dir}/r2/run.json`]);
    expect(s.cells).toBe(2);
    expect(s.runs.map((r) => r.runId)).toEqual(['r1', 'r2']);
    expect(s.checks[a]).toEqual({ applied: 2, failed: 1, cells: ['c1', 'c2'] });
    expect(s.checks[b]).toEqual({ applied: 0, failed: 0, cells: [] });
  });

  it('names the file when the input is not a run', () => {
    const dir = tempDir();
    expect(() => summarise([`${dir}/nothing`])).toThrow(/nothing: no run.json/);
    write(dir, 'bad/run.json', { runId: 'x' });
    expect(() => summarise([`${dir}/bad`])).toThrow(/bad\/run.json: outcomes: expected/);
  });

  it('has a summary file to hold the catalogue against', () => {
    expect(existsSync(COVERAGE_FILE)).toBe(true);
  });
});
