/**
 * The verdict panel of a cell page: every finding (unexpected and known failures, warnings,
 * information) with its id, level, blamed side, the quoted requirement linked to its spec
 * section, the baseline's reason and upstream links, and its evidence; then every expectation
 * and every spec check with its outcome. Choosing a finding shows its evidence in the diagram.
 */
import type { ExpectationResult } from '../../../judge/types.js';
import type { CellData, ReportFinding } from '../types.js';
import { catalogue } from './catalogue.js';
import { type Child, extLink, h } from './dom.js';
import { jsonView } from './json-view.js';

export interface EvidenceTarget {
  trace: number[];
  observations: number[];
}

const STATUS_TEXT: Record<ReportFinding['status'], string> = {
  unexpected: 'FAIL',
  known: 'KNOWN',
  warning: 'WARN',
  info: 'INFO',
};

function requirementBlock(f: { id: string; requirement?: string; section?: string; specUrl?: string }): Child {
  const check = f.id.startsWith('check:') ? catalogue().checks[f.id.slice('check:'.length)] : undefined;
  const requirement = f.requirement ?? check?.requirement;
  const section = f.section ?? check?.section;
  if (!requirement && !section) return null;
  const sec = section ? catalogue().sections[section] : undefined;
  const url = f.specUrl ?? sec?.url;
  return h(
    'blockquote',
    { class: 'requirement' },
    requirement ?? '',
    url ? h('div', { class: 'spec' }, extLink(url, `spec: ${sec?.title ?? section}`)) : null,
  );
}

function evidenceChips(f: ReportFinding, show: (e: EvidenceTarget) => void): Child {
  const trace = f.evidence.trace ?? [];
  const obs = f.evidence.observations ?? [];
  if (!trace.length && !obs.length) return h('div', { class: 'evidence none' }, 'no wire evidence');
  return h(
    'div',
    { class: 'evidence' },
    'evidence: ',
    ...trace.map((seq) =>
      h(
        'button',
        {
          type: 'button',
          class: 'chip seq',
          'data-seq': seq,
          onclick: (ev: Event) => {
            ev.stopPropagation();
            show({ trace: [seq], observations: [] });
          },
        },
        `#${seq}`,
      ),
    ),
    ...obs.map((line) =>
      h(
        'button',
        {
          type: 'button',
          class: 'chip obs',
          title: 'observations.jsonl line (0-based)',
          onclick: (ev: Event) => {
            ev.stopPropagation();
            show({ trace: [], observations: [line] });
          },
        },
        `observation ${line}`,
      ),
    ),
  );
}

/** `firstOfReason`: the first card of its baseline entry shows the reason open; the others fold it. */
export function findingCard(f: ReportFinding, index: number, show: (e: EvidenceTarget) => void, firstOfReason = true): HTMLElement {
  const target = { trace: f.evidence.trace ?? [], observations: f.evidence.observations ?? [] };
  const card = h(
    'div',
    {
      class: `finding st-${f.status}`,
      id: `finding-${index}`,
      'data-finding': f.id,
      'data-status': f.status,
      tabindex: 0,
      title: 'show the evidence in the diagram',
    },
    h(
      'div',
      { class: 'f-head' },
      h('span', { class: `badge st-${f.status}` }, STATUS_TEXT[f.status]),
      h('code', { class: 'f-id' }, f.id),
      h('span', { class: `badge level l-${f.level}` }, f.level),
      h('span', { class: `badge blame b-${f.blame}`, title: `blamed side: ${f.blame}` }, f.blame),
    ),
    h('div', { class: 'f-msg' }, f.message),
    requirementBlock(f),
    f.reason
      ? h(
          'details',
          { class: 'reason', open: firstOfReason },
          h('summary', null, h('strong', null, 'known defect'), firstOfReason ? '' : ' (the same as above)'),
          f.reason,
        )
      : null,
    f.upstream?.length ? h('div', { class: 'upstream' }, 'upstream: ', ...f.upstream.flatMap((u, i) => [i ? ', ' : '', extLink(u)])) : null,
    evidenceChips(f, show),
  );
  const activate = () => {
    for (const el of document.querySelectorAll('.finding.active')) el.classList.remove('active');
    card.classList.add('active');
    show(target);
  };
  card.addEventListener('click', activate);
  card.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') activate();
  });
  return card;
}

function expectationItem(e: ExpectationResult, show: (e: EvidenceTarget) => void): HTMLElement {
  return h(
    'details',
    { class: `expectation ${e.ok ? 'ok' : 'bad'}` },
    h(
      'summary',
      null,
      h('span', { class: 'ok-mark' }, e.ok ? '✓' : '✗'),
      ' ',
      h('code', null, e.id),
      e.ok ? null : h('span', { class: `badge blame b-${e.blame}` }, e.blame),
      e.message && !e.ok ? h('div', { class: 'f-msg' }, e.message) : null,
    ),
    h('div', { class: 'kv' }, h('span', { class: 'k' }, 'expected'), jsonView(e.expected)),
    'actual' in e ? h('div', { class: 'kv' }, h('span', { class: 'k' }, 'actual'), jsonView(e.actual)) : null,
    evidenceChips(
      { id: e.id, level: 'MUST', blame: e.blame, message: '', evidence: e.evidence, status: e.ok ? 'info' : 'unexpected' },
      show,
    ),
  );
}

export function verdictPanel(data: CellData, show: (e: EvidenceTarget) => void): HTMLElement {
  const failures = data.findings.filter((f) => f.status === 'unexpected' || f.status === 'known');
  const warnings = data.findings.filter((f) => f.status === 'warning');
  const info = data.findings.filter((f) => f.status === 'info');
  const seenReasons = new Set<string>();
  const cards = (fs: ReportFinding[]) =>
    fs.map((f) => {
      const first = f.reason === undefined || !seenReasons.has(f.reason);
      if (f.reason !== undefined) seenReasons.add(f.reason);
      return findingCard(f, data.findings.indexOf(f), show, first);
    });
  const checks = [...data.checks].sort((a, b) => order(a.outcome) - order(b.outcome));
  return h(
    'div',
    { class: 'verdict', id: 'verdict' },
    data.unsupported.length
      ? h(
          'div',
          { class: 'unsupported' },
          h('h3', null, 'Unsupported'),
          ...data.unsupported.map((u) => h('p', null, `${u.side} ${u.impl} cannot ${u.feature}: ${u.reason}`)),
        )
      : null,
    data.stale.length
      ? h(
          'div',
          { class: 'stale' },
          h('h3', null, 'Stale baseline entries'),
          ...data.stale.map((s) =>
            h('p', null, h('code', null, s.ids.join(', ')), ' listed, but none failed in any cell the entry covers: ', s.reason),
          ),
        )
      : null,
    h('h3', null, `Failures (${failures.length})`),
    failures.length
      ? cards(failures)
      : h('p', { class: 'empty' }, data.ran ? 'none: every expectation and MUST-level check held' : 'the cell did not run'),
    warnings.length ? [h('h3', null, `Warnings (${warnings.length})`), cards(warnings)] : null,
    info.length ? h('details', null, h('summary', null, `Information (MAY-level, ${info.length})`), ...cards(info)) : null,
    data.expectations.length
      ? h(
          'details',
          { class: 'expectations', open: data.expectations.some((e) => !e.ok) },
          h('summary', null, `Expectations (${data.expectations.filter((e) => e.ok).length}/${data.expectations.length} held)`),
          ...data.expectations.map((e) => expectationItem(e, show)),
        )
      : null,
    checks.length
      ? h(
          'details',
          { class: 'checks' },
          h(
            'summary',
            null,
            `Spec checks (${count(checks, 'fail')} failed, ${count(checks, 'pass')} passed, ${count(checks, 'n/a')} not applicable)`,
          ),
          h('ul', null, ...checks.map((c) => checkItem(c))),
        )
      : null,
  );
}

const order = (o: string) => (o === 'fail' ? 0 : o === 'pass' ? 1 : 2);
const count = (cs: { outcome: string }[], o: string) => cs.filter((c) => c.outcome === o).length;

function checkItem(c: { id: string; outcome: string }): HTMLElement {
  const def = catalogue().checks[c.id];
  const sec = def ? catalogue().sections[def.section] : undefined;
  return h(
    'li',
    { class: `check c-${c.outcome === 'n/a' ? 'na' : c.outcome}`, title: def?.requirement ?? '' },
    h('span', { class: 'ok-mark' }, c.outcome === 'pass' ? '✓' : c.outcome === 'fail' ? '✗' : '–'),
    ' ',
    h('code', null, `check:${c.id}`),
    def ? h('span', { class: `badge level l-${def.level}` }, def.level) : null,
    sec ? [' ', extLink(sec.url, sec.title)] : null,
  );
}
