import { describe, expect, it } from 'vitest';
import { applyBaseline, type BaselineEntry, loadBaseline } from '../../src/judge/baseline.js';
import type { Verdict } from '../../src/judge/judge.js';
import type { Finding } from '../../src/judge/types.js';
import type { ScenarioError } from '../../src/scenario/load.js';
import { tempDir, writeFile } from '../helpers.js';

const finding = (id: string): Finding => ({ id, level: 'MUST', blame: 'server', message: `${id} failed`, evidence: {} });

function verdict(failures: string[], cell: Partial<Verdict['cell']> = {}, status?: Verdict['status']): Verdict {
  return {
    cell: { id: 'x', slug: 'x', scenario: 'ttl-expiry', client: 'ts', server: 'py', transport: 'stdio', ...cell },
    status: status ?? (failures.length ? 'fail' : 'pass'),
    durationMs: 1,
    failures: failures.map(finding),
    warnings: [],
    info: [],
    expectations: [],
    checks: [],
    files: { dir: '', trace: '', observations: '', clientStderr: '', serverStderr: '' },
    rerun: 'npm start -- …',
  };
}

const entry = (failure: string, sel: Partial<BaselineEntry> = {}): BaselineEntry => ({
  scenario: 'ttl-expiry',
  failure,
  reason: 'the SDK does something wrong',
  ...sel,
});

describe('known-failures baseline', () => {
  it('a listed failure is known; an unlisted one fails the cell', () => {
    expect(applyBaseline(verdict(['check:a']), [entry('check:a')]).outcome).toBe('known');
    const o = applyBaseline(verdict(['check:a', 'expect:s1.ok']), [entry('check:a')]);
    expect(o.outcome).toBe('fail');
    expect(o.unexpected.map((f) => f.id)).toEqual(['expect:s1.ok']);
    expect(o.known.map((k) => k.finding.id)).toEqual(['check:a']);
  });

  it('a listed failure that now passes is stale', () => {
    const o = applyBaseline(verdict([]), [entry('check:a')]);
    expect(o.outcome).toBe('stale');
    expect(o.stale.map((e) => e.failure)).toEqual(['check:a']);
    expect(applyBaseline(verdict(['check:a']), [entry('check:a'), entry('check:b')]).outcome).toBe('stale');
  });

  it('an entry with several failures (one defect) is known while any of them happens, stale when none does', () => {
    const crash = entry('run:server-exit', { failure: ['run:server-exit', 'expect:s3.ok', 'expect:s4.ok'] });
    expect(applyBaseline(verdict(['run:server-exit', 'expect:s4.ok']), [crash]).outcome).toBe('known');
    expect(applyBaseline(verdict(['expect:s3.ok']), [crash]).outcome).toBe('known');
    expect(applyBaseline(verdict([]), [crash]).outcome).toBe('stale');
    expect(applyBaseline(verdict(['expect:s3.ok', 'expect:s9.ok']), [crash]).unexpected.map((f) => f.id)).toEqual(['expect:s9.ok']);
  });

  it('matches cells by scenario, implementations and transport; absent means any', () => {
    const e = entry('check:a', { server: 'py', transport: ['http'] });
    expect(applyBaseline(verdict(['check:a'], { transport: 'http' }), [e]).outcome).toBe('known');
    expect(applyBaseline(verdict(['check:a'], { transport: 'stdio' }), [e]).outcome).toBe('fail');
    expect(applyBaseline(verdict([], { server: 'ts' }), [e]).outcome).toBe('pass');
  });

  it('unsupported cells are neither known nor stale', () => {
    expect(applyBaseline(verdict([], {}, 'unsupported'), [entry('check:a')]).outcome).toBe('unsupported');
  });

  it('rejects entries that name unknown scenarios or implementations, or malformed ids', () => {
    const dir = tempDir();
    const file = writeFile(
      dir,
      'kf.yaml',
      'known:\n  - scenario: nope\n    server: rust\n    failure: "check:x"\n    reason: a good reason here\n  - scenario: ttl-expiry\n    failure: "bogus"\n    reason: a good reason here\n',
    );
    let problems: string[] = [];
    try {
      loadBaseline(file, { scenarios: ['ttl-expiry'], impls: ['ts', 'py'] });
    } catch (err) {
      problems = (err as ScenarioError).problems;
    }
    expect(problems.some((p) => p.includes('known[1].failure: expected a failure id'))).toBe(true);
    const file2 = writeFile(
      dir,
      'kf2.yaml',
      'known:\n  - scenario: nope\n    server: rust\n    failure: "check:x"\n    reason: a good reason here\n',
    );
    expect(() => loadBaseline(file2, { scenarios: ['ttl-expiry'], impls: ['ts', 'py'] })).toThrow(
      /known\[0\]\.scenario: unknown scenario "nope"/,
    );
  });

  it('a missing file is an empty baseline', () => {
    expect(loadBaseline('/nonexistent/known-failures.yaml', { scenarios: [], impls: [] })).toEqual([]);
  });
});
