import { describe, expect, it } from 'vitest';
import { cellMatches, EMPTY, implOptions, parseHash, toHash } from '../../src/report/html/client/filters.js';
import type { IndexCell } from '../../src/report/html/types.js';

const cell = (over: Partial<IndexCell> = {}): IndexCell => ({
  id: 'ttl-expiry · ts@1.29.0→py · http',
  slug: 'ttl-expiry--ts-1.29.0-py--http',
  scenario: 'ttl-expiry',
  client: 'ts@1.29.0',
  server: 'py',
  clientName: 'ts',
  serverName: 'py',
  transport: 'http',
  pairing: 'ts@1.29.0→py',
  outcome: 'known',
  durationMs: 10,
  failures: ['check:task-ttl-present'],
  warnings: ['check:tasks-get-no-sse'],
  problems: [],
  href: 'cells/x/index.html',
  ...over,
});
const info = { title: 'TTL expiry', tags: ['ttl'] };

describe('index filters', () => {
  it('round-trips through the URL fragment, leaving defaults out', () => {
    const s = { ...EMPTY, outcome: ['fail', 'known'], server: 'py', q: 'ttl present', transpose: true };
    expect(toHash(s)).toBe('#outcome=fail%2Cknown&server=py&q=ttl+present&transpose=1');
    expect(parseHash(toHash(s))).toEqual(s);
    expect(toHash(EMPTY)).toBe('');
    expect(parseHash('')).toEqual(EMPTY);
  });

  it('matches each filter, and fails each one that does not hold', () => {
    const c = cell();
    expect(cellMatches(c, EMPTY, info)).toBe(true);
    const cases: [Partial<typeof EMPTY>, boolean][] = [
      [{ outcome: ['known', 'fail'] }, true],
      [{ outcome: ['pass'] }, false],
      [{ client: 'ts' }, true], // a name matches every release
      [{ client: 'ts@1.29.0' }, true],
      [{ client: 'ts@1.30.0' }, false],
      [{ client: 'py' }, false],
      [{ server: 'py' }, true],
      [{ server: 'ts' }, false],
      [{ transport: 'http' }, true],
      [{ transport: 'stdio' }, false],
      [{ tag: 'ttl' }, true],
      [{ tag: 'cancel' }, false],
      [{ q: 'TTL-PRESENT' }, true], // failure ids, case-insensitive
      [{ q: 'expiry get-no-sse' }, true], // every word, anywhere
      [{ q: 'expiry cancel' }, false],
    ];
    for (const [patch, want] of cases) expect(cellMatches(c, { ...EMPTY, ...patch }, info), JSON.stringify(patch)).toBe(want);
    expect(cellMatches(c, { ...EMPTY, tag: 'ttl' }, undefined)).toBe(false);
  });

  it('offers implementation names, and labels where a name ran at several releases', () => {
    const cells = [cell(), cell({ client: 'ts', clientName: 'ts' }), cell({ client: 'py', clientName: 'py' })];
    expect(implOptions(cells, 'client')).toEqual(['py', 'ts', 'ts@1.29.0']);
    expect(implOptions(cells, 'server')).toEqual(['py']);
  });
});
