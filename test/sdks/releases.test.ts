/**
 * The release axis without network access: parsing what a run asks for, picking releases from a
 * registry's list (cached answers stand in for the registry), labels, filters and baseline ranges.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectorMatches } from '../../src/judge/baseline.js';
import { SCENARIOS_DIR } from '../../src/paths.js';
import { cannotReason, labelOf } from '../../src/plan/implementations.js';
import { planCells, rerunCommand, shellWord } from '../../src/plan/plan.js';
import { releasesAsked } from '../../src/plan/prepare-run.js';
import { loadScenarios } from '../../src/scenario/load.js';
import { pep440ToSemver, pythonFileVersion } from '../../src/sdks/local-build.js';
import { taskCapable, versionsFromDocument } from '../../src/sdks/registry.js';
import { looksLikePath, parseImplRef, parseReleaseList, ReleaseSpecError } from '../../src/sdks/release-spec.js';
import { resolveReleases } from '../../src/sdks/resolve.js';
import type { SdkDeclaration } from '../../src/vocabulary/driver.js';
import { fakeImpl, tempDir } from '../helpers.js';

const py: SdkDeclaration = { id: 'py', package: 'mcp', registry: 'pypi', pinned: '1.30.0', tasks: '>=1.23.0 <2.0.0-0' };

/** A release cache whose registry answer for `py` is fresh, so nothing is fetched. */
function cacheWith(versions: string[]): string {
  const cache = tempDir();
  mkdirSync(join(cache, 'registry'), { recursive: true });
  writeFileSync(join(cache, 'registry', 'py.json'), JSON.stringify({ fetchedAt: Date.now(), versions }));
  return cache;
}

describe('release specs', () => {
  it('parses versions, latest, all, pinned and local builds, and rejects the rest naming it', () => {
    expect(parseReleaseList('1.24.1, 1.28.0,latest,1.24.1')).toEqual([
      { kind: 'version', version: '1.24.1' },
      { kind: 'version', version: '1.28.0' },
      { kind: 'latest' },
    ]);
    expect(parseReleaseList('all,pinned')).toEqual([{ kind: 'all' }, { kind: 'pinned' }]);
    expect(parseReleaseList('../typescript-sdk,./dist/mcp-1.31.0-py3-none-any.whl')).toEqual([
      { kind: 'local', path: '../typescript-sdk' },
      { kind: 'local', path: './dist/mcp-1.31.0-py3-none-any.whl' },
    ]);
    expect(() => parseReleaseList('1.x')).toThrow(/"1\.x" is not a release: expected a version such as 1\.29\.0/);
    expect(() => parseReleaseList(' , ')).toThrow(ReleaseSpecError);
    expect(looksLikePath('sdk.tgz')).toBe(true);
    expect(looksLikePath('1.29.0')).toBe(false);
  });

  it('parses implementation references with a release', () => {
    expect(parseImplRef('ts')).toEqual({ name: 'ts' });
    expect(parseImplRef('ts-mcp@1.29.0')).toEqual({ name: 'ts-mcp', spec: { kind: 'version', version: '1.29.0' } });
    expect(parseImplRef('ts@1.32.2+local.ab12cd34')).toEqual({ name: 'ts', spec: { kind: 'version', version: '1.32.2+local.ab12cd34' } });
    expect(() => parseImplRef('ts@all')).toThrow(/use --ts all/);
    expect(() => parseImplRef('@1.2.3')).toThrow(ReleaseSpecError);
  });

  it('reads versions from local build file names, PEP 440 ones as semver', () => {
    expect(pythonFileVersion('dist/mcp-1.31.0-py3-none-any.whl', 'mcp')).toBe('1.31.0');
    expect(pythonFileVersion('mcp-1.30.1.dev3+g1a2b3c4-py3-none-any.whl', 'mcp')).toBe('1.30.1.dev3+g1a2b3c4');
    expect(pythonFileVersion('mcp-1.31.0.tar.gz', 'mcp')).toBe('1.31.0');
    expect(pythonFileVersion('other-1.0.0-py3-none-any.whl', 'mcp')).toBeUndefined();
    expect(pep440ToSemver('1.31.0rc1')).toBe('1.31.0-rc.1');
    expect(pep440ToSemver('1.30.1.dev3+g1a2b3c4')).toBe('1.30.1-dev.3');
    expect(pep440ToSemver('1.30.0')).toBe('1.30.0');
    expect(pep440ToSemver('latest')).toBeUndefined();
  });
});

describe('registry answers', () => {
  it('keep final releases only, in order; pre-releases and yanked files are left out', () => {
    const npm = { versions: { '1.24.0': {}, '1.23.0-beta.0': {}, '1.10.0': {}, '1.32.2': {} } };
    expect(versionsFromDocument('npm', npm)).toEqual(['1.10.0', '1.24.0', '1.32.2']);
    const pypi = { releases: { '1.30.0': [{}], '2.0.0a1': [{}], '1.29.1': [{ yanked: true }], '1.9.0': [] } };
    expect(versionsFromDocument('pypi', pypi)).toEqual(['1.30.0']);
    expect(taskCapable(py, ['1.22.0', '1.23.0', '1.30.0', '2.0.0'])).toEqual(['1.23.0', '1.30.0']);
  });

  it('resolve latest and all from the cached list, and stop on a release that does not exist or has no tasks', async () => {
    const cache = cacheWith(['1.22.0', '1.23.0', '1.27.2', '1.30.0', '2.0.0']);
    // Pinned-only specs would install; `expand` is reached through resolveReleases with unknown releases, which fail before installing.
    await expect(resolveReleases([py], new Map([['py', [{ kind: 'version', version: '1.99.0' }]]]), { cache })).rejects.toThrow(
      'py@1.99.0: mcp 1.99.0 is not published (task-capable releases: 1.23.0 … 1.30.0)',
    );
    await expect(resolveReleases([py], new Map([['py', [{ kind: 'version', version: '1.22.0' }]]]), { cache })).rejects.toThrow(
      'py@1.22.0: mcp 1.22.0 has no tasks API (task-capable releases: >=1.23.0 <2.0.0-0)',
    );
    await expect(resolveReleases([py], new Map([['rs', [{ kind: 'latest' }]]]), { cache })).rejects.toThrow(
      /--rs: no driver declares an SDK "rs"/,
    );
  });
});

describe('implementations at releases', () => {
  const release = (version: string, pinned = false) => ({ sdk: py, version, pinned, arg: version, dir: '/x' });

  it('show @version only when the run has several releases of the SDK or not the pinned one', () => {
    expect(labelOf('py', release('1.30.0', true), 1)).toBe('py');
    expect(labelOf('py', release('1.30.0', true), 2)).toBe('py@1.30.0');
    expect(labelOf('py', release('1.27.2'), 1)).toBe('py@1.27.2');
    expect(labelOf('raw', undefined, 0)).toBe('raw');
  });

  it('apply a release-ranged cannot only to the releases it names', () => {
    const old = fakeImpl('py', {
      version: '1.26.0',
      server: { cannot: { 'capability:no-tools-call': { releases: '>=1.27.0', reason: 'always declares call' } } },
    });
    const fresh = fakeImpl('py', {
      version: '1.30.0',
      server: { cannot: { 'capability:no-tools-call': { releases: '>=1.27.0', reason: 'always declares call' } } },
    });
    expect(cannotReason(old, 'server', 'capability:no-tools-call')).toBeUndefined();
    expect(cannotReason(fresh, 'server', 'capability:no-tools-call')).toBe('always declares call');
  });

  it('take releases named in filters when --<sdk> is not given, and --<sdk> otherwise', () => {
    const drivers = [fakeImpl('py').driver];
    const spec = { kind: 'version' as const, version: '1.27.2' };
    expect(releasesAsked(drivers, new Map(), { clients: [{ name: 'py', spec }] })).toEqual(new Map([['py', [spec]]]));
    const explicit = new Map([['py', [{ kind: 'latest' as const }]]]);
    expect(releasesAsked(drivers, explicit, { clients: [{ name: 'py', spec }] })).toEqual(explicit);
  });

  it('select by name (every release) or name@version (that one), and rerun with the releases used', () => {
    const scenarios = loadScenarios(SCENARIOS_DIR).filter((s) => s.id === 'flow-ttl-expiry');
    const impls = [fakeImpl('ts'), fakeImpl('py', { version: '1.27.2' }), fakeImpl('py', { version: '1.30.0', pinned: false })];
    const all = planCells(scenarios, impls, { clients: [{ name: 'ts' }], transports: ['stdio'] });
    expect(all.map((c) => c.id)).toEqual([
      'flow-ttl-expiry · ts→ts · stdio',
      'flow-ttl-expiry · ts→py@1.27.2 · stdio',
      'flow-ttl-expiry · ts→py@1.30.0 · stdio',
    ]);
    const one = planCells(scenarios, impls, {
      clients: [{ name: 'ts' }],
      servers: [{ name: 'py', spec: { kind: 'version', version: '1.27.2' } }],
      transports: ['stdio'],
    });
    expect(one.map((c) => c.id)).toEqual(['flow-ttl-expiry · ts→py@1.27.2 · stdio']);
    expect(rerunCommand(one[0]!)).toBe('npm start -- --scenario flow-ttl-expiry --client ts --server py --py 1.27.2 --transport stdio');
    const pyToPy = planCells(scenarios, impls, { clients: [{ name: 'py' }], servers: [{ name: 'py' }], transports: ['stdio'] });
    expect(rerunCommand(pyToPy.find((c) => c.id === 'flow-ttl-expiry · py@1.27.2→py@1.30.0 · stdio')!)).toBe(
      'npm start -- --scenario flow-ttl-expiry --client py@1.27.2 --server py@1.30.0 --py 1.27.2,1.30.0 --transport stdio',
    );
    expect(rerunCommand({ ...one[0]!, runArgs: ['--scenarios', 'my scenarios'] })).toContain(
      "npm start -- --scenarios 'my scenarios' --scenario flow-ttl-expiry",
    );
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
  });

  it('match baseline selectors with release ranges', () => {
    const info = (version?: string) => ({ label: 'py', name: 'py', sdk: 'py', version });
    expect(selectorMatches('py@<1.28.0', info('1.27.2'))).toBe(true);
    expect(selectorMatches('py@<1.28.0', info('1.28.0'))).toBe(false);
    expect(selectorMatches('py@>=1.27.0 <1.30.0', info('1.29.1'))).toBe(true);
    expect(selectorMatches('py', info('1.23.0'))).toBe(true);
    expect(selectorMatches('ts@<2', info('1.23.0'))).toBe(false);
    expect(selectorMatches('py@<1.28.0', info(undefined))).toBe(false);
  });
});
