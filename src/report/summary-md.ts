/** summary.md: short enough to paste into a CI job summary. */
import type { CellOutcome } from '../judge/baseline.js';
import { findingLine, firstLine, knownReason, MARK_LEGEND, pairingMarks, problemLines, unsupportedGroups } from './format.js';
import { buildMatrix, countsText, MAX_GRID_PAIRINGS } from './matrix-model.js';
import type { RunMeta } from './run-meta.js';
import { COUNTS_LEGEND, countsCell, versionTables } from './version-matrix.js';

const cellText = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function summaryMarkdown(outcomes: CellOutcome[], meta: Pick<RunMeta, 'runId' | 'sdks' | 'stale' | 'command'>): string {
  const m = buildMatrix(outcomes);
  const failing = outcomes.filter((o) => o.outcome === 'fail' || o.outcome === 'stale');
  const lines = [
    `# MCP Tasks interop: ${failing.length ? `${failing.length} failing cell${failing.length > 1 ? 's' : ''}` : 'all cells pass or are known'}`,
    '',
    `Run \`${meta.runId}\` · ${meta.sdks.join(' · ')} · ${countsText(m.total)}`,
    '',
    `\`${meta.command}\``,
    '',
  ];
  if (m.pairings.length <= MAX_GRID_PAIRINGS) {
    lines.push(
      `| scenario (${m.transports.join(', ')}) | ${m.pairings.join(' | ')} |`,
      `| --- | ${m.pairings.map(() => ':-:').join(' | ')} |`,
      ...m.rows.map((r) => `| ${r.scenario} | ${m.pairings.map((p) => `\`${pairingMarks(m, r, p)}\``).join(' | ')} |`),
      '',
      MARK_LEGEND,
      '',
    );
  }
  lines.push(
    '| pairing | outcome |',
    '| --- | --- |',
    ...[...m.byPairing].map(([p, c]) => `| ${p} | ${countsText(c)} |`),
    ...[...m.byTransport].map(([t, c]) => `| ${t} | ${countsText(c)} |`),
  );
  if (m.oneTransportOnly.length) {
    lines.push(
      '',
      `**Fails over one transport only:** ${m.oneTransportOnly.map((x) => `${x.scenario} ${x.pairing} (${x.failing})`).join(', ')}`,
    );
  }
  for (const t of versionTables(outcomes)) {
    const [client, server] = t.pair.split('→');
    lines.push(
      '',
      `**${t.pair}** (${COUNTS_LEGEND})`,
      '',
      `| ${client} \\ ${server} | ${t.columns.join(' | ')} |`,
      `| --- | ${t.columns.map(() => ':-:').join(' | ')} |`,
    );
    for (const r of t.rows) lines.push(`| ${r} | ${t.columns.map((c) => countsCell(t.counts[r]?.[c])).join(' | ')} |`);
  }
  if (meta.stale.length) {
    lines.push('', '## Stale baseline entries', '');
    for (const s of meta.stale)
      lines.push(
        `- ${cellText(`${[s.entry.failure].flat().join(', ')} — ${firstLine(s.entry.reason, 120)}`)} (${s.cells.length} cells, none failed)`,
      );
  }
  if (failing.length) {
    lines.push('', '## Failures', '');
    for (const o of failing) {
      lines.push(`- **${o.verdict.cell.id}**`);
      for (const p of problemLines(o)) lines.push(`  - ${cellText(p)}`);
      lines.push(`  - rerun: \`${o.verdict.rerun}\` · trace: \`${o.verdict.files.trace}\``);
    }
  }
  const known = outcomes.filter((o) => o.known.length);
  if (known.length) {
    lines.push('', `<details><summary>Known failures (${known.length} cell${known.length > 1 ? 's' : ''})</summary>`, '');
    for (const o of known) {
      const byEntry = new Map(o.known.map((k) => [k.entry, [] as string[]]));
      for (const k of o.known) byEntry.get(k.entry)!.push(k.finding.id);
      for (const [entry, ids] of byEntry)
        lines.push(`- ${o.verdict.cell.id}: ${[...new Set(ids)].map((id) => `\`${id}\``).join(', ')} — ${cellText(knownReason(entry))}`);
    }
    lines.push('', '</details>');
  }
  const groups = unsupportedGroups(outcomes);
  if (groups.length) {
    const n = outcomes.filter((o) => o.outcome === 'unsupported').length;
    lines.push('', `<details><summary>Unsupported (${n} cell${n > 1 ? 's' : ''})</summary>`, '');
    for (const g of groups) lines.push(`- ${cellText(g.text)}: ${g.cells.length} cell${g.cells.length > 1 ? 's' : ''}`);
    lines.push('', '</details>');
  }
  const warned = outcomes.filter((o) => o.verdict.warnings.length);
  if (warned.length) {
    lines.push('', `<details><summary>Warnings (SHOULD-level, ${warned.reduce((n, o) => n + o.verdict.warnings.length, 0)})</summary>`, '');
    for (const o of warned) for (const w of o.verdict.warnings) lines.push(`- ${o.verdict.cell.id}: ${cellText(findingLine(w, 160))}`);
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}
