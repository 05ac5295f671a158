/**
 * A cell's page: what ran and how it ended, the verdict beside the sequence diagram of its
 * trace, the selected message in full, then both drivers' stderr, the scenario as run, the
 * observations and, when one was saved, the trace diff. `#seq=12,14` in the URL highlights events.
 */
import type { CellData, ImplInfo, LogText } from '../types.js';
import { outcomeLabel } from './catalogue.js';
import { buildDiagram, type Row, relTime, STREAM_TEXT, type StepInfo } from './diagram-model.js';
import { DiagramView } from './diagram-view.js';
import { diffSection } from './diff-view.js';
import { type Child, copyButton, fill, h, link, ms } from './dom.js';
import { jsonText, jsonView } from './json-view.js';
import { type EvidenceTarget, verdictPanel } from './verdict-view.js';

function implText(i: ImplInfo): string {
  const release = i.local ? `local build ${i.local}` : i.version ? `${i.sdk ?? ''} ${i.version}${i.pinned ? ' (pinned)' : ''}` : '';
  return `${i.label}${release ? ` — ${release.trim()}` : ''}`;
}

function steps(data: CellData): StepInfo[] {
  const out: StepInfo[] = [];
  data.observations.forEach((rec, line) => {
    const r = rec as Record<string, unknown>;
    if (r?.type !== 'step') return;
    const index = typeof r.index === 'number' ? r.index : -1;
    out.push({ line, record: r, name: data.stepNames[index] ?? `step ${index + 1}` });
  });
  return out;
}

/** Who the failures blame: their lanes are marked. */
function blamedSides(data: CellData): Set<string> {
  return new Set(data.findings.filter((f) => f.status === 'unexpected' || f.status === 'known').map((f) => f.blame));
}

function logBlock(title: string, id: string, log: LogText | undefined, href: string): HTMLElement {
  return h(
    'details',
    { class: 'log', id },
    h(
      'summary',
      null,
      `${title} `,
      h('span', { class: 'sub' }, log ? `${log.bytes} bytes${log.truncated ? ', cut in the middle' : ''}` : 'no file'),
      ' ',
      href ? link(href, 'open file') : null,
    ),
    log ? h('pre', { class: 'log-text' }, log.text || '(empty)') : null,
  );
}

export function renderCell(root: HTMLElement, data: CellData): void {
  document.title = `${outcomeLabel(data.outcome)} ${data.cell.id}`;
  const diagram = buildDiagram(data.trace, steps(data), data.badTraceLines, data.traceOmitted);
  const file = (rel: string) => (rel ? `../../${rel}` : '');
  const detail = h('div', { class: 'detail', id: 'detail' }, h('p', { class: 'empty' }, 'Choose a message to see it in full.'));

  const view = new DiagramView(diagram, {
    transport: data.cell.transport,
    clientName: data.cell.client,
    serverName: data.cell.server,
    blamed: blamedSides(data),
    onSelect: (row) => showDetail(row),
  });

  const citing = (seq: number | undefined) => (seq === undefined ? [] : data.findings.filter((f) => f.evidence.trace?.includes(seq)));

  function showEvidence(e: EvidenceTarget, updateUrl = true): void {
    const rows = [...e.trace.map((s) => diagram.bySeq.get(s)), ...e.observations.map((o) => diagram.byObservation.get(o))].filter(
      (r): r is number => r !== undefined,
    );
    view.highlight(rows);
    if (updateUrl && e.trace.length) history.replaceState(null, '', `#seq=${e.trace.join(',')}`);
    if (!rows.length && e.observations.length) showObservations(e.observations);
  }

  function showObservations(lines: number[]): void {
    detail.replaceChildren(
      h('h3', null, 'Observations'),
      ...lines.map((l) => h('div', null, h('div', { class: 'k' }, `observations.jsonl line ${l}`), jsonView(data.observations[l]))),
    );
  }

  function rowButton(i: number, text: string): HTMLElement {
    return h('button', { type: 'button', class: 'chip seq', onclick: () => view.select(i, true) }, text);
  }

  function showDetail(row: Row): void {
    const ev = row.event as (Record<string, unknown> & { http?: Record<string, unknown> }) | undefined;
    const http = ev?.http;
    const kv: [string, Child][] = [];
    if (row.t !== undefined) kv.push(['time', relTime(row.t)]);
    if (row.dir) kv.push(['direction', row.dir === 'c2s' ? 'client → server' : 'server → client']);
    if (ev?.transport) kv.push(['transport', String(ev.transport)]);
    if (http) {
      kv.push(['HTTP', `${String(http.method)} ${String(http.path)} · exchange #${String(http.exchange)}`]);
      if (http.stream) kv.push(['stream', STREAM_TEXT[String(http.stream)] ?? String(http.stream)]);
      if (http.status !== undefined) kv.push(['status', String(http.status)]);
      if (http.contentType) kv.push(['content type', String(http.contentType)]);
      kv.push(['session id', String(http.sessionId ?? '(none)')]);
      if (http.eventId) kv.push(['SSE event id', String(http.eventId)]);
    }
    const x = row.exchange !== undefined ? diagram.exchanges.get(row.exchange) : undefined;
    if (x && row.stream === 'post-sse' && x.method && row.partner !== x.first) {
      const opener = diagram.rows[x.first]!;
      kv.push([
        'delivered on',
        h('span', null, `the SSE stream of ${x.label} `, rowButton(opener.i, opener.seq !== undefined ? `#${opener.seq}` : 'open')),
      ]);
    }
    if (row.partner !== undefined) {
      const p = diagram.rows[row.partner]!;
      const label = row.kind === 'request' ? 'response' : 'answers';
      kv.push([
        label,
        h(
          'span',
          null,
          rowButton(p.i, p.seq !== undefined ? `#${p.seq}` : 'row'),
          row.latencyMs !== undefined
            ? ` after ${row.latencyMs.toFixed(1)} ms`
            : p.latencyMs !== undefined
              ? ` after ${p.latencyMs.toFixed(1)} ms`
              : '',
        ),
      ]);
    }
    if (row.sideChannel)
      kv.push(['side channel', 'a request for a task, delivered to the client while its tasks/result is open (or the answer to one)']);
    if (row.relatedTask !== undefined) kv.push(['related task', row.relatedTask]);
    const cites = citing(row.seq);
    const body = row.event
      ? row.event.kind === 'message'
        ? row.event.msg
        : row.event.kind === 'raw'
          ? undefined
          : row.event
      : row.observation?.record;
    fill(
      detail,
      h('h3', null, row.seq !== undefined ? `#${row.seq} ` : '', row.label),
      h('table', { class: 'kv-table' }, h('tbody', null, ...kv.map(([k, v]) => h('tr', null, h('th', null, k), h('td', null, v))))),
      cites.length
        ? h(
            'div',
            { class: 'cited' },
            'cited by: ',
            ...cites.map((f) =>
              h(
                'button',
                {
                  type: 'button',
                  class: `chip st-${f.status}`,
                  onclick: () => document.getElementById(`finding-${data.findings.indexOf(f)}`)?.scrollIntoView({ block: 'center' }),
                },
                f.id,
              ),
            ),
          )
        : null,
      row.event?.kind === 'raw'
        ? h(
            'div',
            null,
            h('div', { class: 'k' }, `raw text (${row.event.error})`),
            h('pre', { class: 'json raw' }, row.event.raw || '(empty)'),
          )
        : null,
      body !== undefined
        ? h(
            'div',
            { class: 'json-box' },
            h('div', { class: 'k' }, row.event?.kind === 'message' ? 'message ' : 'event ', copyButton(jsonText(body), 'copy JSON')),
            jsonView(body),
          )
        : null,
      row.event?.kind === 'message' ? h('details', null, h('summary', null, 'the whole trace event'), jsonView(row.event)) : null,
    );
  }

  const httpBox = h('input', { type: 'checkbox', id: 'd-http', checked: true });
  const stepBox = h('input', { type: 'checkbox', id: 'd-steps', checked: true });
  const find = h('input', { type: 'search', id: 'd-find', placeholder: 'find in messages' });
  const shown = h('span', { class: 'shown', id: 'd-shown' });
  const refreshCount = () => {
    shown.textContent = `${view.shownCount} of ${diagram.rows.length} rows`;
  };
  httpBox.addEventListener('change', () => {
    view.setFilters({ http: httpBox.checked });
    refreshCount();
  });
  stepBox.addEventListener('change', () => {
    view.setFilters({ steps: stepBox.checked });
    refreshCount();
  });
  find.addEventListener('input', () => {
    view.setFilters({ query: find.value });
    refreshCount();
  });

  const legend = h(
    'div',
    { class: 'legend diagram-legend' },
    h('span', { class: 'lg lg-request' }, 'request'),
    h('span', { class: 'lg lg-response' }, 'response'),
    h('span', { class: 'lg lg-notification' }, 'notification'),
    h('span', { class: 'lg lg-side' }, 'task side channel'),
    h('span', { class: 'lg lg-raw' }, 'raw / error'),
    h('span', { class: 'lg lg-http' }, 'HTTP event'),
    h('span', { class: 'lg lg-fault' }, 'fault'),
    data.cell.transport === 'http'
      ? [
          h('span', { class: 'lg dot-lg s-request' }, 'POST body'),
          h('span', { class: 'lg dot-lg s-json' }, 'JSON response'),
          h('span', { class: 'lg dot-lg s-post-sse' }, 'SSE on a POST'),
          h('span', { class: 'lg dot-lg s-get-sse' }, 'GET stream'),
        ]
      : null,
  );

  const header = h(
    'header',
    { class: 'top cell-top' },
    h('nav', null, link('../../index.html', `← run ${data.runId}`, { id: 'back' })),
    h('h1', null, h('span', { class: `badge big o-${data.outcome}`, id: 'outcome' }, outcomeLabel(data.outcome)), ' ', data.cell.id),
    h(
      'div',
      { class: 'run-meta' },
      `client ${implText(data.cell.clientImpl)} · server ${implText(data.cell.serverImpl)} · ${data.cell.transport} · ${ms(data.durationMs)}`,
      data.protocolVersion ? ` · protocol ${data.protocolVersion}` : '',
      data.startedAt ? ` · started ${data.startedAt}` : '',
      ` · ${data.trace.length} trace events`,
    ),
    h(
      'div',
      { class: 'command' },
      h('span', { class: 'k' }, 'rerun '),
      h('code', { id: 'rerun' }, data.rerun),
      ' ',
      copyButton(data.rerun),
    ),
    h(
      'div',
      { class: 'files' },
      'files: ',
      ...(
        [
          ['trace.jsonl', data.files.trace],
          ['observations.jsonl', data.files.observations],
          ['client.stderr.log', data.files.clientStderr],
          ['server.stderr.log', data.files.serverStderr],
          ['verdict.json', data.files.dir ? `${data.files.dir}/verdict.json` : ''],
          ['scenario.json', data.files.dir ? `${data.files.dir}/scenario.json` : ''],
        ] as const
      )
        .filter(([, rel]) => rel)
        .flatMap(([name, rel], i) => [i ? ' · ' : '', link(file(rel), name)]),
    ),
  );

  const main = h(
    'main',
    { class: 'cell-main' },
    h(
      'aside',
      { class: 'verdict-col' },
      verdictPanel(data, (e) => showEvidence(e)),
    ),
    h(
      'section',
      { class: 'diagram-col' },
      h(
        'div',
        { class: 'toolbar' },
        data.cell.transport === 'http' ? h('label', null, httpBox, ' HTTP events') : null,
        h('label', null, stepBox, ' client steps'),
        find,
        shown,
      ),
      legend,
      data.trace.length || data.badTraceLines.length
        ? view.el
        : h('p', { class: 'empty' }, data.ran ? 'The trace is empty.' : 'This cell did not run: there is no trace.'),
    ),
    h('aside', { class: 'detail-col' }, detail),
  );

  const more = h(
    'section',
    { class: 'more' },
    diffSection(data, (seq) => showEvidence({ trace: [seq], observations: [] })),
    logBlock('Client stderr', 'client-stderr', data.clientStderr, file(data.files.clientStderr)),
    logBlock('Server stderr', 'server-stderr', data.serverStderr, file(data.files.serverStderr)),
    h(
      'details',
      { class: 'scenario', id: 'scenario' },
      h('summary', null, 'Scenario as run (scenario.json)'),
      data.scenario !== undefined ? jsonView(data.scenario) : h('p', null, 'none'),
    ),
    h(
      'details',
      { class: 'observations', id: 'observations' },
      h('summary', null, `Observations (${data.observations.length} records)`),
      ...data.observations.map((o, i) => h('div', null, h('div', { class: 'k' }, `line ${i}`), jsonView(o))),
    ),
  );

  root.replaceChildren(header, main, more);
  view.refresh();
  refreshCount();

  const fromHash = () => {
    const m = /seq=([\d,]+)/.exec(location.hash);
    if (m) showEvidence({ trace: m[1]!.split(',').filter(Boolean).map(Number), observations: [] }, false);
  };
  fromHash();
  window.addEventListener('hashchange', fromHash);
}
