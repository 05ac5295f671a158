/** summary.md: short enough to paste into a CI job summary. */
import type { CellOutcome } from '../judge/baseline.js';
import { findingLine, knownReason, OUTCOME_MARK, problemLines, unsupportedLine } from './format.js';
import { buildMatrix, countsText } from './matrix-model.js';

const cellText = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function summaryMarkdown(outcomes: CellOutcome[], meta: { runId: string; sdks: string[] }): string {
  const m = buildMatrix(outcomes);
  const failing = outcomes.filter((o) => o.outcome === 'fail' || o.outcome === 'stale');
  const lines = [
    `# MCP Tasks interop: ${failing.length ? `${failing.length} failing cell${failing.length > 1 ? 's' : ''}` : 'all cells pass or are known'}`,
    '',
    `Run \`${meta.runId}\` · ${meta.sdks.join(' · ')} · ${countsText(m.total)}`,
    '',
    `| scenario | ${m.columns.map((c) => c.key).join(' | ')} |`,
    `| --- | ${m.columns.map(() => ':-:').join(' | ')} |`,
    ...m.rows.map((r) => `| ${r.scenario} | ${r.cells.map((c) => (c ? OUTCOME_MARK[c.outcome] : ' ')).join(' | ')} |`),
    '',
    '✓ pass · k known failure (SDK defect in known-failures.yaml) · ✗ fail · s stale baseline entry · – unsupported',
    '',
    '| pairing | outcome |',
    '| --- | --- |',
    ...[...m.byPairing].map(([p, c]) => `| ${p} | ${countsText(c)} |`),
    ...[...m.byTransport].map(([t, c]) => `| ${t} | ${countsText(c)} |`),
  ];
  if (m.oneTransportOnly.length) {
    lines.push(
      '',
      `**Fails over one transport only:** ${m.oneTransportOnly.map((x) => `${x.scenario} ${x.pairing} (${x.failing})`).join(', ')}`,
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
    lines.push('', `<details><summary>Known failures (${known.length} cells)</summary>`, '');
    for (const o of known) {
      for (const k of o.known) lines.push(`- ${o.verdict.cell.id}: \`${k.finding.id}\` — ${cellText(knownReason(k.entry))}`);
    }
    lines.push('', '</details>');
  }
  const unsupported = outcomes.filter((o) => o.outcome === 'unsupported');
  if (unsupported.length) {
    lines.push('', `<details><summary>Unsupported (${unsupported.length} cells)</summary>`, '');
    for (const o of unsupported) lines.push(`- ${o.verdict.cell.id}: ${cellText(unsupportedLine(o))}`);
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
