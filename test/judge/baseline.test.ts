import { describe, expect, it } from 'vitest';
import { applyBaseline, type BaselineEntry, type CellOutcome, loadBaseline, settleBaseline } from '../../src/judge/baseline.js';
import type { Verdict } from '../../src/judge/judge.js';
import type { Finding } from '../../src/judge/types.js';
import type { ScenarioError } from '../../src/scenario/load.js';
import { tempDir, writeFile } from '../helpers.js';

const finding = (id: string): Finding => ({ id, level: 'MUST', blame: 'server', message: `${id} failed`, evidence: {} });

const impl = (label: string) => {
  const [name, version] = label.split('@');
  return { label, name: name!, sdk: name!.split('-')[0], version: version ?? '1.30.0', pinned: version === undefined };
};

function verdict(
  failures: string[],
  cell: Partial<Verdict['cell']> = {},
  status?: Verdict['status'],
  checks: Verdict['checks'] = [],
): Verdict {
  const client = cell.client ?? 'ts';
  const server = cell.server ?? 'py';
  return {
    cell: {
      id: `ttl-expiry · ${client}→${server}`,
      slug: 'x',
      scenario: 'ttl-expiry',
      client,
      server,
      transport: 'stdio',
      clientImpl: impl(client),
      serverImpl: impl(server),
      ...cell,
    },
    status: status ?? (failures.length ? 'fail' : 'pass'),
    durationMs: 1,
    failures: failures.map(finding),
    warnings: [],
    info: [],
    expectations: [],
    checks,
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

  /** Applies the baseline to every verdict of a run, then settles it over the run. */
  const run = (verdicts: Verdict[], entries: BaselineEntry[]): { outcomes: CellOutcome[]; stale: ReturnType<typeof settleBaseline> } => {
    const outcomes = verdicts.map((v) => applyBaseline(v, entries));
    return { outcomes, stale: settleBaseline(outcomes, entries) };
  };

  it('a listed failure that happens in no cell of the run is stale, and so are the cells it covers', () => {
    const { outcomes, stale } = run([verdict([])], [entry('check:a')]);
    expect(outcomes[0]!.outcome).toBe('stale');
    expect(outcomes[0]!.stale.map((e) => e.failure)).toEqual(['check:a']);
    expect(stale.map((s) => [s.entry.failure, s.cells])).toEqual([['check:a', ['ttl-expiry · ts→py']]]);
    expect(run([verdict(['check:a'])], [entry('check:a'), entry('check:b')]).outcomes[0]!.outcome).toBe('stale');
  });

  it('an entry is stale only when none of the cells it covers shows it: one cell showing it is enough', () => {
    const e = entry('check:a');
    const { outcomes, stale } = run([verdict(['check:a']), verdict([], { transport: 'http' })], [e]);
    expect(stale).toEqual([]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['known', 'pass']);
  });

  it('an entry with several failures (one defect) is known while any of them happens, stale when none does', () => {
    const crash = entry('run:server-exit', { failure: ['run:server-exit', 'expect:s3.ok', 'expect:s4.ok'] });
    expect(applyBaseline(verdict(['run:server-exit', 'expect:s4.ok']), [crash]).outcome).toBe('known');
    expect(applyBaseline(verdict(['expect:s3.ok']), [crash]).outcome).toBe('known');
    expect(run([verdict([])], [crash]).outcomes[0]!.outcome).toBe('stale');
    expect(applyBaseline(verdict(['expect:s3.ok', 'expect:s9.ok']), [crash]).unexpected.map((f) => f.id)).toEqual(['expect:s9.ok']);
  });

  it('selectors may restrict an implementation to a release range', () => {
    const old = entry('check:a', { server: 'py@<1.28.0' });
    expect(applyBaseline(verdict(['check:a'], { server: 'py@1.27.2' }), [old]).outcome).toBe('known');
    expect(applyBaseline(verdict(['check:a'], { server: 'py@1.28.0' }), [old]).outcome).toBe('fail');
    expect(applyBaseline(verdict(['check:a'], { server: 'py' }), [old]).outcome).toBe('fail');
    // A local build's version carries build metadata, which ranges ignore.
    expect(applyBaseline(verdict(['check:a'], { server: 'py@1.27.0+local.ab12cd34' }), [old]).outcome).toBe('known');
    // Cells outside the range do not make the entry stale.
    const { stale } = run([verdict(['check:a'], { server: 'py@1.27.2' }), verdict([], { server: 'py@1.30.0' })], [old]);
    expect(stale).toEqual([]);
  });

  it('an entry for every scenario is stale only where one of its checks had something to judge', () => {
    const any = entry('check:a', { scenario: undefined });
    const applied = [{ id: 'a', level: 'MUST' as const, section: 'task' as const, outcome: 'pass' as const, findings: [] }];
    const na = [{ ...applied[0]!, outcome: 'n/a' as const }];
    expect(applyBaseline(verdict(['check:a'], { scenario: 'users-own' }), [any]).outcome).toBe('known');
    expect(run([verdict([], {}, undefined, na)], [any]).stale).toEqual([]);
    expect(run([verdict([], {}, undefined, applied)], [any]).stale).toHaveLength(1);
  });

  it('matches cells by scenario, implementations and transport; absent means any', () => {
    const e = entry('check:a', { server: 'py', transport: ['http'] });
    expect(applyBaseline(verdict(['check:a'], { transport: 'http' }), [e]).outcome).toBe('known');
    expect(applyBaseline(verdict(['check:a'], { transport: 'stdio' }), [e]).outcome).toBe('fail');
    expect(applyBaseline(verdict([], { server: 'ts' }), [e]).outcome).toBe('pass');
  });

  it('unsupported cells are neither known nor stale, and do not make an entry stale', () => {
    const { outcomes, stale } = run([verdict([], {}, 'unsupported')], [entry('check:a')]);
    expect(outcomes[0]!.outcome).toBe('unsupported');
    expect(stale).toEqual([]);
  });

  it('rejects a release range that does not parse, and an every-scenario entry naming a step expectation', () => {
    const dir = tempDir();
    const file = writeFile(
      dir,
      'kf.yaml',
      'known:\n  - server: py@<<1\n    failure: [check:x, expect:s1.ok]\n    reason: a good reason here\n',
    );
    let problems: string[] = [];
    try {
      loadBaseline(file, { scenarios: ['ttl-expiry'], impls: ['ts', 'py'] });
    } catch (err) {
      problems = (err as ScenarioError).problems;
    }
    expect(problems.map((p) => p.replace(/^.*kf\.yaml/, 'kf.yaml'))).toEqual([
      'kf.yaml:3: known[0].failure: an entry for every scenario may only name spec checks (check:<id>), found expect:s1.ok',
      'kf.yaml:2: known[0].server: "<<1" is not a semver range (e.g. "<1.28.0", ">=1.27.0 <1.30.0")',
    ]);
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
    expect(problems.some((p) => /kf\.yaml:7: known\[1\]\.failure: expected a failure id/.test(p))).toBe(true);
    const file2 = writeFile(
      dir,
      'kf2.yaml',
      'known:\n  - scenario: nope\n    server: rust\n    failure: "check:x"\n    reason: a good reason here\n',
    );
    expect(() => loadBaseline(file2, { scenarios: ['ttl-expiry'], impls: ['ts', 'py'] })).toThrow(
      /kf2\.yaml:2: known\[0\]\.scenario: unknown scenario "nope"/,
    );
  });

  it('a missing file is an empty baseline', () => {
    expect(loadBaseline('/nonexistent/known-failures.yaml', { scenarios: [], impls: [] })).toEqual([]);
  });
});
