/**
 * The sequence diagram, drawn with HTML and CSS: a lane for the client, one for the server, and
 * between them one track per concurrently open HTTP exchange (a POST's body and response, its SSE
 * stream, the GET stream). Rows have a fixed height and only those in view (plus a margin) are in
 * the DOM, so a trace of any length opens and scrolls at the same speed.
 */
import { type Diagram, type Row, relTime, STREAM_TEXT } from './diagram-model.js';
import { h } from './dom.js';

export const ROW_H = 26;
const TRACK_W = 22;
const LANE_PAD = 16;
const OVERSCAN = 20;

export interface DiagramOptions {
  transport: string;
  clientName: string;
  serverName: string;
  blamed: Set<string>;
  onSelect(row: Row): void;
}

export class DiagramView {
  readonly el: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly windowEl: HTMLElement;
  private visible: number[];
  private readonly highlighted = new Set<number>();
  private selected: number | undefined;
  private rendered = '';
  private readonly lanesWidth: number;
  private showHttp = true;
  private showSteps = true;
  private query = '';

  constructor(
    private readonly d: Diagram,
    private readonly opts: DiagramOptions,
  ) {
    this.lanesWidth = Math.max(230, 2 * LANE_PAD + 90 + d.tracks * TRACK_W);
    this.visible = d.rows.map((r) => r.i);
    this.spacer = h('div', { class: 'spacer' });
    this.windowEl = h('div', { class: 'rows' });
    this.scroller = h('div', { class: 'scroller', id: 'diagram-scroller', tabindex: 0 }, this.spacer, this.windowEl);
    this.scroller.addEventListener('scroll', () => this.schedule());
    this.scroller.addEventListener('keydown', (ev) => this.onKey(ev));
    window.addEventListener('resize', () => this.schedule());
    const blamed = (side: string) => (opts.blamed.has(side) ? ' blamed' : '');
    const head = h(
      'div',
      { class: 'lane-head', style: `--lanes:${this.lanesWidth}px` },
      h('span', { class: 'c-seq' }, '#'),
      h('span', { class: 'c-time' }, 'time'),
      h(
        'span',
        { class: 'c-lanes' },
        h(
          'span',
          { class: `lane-name client${blamed('client')}`, title: opts.blamed.has('client') ? 'failures blame the client' : '' },
          `client ${opts.clientName}`,
        ),
        h(
          'span',
          { class: `lane-name server${blamed('server')}`, title: opts.blamed.has('server') ? 'failures blame the server' : '' },
          `server ${opts.serverName}`,
        ),
      ),
      h(
        'span',
        { class: 'c-label' },
        opts.transport === 'http' ? `message · ${d.tracks} HTTP stream track${d.tracks === 1 ? '' : 's'}` : 'message',
      ),
    );
    this.el = h(
      'div',
      { class: `diagram${[...opts.blamed].map((b) => ` blame-${b}`).join('')}`, style: `--lanes:${this.lanesWidth}px` },
      head,
      this.scroller,
    );
    this.layout();
  }

  /** Rows in view order after the toggles and the search. */
  private layout(): void {
    const q = this.query.toLowerCase();
    this.visible = this.d.rows.filter((r) => this.highlighted.has(r.i) || r.i === this.selected || this.keeps(r, q)).map((r) => r.i);
    this.spacer.style.height = `${this.visible.length * ROW_H}px`;
    this.rendered = '';
    this.render();
  }

  private keeps(r: Row, q: string): boolean {
    if (!this.showHttp && r.kind === 'http') return false;
    if (!this.showSteps && r.kind === 'step') return false;
    if (!q) return true;
    return `${r.label}\n${r.summary}\n${r.title}\n${r.event ? JSON.stringify(r.event) : ''}`.toLowerCase().includes(q);
  }

  setFilters(f: { http?: boolean; steps?: boolean; query?: string }): void {
    if (f.http !== undefined) this.showHttp = f.http;
    if (f.steps !== undefined) this.showSteps = f.steps;
    if (f.query !== undefined) this.query = f.query;
    this.layout();
  }

  /** Renders again for the current size (after the view is put in the page). */
  refresh(): void {
    this.rendered = '';
    this.render();
  }

  get shownCount(): number {
    return this.visible.length;
  }

  private frame = 0;
  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const top = this.scroller.scrollTop;
    const height = this.scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN);
    const last = Math.min(this.visible.length, Math.ceil((top + height) / ROW_H) + OVERSCAN);
    const key = `${first}:${last}:${this.visible.length}`;
    if (key === this.rendered) return;
    this.rendered = key;
    const out: HTMLElement[] = [];
    for (let pos = first; pos < last; pos++) out.push(this.rowEl(this.d.rows[this.visible[pos]!]!, pos));
    this.windowEl.replaceChildren(...out);
  }

  private trackX(track: number): number {
    const mid = this.lanesWidth / 2;
    return mid - ((this.d.tracks - 1) * TRACK_W) / 2 + track * TRACK_W;
  }

  private rowEl(r: Row, pos: number): HTMLElement {
    const cls = ['row', `k-${r.kind}`];
    if (r.dir) cls.push(r.dir);
    if (r.sideChannel) cls.push('side');
    if (r.error) cls.push('error');
    if (this.highlighted.has(r.i)) cls.push('hl');
    if (r.i === this.selected) cls.push('sel');
    if (this.selected !== undefined && this.d.rows[this.selected]?.partner === r.i) cls.push('partner');
    const el = h(
      'div',
      {
        class: cls.join(' '),
        style: `top:${pos * ROW_H}px`,
        'data-row': r.i,
        'data-seq': r.seq,
        'data-kind': r.kind,
        'data-dir': r.dir,
        'data-exchange': r.exchange,
        'data-stream': r.stream,
        'data-side-channel': r.sideChannel ? 'true' : undefined,
        title: r.title || undefined,
      },
      h('span', { class: 'c-seq' }, r.seq !== undefined ? `#${r.seq}` : ''),
      h('span', { class: 'c-time' }, relTime(r.t)),
      this.lanes(r),
      h(
        'span',
        { class: 'c-label' },
        h('span', { class: 'label' }, r.label),
        r.relatedTask !== undefined ? h('span', { class: 'tag rt', title: `related-task _meta: ${r.relatedTask}` }, 'related-task') : null,
        r.sideChannel ? h('span', { class: 'tag sc', title: 'task side-channel message' }, 'side channel') : null,
        r.latencyMs !== undefined ? h('span', { class: 'lat' }, ` ${r.latencyMs.toFixed(1)} ms`) : null,
        ' ',
        h('span', { class: 'summary' }, r.summary),
      ),
    );
    el.addEventListener('click', () => this.select(r.i, false));
    return el;
  }

  private lanes(r: Row): HTMLElement {
    const box = h('span', { class: 'c-lanes' });
    const tracks = this.d.tracks;
    for (let k = 0; k < tracks; k++) {
      const id = this.d.occupancy[r.i * tracks + k]!;
      if (id < 0) continue;
      const x = this.d.exchanges.get(id)!;
      const part = x.first === r.i && x.last === r.i ? 'only' : x.first === r.i ? 'start' : x.last === r.i ? 'end' : 'mid';
      box.appendChild(
        h('span', { class: `seg x-${x.kind} ${part}`, style: `left:${this.trackX(k) - 2}px`, title: `${x.label} (${x.kind})` }),
      );
    }
    const clientX = LANE_PAD;
    const serverX = this.lanesWidth - LANE_PAD;
    if (r.lane && r.kind !== 'fault') {
      const x = r.lane === 'client' ? clientX : r.lane === 'server' ? serverX : this.lanesWidth / 2;
      box.appendChild(h('span', { class: `marker m-${r.kind}`, style: `left:${x - 6}px` }));
    } else if (r.kind === 'fault') {
      box.appendChild(h('span', { class: 'marker m-fault', style: `left:${this.lanesWidth / 2 - 8}px` }, '⚡'));
    } else if (r.dir) {
      const onTrack = r.track !== undefined ? this.trackX(r.track) : undefined;
      const streamCap = r.kind === 'http' && (r.event as { event?: string })?.event?.startsWith('stream-');
      if (streamCap && onTrack !== undefined) {
        box.appendChild(h('span', { class: `cap ${(r.event as { event: string }).event}`, style: `left:${onTrack - 5}px` }));
      } else {
        box.appendChild(h('span', { class: `arrow ${r.dir}`, style: `left:${clientX}px;width:${serverX - clientX}px` }));
        if (onTrack !== undefined)
          box.appendChild(
            h('span', {
              class: `dot s-${r.stream ?? 'none'}`,
              style: `left:${onTrack - 4}px`,
              title: r.stream ? STREAM_TEXT[r.stream] : '',
            }),
          );
      }
    }
    return box;
  }

  select(i: number, scroll: boolean): void {
    this.selected = i;
    if (!this.visible.includes(i)) this.layout();
    if (scroll) this.scrollTo(i);
    this.rendered = '';
    this.render();
    this.opts.onSelect(this.d.rows[i]!);
  }

  /** Marks rows (a finding's evidence), scrolls to the first and selects it. */
  highlight(rows: number[]): void {
    this.highlighted.clear();
    for (const r of rows) this.highlighted.add(r);
    this.layout();
    const first = [...rows].sort((a, b) => a - b)[0];
    if (first !== undefined) this.select(first, true);
  }

  private scrollTo(i: number): void {
    const pos = this.visible.indexOf(i);
    if (pos < 0) return;
    const height = this.scroller.clientHeight || 600;
    this.scroller.scrollTop = Math.max(0, pos * ROW_H - height / 2 + ROW_H / 2);
  }

  private onKey(ev: KeyboardEvent): void {
    if (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp') return;
    ev.preventDefault();
    const pos = this.selected === undefined ? -1 : this.visible.indexOf(this.selected);
    const next = this.visible[Math.min(this.visible.length - 1, Math.max(0, pos + (ev.key === 'ArrowDown' ? 1 : -1)))];
    if (next !== undefined) this.select(next, true);
  }
}
