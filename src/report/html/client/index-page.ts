/**
 * The run's index: the scenario × pairing matrix (one mark per transport, each a link to the
 * cell's page), counts per pairing and per transport, the run's command line and SDK releases,
 * filters kept in the URL, and the failures, known failures, warnings and unsupported cells.
 */
import type { Outcome } from '../../../judge/baseline.js';
import type { CellGroup, IndexCell, IndexData } from '../types.js';
import { catalogue, OUTCOMES, outcomeMark } from './catalogue.js';
import { type Child, copyButton, extLink, fill, h, link, ms } from './dom.js';
import { cellMatches, EMPTY, type FilterState, implOptions, parseHash, toHash } from './filters.js';

const byName = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });
const TRANSPORT_ORDER = (a: string, b: string) => (a === b ? 0 : a === 'stdio' ? -1 : b === 'stdio' ? 1 : a.localeCompare(b));

function counts(cells: IndexCell[]): Record<Outcome, number> {
  const c: Record<Outcome, number> = { pass: 0, known: 0, fail: 0, stale: 0, unsupported: 0 };
  for (const x of cells) c[x.outcome]++;
  return c;
}

/** `12 pass` badges; compact ones (`12✓`) fit under a matrix column. */
function countBadges(c: Record<Outcome, number>, compact = false): Child[] {
  return OUTCOMES.filter((o) => c[o]).map((o) =>
    h(
      'span',
      { class: `badge o-${o}${compact ? ' compact' : ''}`, title: `${c[o]} ${o}` },
      compact ? `${c[o]}${outcomeMark(o)}` : `${c[o]} ${o}`,
    ),
  );
}

/** A cell's mark; a cell the filters hide keeps its slot, blank, so the columns stay aligned. */
function mark(c: IndexCell | undefined, transport: string, shown: boolean): HTMLElement {
  if (!c) return h('span', { class: 'mark none', title: `${transport}: not in this run` }, '·');
  if (!shown) return h('span', { class: 'mark filtered', title: `${c.id}: hidden by the filters` });
  const title = `${c.id}: ${c.outcome}${c.problems.length ? `\n${c.problems.join('\n')}` : ''}${c.failures.length && !c.problems.length ? `\n${c.failures.join(', ')}` : ''}`;
  return link(c.href, outcomeMark(c.outcome), {
    class: `mark o-${c.outcome}`,
    title,
    'data-cell': c.id,
    'data-outcome': c.outcome,
    'data-transport': transport,
  });
}

interface Axes {
  scenarios: string[];
  pairings: string[];
  transports: string[];
  at: Map<string, IndexCell>;
}

/** Rows, columns and transports of the cells shown; `at` holds every cell of the run. */
function axes(all: IndexCell[], cells: IndexCell[], allTransports: string[]): Axes {
  const at = new Map<string, IndexCell>();
  for (const c of all) at.set(`${c.scenario}|${c.pairing}|${c.transport}`, c);
  const shownTransports = new Set(cells.map((c) => c.transport));
  return {
    scenarios: [...new Set(cells.map((c) => c.scenario))].sort(byName),
    pairings: [...new Set(cells.map((c) => c.pairing))].sort(byName),
    transports: allTransports.filter((t) => shownTransports.has(t)),
    at,
  };
}

function matrixTable(data: IndexData, cells: IndexCell[], allTransports: string[], transpose: boolean): HTMLElement {
  const ax = axes(data.cells, cells, allTransports);
  if (!cells.length) return h('p', { class: 'empty' }, 'No cell matches these filters.');
  const shown = new Set(cells);
  const marks = (scenario: string, pairing: string) =>
    h(
      'td',
      { class: 'marks' },
      ...ax.transports.map((t) => {
        const c = ax.at.get(`${scenario}|${pairing}|${t}`);
        return mark(c, t, c !== undefined && shown.has(c));
      }),
    );
  const scenarioHead = (s: string) => {
    const info = data.scenarios[s];
    return h(
      'th',
      { class: 'scenario', scope: 'row', title: info?.title ?? '' },
      s,
      info?.tags.length ? h('span', { class: 'tags' }, info.tags.join(' ')) : null,
    );
  };
  const transportsNote = h('span', { class: 'sub' }, `marks: ${ax.transports.join(', ')}`);
  if (!transpose) {
    const head = h(
      'tr',
      null,
      h('th', { class: 'corner' }, 'scenario ', transportsNote),
      ...ax.pairings.map((p) => h('th', { class: 'pairing', scope: 'col' }, h('span', null, p))),
    );
    const body = ax.scenarios.map((s) => h('tr', { 'data-scenario': s }, scenarioHead(s), ...ax.pairings.map((p) => marks(s, p))));
    const foot = h(
      'tr',
      { class: 'totals' },
      h('th', { scope: 'row' }, 'per pairing'),
      ...ax.pairings.map((p) => h('td', null, ...countBadges(counts(cells.filter((c) => c.pairing === p)), true))),
    );
    return h('table', { class: 'matrix', id: 'matrix' }, h('thead', null, head), h('tbody', null, ...body), h('tfoot', null, foot));
  }
  const head = h(
    'tr',
    null,
    h('th', { class: 'corner' }, 'pairing ', transportsNote),
    ...ax.scenarios.map((s) => h('th', { class: 'pairing', scope: 'col', title: data.scenarios[s]?.title ?? '' }, h('span', null, s))),
  );
  const body = ax.pairings.map((p) =>
    h(
      'tr',
      { 'data-pairing': p },
      h('th', { scope: 'row', class: 'scenario' }, p, ' ', ...countBadges(counts(cells.filter((c) => c.pairing === p)))),
      ...ax.scenarios.map((s) => marks(s, p)),
    ),
  );
  return h('table', { class: 'matrix transposed', id: 'matrix' }, h('thead', null, head), h('tbody', null, ...body));
}

function countsTable(cells: IndexCell[]): HTMLElement {
  const rows: [string, IndexCell[]][] = [];
  for (const p of [...new Set(cells.map((c) => c.pairing))].sort(byName)) rows.push([p, cells.filter((c) => c.pairing === p)]);
  for (const t of [...new Set(cells.map((c) => c.transport))].sort(TRANSPORT_ORDER)) rows.push([t, cells.filter((c) => c.transport === t)]);
  rows.push(['total', cells]);
  return h(
    'table',
    { class: 'counts', id: 'counts' },
    h('thead', null, h('tr', null, h('th', null, 'pairing / transport'), ...OUTCOMES.map((o) => h('th', { class: `o-${o}` }, o)))),
    h(
      'tbody',
      null,
      ...rows.map(([name, cs]) =>
        h('tr', { 'data-key': name }, h('th', { scope: 'row' }, name), ...OUTCOMES.map((o) => h('td', null, String(counts(cs)[o] || '')))),
      ),
    ),
  );
}

function groupList(title: string, id: string, groups: CellGroup[], visible: Set<string>, cls: string): HTMLElement | null {
  const shown = groups.map((g) => ({ ...g, cells: g.cells.filter((c) => visible.has(c.id)) })).filter((g) => g.cells.length);
  if (!shown.length) return null;
  const n = new Set(shown.flatMap((g) => g.cells.map((c) => c.id))).size;
  return h(
    'details',
    { class: `group ${cls}`, id, open: cls === 'failures' || cls === 'stale' },
    h('summary', null, `${title} (${shown.length} · ${n} cell${n > 1 ? 's' : ''})`),
    h(
      'ul',
      null,
      ...shown.map((g) =>
        h(
          'li',
          null,
          h(
            'div',
            { class: 'g-title' },
            g.ids.length ? h('code', null, g.ids.join(', ')) : g.title,
            g.blame ? h('span', { class: `badge blame b-${g.blame}` }, g.blame) : null,
          ),
          g.text ? h('div', { class: 'g-text' }, g.text) : g.ids.length ? h('div', { class: 'g-text' }, g.title) : null,
          g.requirement ? h('blockquote', null, g.requirement, g.specUrl ? [' ', extLink(g.specUrl, 'spec')] : null) : null,
          g.links.length ? h('div', { class: 'g-links' }, 'upstream: ', ...g.links.flatMap((l, i) => [i ? ', ' : '', extLink(l)])) : null,
          h('div', { class: 'g-cells' }, ...g.cells.map((c) => link(c.href, c.id, { class: 'cell-link' }))),
        ),
      ),
    ),
  );
}

function select(name: keyof FilterState, label: string, options: string[], value: string, onChange: (v: string) => void): HTMLElement {
  const sel = h(
    'select',
    { id: `f-${name}`, name },
    h('option', { value: '' }, `any ${label}`),
    ...options.map((o) => h('option', { value: o, selected: o === value }, o)),
  );
  sel.addEventListener('change', () => onChange(sel.value));
  return h('label', null, `${label} `, sel);
}

export function renderIndex(root: HTMLElement, data: IndexData): void {
  const allTransports = [...new Set(data.cells.map((c) => c.transport))].sort(TRANSPORT_ORDER);
  const tags = [...new Set(Object.values(data.scenarios).flatMap((s) => s.tags))].sort();
  let state: FilterState = { ...EMPTY, ...parseHash(location.hash) };
  document.title = `MCP Tasks interop · ${data.runId}`;

  const releases = h(
    'table',
    { class: 'releases' },
    h('thead', null, h('tr', null, h('th', null, 'SDK'), h('th', null, 'package'), h('th', null, 'release'), h('th', null, ''))),
    h(
      'tbody',
      null,
      ...data.releases.map((r) =>
        h(
          'tr',
          null,
          h('td', null, r.sdk),
          h('td', null, h('code', null, r.package)),
          h('td', null, r.version),
          h('td', null, r.local ? `local build: ${r.local}` : r.pinned ? 'pinned' : ''),
        ),
      ),
    ),
  );
  const header = h(
    'header',
    { class: 'top' },
    h('h1', null, 'MCP Tasks interop'),
    h(
      'div',
      { class: 'run-meta' },
      `run ${data.runId}${data.shard ? ` (shard ${data.shard.index}/${data.shard.count})` : ''}${data.mergedFrom ? ` (merged from ${data.mergedFrom.length} runs)` : ''} · started ${data.startedAt} · took ${ms(data.durationMs)} · ${data.cells.length} cells `,
      ...countBadges(counts(data.cells)),
    ),
    h(
      'div',
      { class: 'command' },
      h('span', { class: 'k' }, 'command '),
      h('code', { id: 'command' }, data.command),
      ' ',
      copyButton(data.command),
    ),
    data.releases.length ? releases : h('div', null, data.sdks.join(' · ')),
  );

  const outcomeBoxes = h(
    'fieldset',
    { class: 'outcomes' },
    h('legend', null, 'outcome'),
    ...OUTCOMES.map((o) => {
      const box = h('input', { type: 'checkbox', value: o, id: `f-outcome-${o}`, checked: state.outcome.includes(o) });
      box.addEventListener('change', () =>
        update({ outcome: OUTCOMES.filter((x) => (x === o ? box.checked : state.outcome.includes(x))) }),
      );
      return h('label', { class: `chip o-${o}` }, box, ` ${o}`);
    }),
  );
  const search = h('input', { type: 'search', id: 'f-q', placeholder: 'search: scenario, cell, failure id, message', value: state.q });
  search.addEventListener('input', () => update({ q: search.value }));
  const transpose = h('input', { type: 'checkbox', id: 'f-transpose', checked: state.transpose });
  transpose.addEventListener('change', () => update({ transpose: transpose.checked }));
  const reset = h('button', { type: 'button', id: 'f-reset' }, 'clear filters');
  reset.addEventListener('click', () => {
    state = { ...EMPTY, transpose: state.transpose };
    history.replaceState(null, '', toHash(state) || location.pathname);
    renderAll(true);
  });
  const shownCount = h('span', { class: 'shown', id: 'shown' });
  const filters = h('section', { class: 'filters' });
  const matrixBox = h('section', { class: 'matrix-box' });
  const countsBox = h('section', { class: 'counts-box' });
  const groupsBox = h('section', { class: 'groups' });
  const versionBox = versionTables(data);

  function update(patch: Partial<FilterState>): void {
    state = { ...state, ...patch };
    history.replaceState(null, '', toHash(state) || location.pathname);
    renderAll(false);
  }

  function renderFilters(): void {
    fill(
      filters,
      outcomeBoxes,
      select('client', 'client', implOptions(data.cells, 'client'), state.client, (v) => update({ client: v })),
      select('server', 'server', implOptions(data.cells, 'server'), state.server, (v) => update({ server: v })),
      select('transport', 'transport', allTransports, state.transport, (v) => update({ transport: v })),
      tags.length ? select('tag', 'tag', tags, state.tag, (v) => update({ tag: v })) : null,
      search,
      h('label', null, transpose, ' transpose'),
      reset,
      shownCount,
    );
  }

  function renderAll(syncInputs: boolean): void {
    if (syncInputs) {
      for (const box of outcomeBoxes.querySelectorAll('input')) box.checked = state.outcome.includes(box.value);
      search.value = state.q;
      transpose.checked = state.transpose;
      renderFilters();
    }
    const cells = data.cells.filter((c) => cellMatches(c, state, data.scenarios[c.scenario]));
    const visible = new Set(cells.map((c) => c.id));
    shownCount.textContent = `showing ${cells.length} of ${data.cells.length} cells`;
    matrixBox.replaceChildren(
      h('h2', null, 'Matrix'),
      h('div', { class: 'matrix-scroll' }, matrixTable(data, cells, allTransports, state.transpose)),
      h(
        'p',
        { class: 'legend' },
        catalogue().legend,
        '. Each pairing shows one mark per transport (',
        allTransports.join(', '),
        '); a mark links to the cell.',
      ),
    );
    countsBox.replaceChildren(h('h2', null, 'Counts'), countsTable(cells));
    groupsBox.replaceChildren(
      ...[
        groupList('Failures', 'failures', data.failures, visible, 'failures'),
        groupList('Stale baseline entries', 'stale', data.stale, visible, 'stale'),
        groupList('Known failures (SDK defects in the baseline)', 'known', data.known, visible, 'known'),
        groupList('Warnings (SHOULD-level checks)', 'warnings', data.warnings, visible, 'warnings'),
        groupList('Unsupported cells', 'unsupported', data.unsupported, visible, 'unsupported'),
      ].filter((x): x is HTMLElement => x !== null),
    );
  }

  renderFilters();
  renderAll(false);
  fill(root, header, filters, matrixBox, countsBox, versionBox, groupsBox);
  // A pasted link or the back button changes the fragment: follow it.
  window.addEventListener('hashchange', () => {
    state = { ...EMPTY, ...parseHash(location.hash) };
    renderAll(true);
  });
}

function versionTables(data: IndexData): HTMLElement | null {
  if (!data.versionTables.length) return null;
  const cell = (c: Record<Outcome, number> | undefined) => (c ? `${c.pass}/${c.known}/${c.fail + c.stale}/${c.unsupported}` : '');
  return h(
    'section',
    { class: 'versions' },
    h('h2', null, 'Releases × releases'),
    h('p', { class: 'legend' }, 'each cell: pass/known/fail/unsupported over all scenarios and transports'),
    ...data.versionTables.map((t) => {
      const [client, server] = t.pair.split('→');
      return h(
        'table',
        { class: 'counts' },
        h('caption', null, t.pair),
        h('thead', null, h('tr', null, h('th', null, `${client} \\ ${server}`), ...t.columns.map((c) => h('th', null, c)))),
        h(
          'tbody',
          null,
          ...t.rows.map((r) => h('tr', null, h('th', null, r), ...t.columns.map((c) => h('td', null, cell(t.counts[r]?.[c]))))),
        ),
      );
    }),
  );
}
