/** The index page's data: every cell with its outcome, and the run's failures, known failures, warnings and unsupported cells grouped. */
import { type CellOutcome, failureIds, upstreamLinks } from '../../judge/baseline.js';
import { specUrl } from '../../vocabulary/spec-sections.js';
import { firstLine, problemLines, unsupportedGroups } from '../format.js';
import { pairingOf } from '../matrix-model.js';
import type { RunMeta } from '../run-meta.js';
import { versionTables } from '../version-matrix.js';
import type { CellGroup, IndexCell, IndexData, ScenarioInfo } from './types.js';

export const cellHref = (slug: string) => `cells/${slug}/index.html`;

function indexCell(o: CellOutcome): IndexCell {
  const v = o.verdict;
  return {
    id: v.cell.id,
    slug: v.cell.slug,
    scenario: v.cell.scenario,
    client: v.cell.client,
    server: v.cell.server,
    clientName: v.cell.clientImpl?.name ?? v.cell.client.split('@')[0]!,
    serverName: v.cell.serverImpl?.name ?? v.cell.server.split('@')[0]!,
    transport: v.cell.transport,
    pairing: pairingOf(o),
    outcome: o.outcome,
    durationMs: v.durationMs,
    failures: [...new Set(v.failures.map((f) => f.id))],
    warnings: [...new Set(v.warnings.map((f) => f.id))],
    problems: problemLines(o),
    href: cellHref(v.cell.slug),
  };
}

/** Appends a cell to the group keyed `key`, creating it with `make` the first time. */
function grouper() {
  const groups = new Map<string, CellGroup>();
  return {
    add(key: string, make: () => Omit<CellGroup, 'cells'>, o: CellOutcome) {
      let g = groups.get(key);
      if (!g) {
        g = { ...make(), cells: [] };
        groups.set(key, g);
      }
      if (!g.cells.some((c) => c.id === o.verdict.cell.id)) g.cells.push({ id: o.verdict.cell.id, href: cellHref(o.verdict.cell.slug) });
    },
    list: () => [...groups.values()],
  };
}

export function indexData(
  outcomes: CellOutcome[],
  meta: Pick<RunMeta, 'runId' | 'command' | 'startedAt' | 'durationMs' | 'releases' | 'sdks' | 'stale' | 'shard' | 'mergedFrom'>,
  scenarios: Record<string, ScenarioInfo>,
): IndexData {
  const failures = grouper();
  const known = grouper();
  const warnings = grouper();
  const stale = grouper();
  for (const o of outcomes) {
    for (const f of o.unexpected)
      failures.add(`${f.id} [${f.blame}]`, () => ({ title: firstLine(f.message, 200), ids: [f.id], blame: f.blame, links: [] }), o);
    // One group per baseline entry: the defect, its failure ids as they showed, its upstream links.
    for (const k of o.known) {
      const ids = failureIds(k.entry);
      known.add(
        ids.join(',') + k.entry.reason,
        () => ({ title: firstLine(k.entry.reason, 160), ids, text: k.entry.reason.trim(), links: upstreamLinks(k.entry) }),
        o,
      );
    }
    for (const w of o.verdict.warnings) {
      warnings.add(
        `${w.id} [${w.blame}]`,
        () => ({
          title: firstLine(w.message, 200),
          ids: [w.id],
          blame: w.blame,
          links: [],
          ...(w.requirement ? { requirement: w.requirement } : {}),
          ...(w.section ? { specUrl: specUrl(w.section) } : {}),
        }),
        o,
      );
    }
    for (const e of o.stale)
      stale.add(
        failureIds(e).join(',') + e.reason,
        () => ({ title: firstLine(e.reason, 160), ids: failureIds(e), text: e.reason.trim(), links: upstreamLinks(e) }),
        o,
      );
  }
  const slugOf = new Map(outcomes.map((o) => [o.verdict.cell.id, o.verdict.cell.slug]));
  const unsupported = unsupportedGroups(outcomes).map(
    (g): CellGroup => ({
      title: firstLine(g.text, 200),
      ids: [],
      text: g.text,
      links: [],
      cells: g.cells.map((id) => ({ id, href: cellHref(slugOf.get(id) ?? '') })),
    }),
  );
  return {
    page: 'index',
    runId: meta.runId,
    command: meta.command,
    startedAt: meta.startedAt,
    durationMs: meta.durationMs,
    releases: meta.releases ?? [],
    sdks: meta.sdks ?? [],
    ...(meta.shard ? { shard: meta.shard } : {}),
    ...(meta.mergedFrom ? { mergedFrom: meta.mergedFrom } : {}),
    cells: outcomes.map(indexCell),
    scenarios,
    failures: failures.list(),
    known: known.list(),
    warnings: warnings.list(),
    unsupported,
    stale: stale.list(),
    versionTables: versionTables(outcomes),
  };
}
