/** Pretty JSON with its tokens coloured (text nodes only); very large values are shown plain. */
import { h } from './dom.js';

const TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
const PLAIN_ABOVE = 300_000;

export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

export function jsonView(value: unknown): HTMLPreElement {
  const text = jsonText(value);
  const pre = h('pre', { class: 'json' });
  if (text.length > PLAIN_ABOVE) {
    pre.textContent = text;
    return pre;
  }
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    if (m.index > last) pre.appendChild(document.createTextNode(text.slice(last, m.index)));
    const cls = m[1] ? (m[2] ? 'k' : 's') : m[3] ? 'b' : 'n';
    pre.appendChild(h('span', { class: `j-${cls}` }, m[1] ?? m[0]));
    if (m[2]) pre.appendChild(document.createTextNode(m[2]));
    last = m.index + m[0].length;
  }
  if (last < text.length) pre.appendChild(document.createTextNode(text.slice(last)));
  return pre;
}
