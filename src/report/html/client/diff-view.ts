/**
 * A saved trace diff (cells/<slug>/diff.json, see ../diff-file.ts) side by side: each difference
 * with where it is, the path inside the message, the value on each side, and the trace event on
 * each side: in this cell's diagram when the side is this cell, else a link to the other cell's page.
 */
import type { CellData, DiffBlock } from '../types.js';
import { type Child, h, link } from './dom.js';
import { jsonText } from './json-view.js';

function value(v: unknown, present: boolean): HTMLElement {
  if (!present) return h('div', { class: 'absent' }, '(absent)');
  const text = jsonText(v);
  return h('pre', { class: 'val' }, text.length > 2000 ? `${text.slice(0, 2000)}…` : text);
}

export function diffSection(data: CellData, showSeq: (seq: number) => void): HTMLElement | null {
  if (!data.diff) return null;
  const seqRef = (side: DiffBlock['a'], seq: number | undefined): Child => {
    if (seq === undefined) return '';
    if (side.cell === data.cell.id)
      return h('button', { type: 'button', class: 'chip seq', 'data-seq': seq, onclick: () => showSeq(seq) }, `#${seq}`);
    const page = side.cell ? data.links[side.cell] : undefined;
    return page ? link(`${page}#seq=${seq}`, `#${seq}`, { class: 'chip seq' }) : `#${seq}`;
  };
  return h(
    'details',
    { class: 'diff', id: 'diff', open: true },
    h('summary', null, `Trace diff (${data.diff.blocks.length} comparison${data.diff.blocks.length === 1 ? '' : 's'})`),
    ...data.diff.problems.map((p) => h('p', { class: 'problem' }, p)),
    ...data.diff.blocks.map((b) =>
      h(
        'div',
        { class: 'diff-block' },
        h(
          'p',
          null,
          h('strong', null, 'A '),
          b.a.label,
          b.a.cell ? ` (${b.a.cell})` : '',
          h('strong', null, '  ·  B '),
          b.b.label,
          b.b.cell ? ` (${b.b.cell})` : '',
        ),
        b.equivalent
          ? h('p', { class: 'equivalent' }, 'equivalent: no semantic difference')
          : h(
              'table',
              { class: 'diff-table' },
              h(
                'thead',
                null,
                h(
                  'tr',
                  null,
                  h('th', null, ''),
                  h('th', null, 'kind'),
                  h('th', null, 'where'),
                  h('th', null, 'path'),
                  h('th', null, 'A'),
                  h('th', null, 'B'),
                ),
              ),
              h(
                'tbody',
                null,
                ...b.differences.map((d) =>
                  h(
                    'tr',
                    { class: `d-${d.kind}${d.first ? ' first' : ''}${d.phase === 'handshake' ? ' handshake' : ''}` },
                    h('td', null, d.first ? h('span', { class: 'badge', title: 'first divergence' }, 'first') : ''),
                    h('td', null, d.kind),
                    h('td', null, d.where, d.note ? h('div', { class: 'note' }, d.note) : null),
                    h('td', null, h('code', null, d.path ?? '')),
                    h('td', { class: 'side' }, seqRef(b.a, d.seq.a), value(d.a, 'a' in d)),
                    h('td', { class: 'side' }, seqRef(b.b, d.seq.b), value(d.b, 'b' in d)),
                  ),
                ),
              ),
            ),
      ),
    ),
  );
}
