/** compare.md: a run comparison short enough for a PR comment, and its console form. */
import type { CellChange, RunComparison } from './compare-runs.js';
import { firstDivergence } from './format.js';

const MAX_ROWS = 40;
const NAMES = { a: 'A', b: 'B' };

function cellName(c: CellChange): string {
  return c.byRelease ? `${c.a.cell.id} → ${c.b.cell.id}` : c.b.cell.id;
}

function failuresText(c: CellChange): string {
  return [...c.added.map((f) => `+${f}`), ...c.removed.map((f) => `−${f}`)].join(' ') || '—';
}

export function wireText(c: CellChange): string {
  if ('missing' in c.wire) return c.wire.missing;
  if (c.wire.equivalent) return 'no wire difference';
  return firstDivergence(c.wire, NAMES) ?? 'no wire difference';
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function compareMarkdown(cmp: RunComparison): string {
  const worse = cmp.changed.filter((c) => c.worse).length;
  const lines = [
    '## mcp-interop compare',
    '',
    `A: \`${cmp.a.runId}\`${cmp.a.sdks.length ? ` (${cmp.a.sdks.join(', ')})` : ''}  `,
    `B: \`${cmp.b.runId}\`${cmp.b.sdks.length ? ` (${cmp.b.sdks.join(', ')})` : ''}`,
    '',
    `**${cmp.changed.length} cell(s) changed${worse ? `, ${worse} worse` : ''}**; ${cmp.onlyA.length} only in A, ${cmp.onlyB.length} only in B, ${cmp.unchanged} unchanged.`,
  ];
  if (cmp.changed.length) {
    lines.push('', '| cell | A | B | failures | first wire divergence |', '| --- | --- | --- | --- | --- |');
    // Worse first: what a reviewer must look at.
    const rows = [...cmp.changed].sort((x, y) => Number(y.worse) - Number(x.worse));
    for (const c of rows.slice(0, MAX_ROWS)) {
      const b = c.worse ? `**${c.b.outcome}**` : c.b.outcome;
      lines.push(`| ${cell(cellName(c))} | ${c.a.outcome} | ${b} | ${cell(failuresText(c))} | ${cell(wireText(c))} |`);
    }
    if (rows.length > MAX_ROWS) lines.push('', `… and ${rows.length - MAX_ROWS} more (\`mcp-interop compare --json\`).`);
  }
  const only = (title: string, cells: RunComparison['onlyA']) => {
    if (!cells.length) return;
    lines.push('', `<details><summary>${title} (${cells.length})</summary>`, '');
    for (const c of cells.slice(0, MAX_ROWS)) lines.push(`- ${c.cell.id} (${c.outcome})`);
    if (cells.length > MAX_ROWS) lines.push(`- … and ${cells.length - MAX_ROWS} more`);
    lines.push('', '</details>');
  };
  only('Only in A', cmp.onlyA);
  only('Only in B', cmp.onlyB);
  return `${lines.join('\n')}\n`;
}

export function compareLines(cmp: RunComparison): string[] {
  const lines = [`A: ${cmp.a.dir}`, `B: ${cmp.b.dir}`];
  for (const c of cmp.changed) {
    lines.push(`${c.worse ? 'WORSE  ' : 'changed'} ${cellName(c)}: ${c.a.outcome} → ${c.b.outcome}  ${failuresText(c)}`);
    lines.push(`        wire: ${wireText(c)}`);
  }
  for (const c of cmp.onlyA) lines.push(`only in A: ${c.cell.id} (${c.outcome})`);
  for (const c of cmp.onlyB) lines.push(`only in B: ${c.cell.id} (${c.outcome})`);
  const worse = cmp.changed.filter((c) => c.worse).length;
  lines.push(
    `${cmp.changed.length} changed (${worse} worse), ${cmp.onlyA.length} only in A, ${cmp.onlyB.length} only in B, ${cmp.unchanged} unchanged`,
  );
  return lines;
}
