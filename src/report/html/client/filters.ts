/**
 * The index's filters and their place in the URL (pure: tested in Node). The state lives in the
 * fragment (`#outcome=fail,known&server=py&q=ttl`), which works from file:// and survives a
 * shared link or a reload.
 */
import type { IndexCell, ScenarioInfo } from '../types.js';

export interface FilterState {
  outcome: string[];
  client: string;
  server: string;
  transport: string;
  tag: string;
  q: string;
  /** Pairings as rows and scenarios as columns. */
  transpose: boolean;
}

export const EMPTY: FilterState = { outcome: [], client: '', server: '', transport: '', tag: '', q: '', transpose: false };

export function parseHash(hash: string): FilterState {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const one = (k: string) => p.get(k) ?? '';
  return {
    outcome: one('outcome').split(',').filter(Boolean),
    client: one('client'),
    server: one('server'),
    transport: one('transport'),
    tag: one('tag'),
    q: one('q'),
    transpose: p.get('transpose') === '1',
  };
}

export function toHash(s: FilterState): string {
  const p = new URLSearchParams();
  if (s.outcome.length) p.set('outcome', s.outcome.join(','));
  for (const k of ['client', 'server', 'transport', 'tag', 'q'] as const) if (s[k]) p.set(k, s[k]);
  if (s.transpose) p.set('transpose', '1');
  const text = p.toString();
  return text ? `#${text}` : '';
}

/** An implementation filter matches its label (`ts@1.29.0`) or its name (`ts`, every release). */
const implMatches = (want: string, label: string, name: string) => !want || want === label || want === name;

export function cellMatches(c: IndexCell, s: FilterState, info: ScenarioInfo | undefined): boolean {
  if (s.outcome.length && !s.outcome.includes(c.outcome)) return false;
  if (!implMatches(s.client, c.client, c.clientName) || !implMatches(s.server, c.server, c.serverName)) return false;
  if (s.transport && c.transport !== s.transport) return false;
  if (s.tag && !(info?.tags ?? []).includes(s.tag)) return false;
  if (s.q) {
    const words = s.q.toLowerCase().split(/\s+/).filter(Boolean);
    const hay = [c.id, c.scenario, info?.title ?? '', ...(info?.tags ?? []), c.outcome, ...c.failures, ...c.warnings, ...c.problems]
      .join('\n')
      .toLowerCase();
    if (!words.every((w) => hay.includes(w))) return false;
  }
  return true;
}

/** Implementation options: each name, and each label when a name ran at several releases. */
export function implOptions(cells: IndexCell[], side: 'client' | 'server'): string[] {
  const names = new Set<string>();
  const labels = new Set<string>();
  for (const c of cells) {
    names.add(side === 'client' ? c.clientName : c.serverName);
    labels.add(side === 'client' ? c.client : c.server);
  }
  return [...names].sort().concat([...labels].filter((l) => !names.has(l)).sort());
}
