/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Building elements without innerHTML: everything recorded (messages, stderr, reasons) becomes
 * text nodes, so nothing in a trace can inject markup into the report.
 */

export type Child = Node | string | number | null | undefined | false | Child[];
type Attr = string | number | boolean | undefined | null | ((ev: Event) => void);

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Record<string, Attr> | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else if (name === 'class') el.className = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces an element's children (nulls and falses skipped). */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** Reads the page's embedded data: gzip-compressed JSON in base64 (see ../page.ts). */
export async function pageData<T>(): Promise<T> {
  const el = document.getElementById('report-data');
  if (!el?.textContent) throw new Error('this page has no embedded report data');
  const bin = atob(el.textContent.trim());
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const text = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
  return JSON.parse(text) as T;
}

/** A button that copies `text`, saying so for a moment. */
export function copyButton(text: string, label = 'copy'): HTMLButtonElement {
  const btn = h('button', { class: 'copy', type: 'button', title: 'copy to the clipboard' }, label);
  btn.addEventListener('click', () => {
    const done = (ok: boolean) => {
      btn.textContent = ok ? 'copied' : 'select and copy';
      setTimeout(() => {
        btn.textContent = label;
      }, 1500);
    };
    // The Clipboard API needs a secure context; file:// pages get the older path when it is missing.
    if (navigator.clipboard?.writeText)
      navigator.clipboard.writeText(text).then(
        () => done(true),
        () => done(legacyCopy(text)),
      );
    else done(legacyCopy(text));
  });
  return btn;
}

function legacyCopy(text: string): boolean {
  const area = h('textarea', { class: 'offscreen' }, text);
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

export function link(href: string, text: Child, attrs: Record<string, Attr> = {}): HTMLAnchorElement {
  return h('a', { href, ...attrs }, text);
}

/** An external link (spec, upstream issue): opens in a new tab. */
export function extLink(href: string, text: Child = href): HTMLAnchorElement {
  return h('a', { href, target: '_blank', rel: 'noopener noreferrer', class: 'ext' }, text);
}

export function ms(n: number): string {
  return n < 1000 ? `${n.toFixed(0)} ms` : `${(n / 1000).toFixed(2)} s`;
}
