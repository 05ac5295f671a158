/**
 * A diff as text for people (coloured when the output is a terminal) and as JSON for tools.
 * One line per difference, `where → path: what`, with the trace seq on each side; the first
 * divergence is marked ▶; a summary line counts them.
 */
import type { Difference, DiffResult } from './diff.js';

export interface SideNames {
  a: string;
  b: string;
}

export interface Style {
  red: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  bold: (s: string) => string;
  dim: (s: string) => string;
}

const ansi = (code: number, reset: number) => (s: string) => `\u001b[${code}m${s}\u001b[${reset}m`;
export const COLOURS: Style = { red: ansi(31, 39), green: ansi(32, 39), yellow: ansi(33, 39), bold: ansi(1, 22), dim: ansi(2, 22) };
export const PLAIN: Style = { red: (s) => s, green: (s) => s, yellow: (s) => s, bold: (s) => s, dim: (s) => s };

/** Colours when stdout is a terminal and NO_COLOR is not set. */
export function styleFor(stream: NodeJS.WriteStream = process.stdout): Style {
  return stream.isTTY && !process.env.NO_COLOR ? COLOURS : PLAIN;
}

export function show(v: unknown, max = 100): string {
  const text = v === undefined ? 'nothing' : JSON.stringify(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `tasks/get #2 → result.ttl: missing on B (A: null)` */
export function differenceText(d: Difference, names: SideNames, style: Style = PLAIN): string {
  const at = d.path ? `${d.where} → ${d.path}` : d.where;
  switch (d.kind) {
    case 'changed':
      return `${at}: ${style.red(show(d.a))} on ${names.a}, ${style.green(show(d.b))} on ${names.b}`;
    case 'missing':
      return `${at}: ${style.red(`missing on ${names.b}`)} (${names.a}: ${show(d.a)})`;
    case 'extra':
      return `${at}: ${style.green(`extra on ${names.b}`)} (${show(d.b)})`;
    case 'sequence':
      return `${at}: ${style.red(sequence(d.a))} on ${names.a}, ${style.green(sequence(d.b))} on ${names.b}`;
    case 'order':
      return `${style.yellow('order')}: ${d.where} comes ${d.note?.replace(/ on A/, ` on ${names.a}`).replace(/ on B$/, ` on ${names.b}`)}`;
  }
}

function sequence(v: unknown): string {
  return Array.isArray(v) ? (v.length ? v.join(' → ') : '(none)') : show(v);
}

function seqText(d: Difference, names: SideNames): string {
  const one = (name: string, seq: number | undefined, step: number | undefined) =>
    seq !== undefined ? `${name} seq ${seq}` : step !== undefined ? `${name} step ${step + 1}` : '';
  return [one(names.a, d.seq.a, d.step.a), one(names.b, d.seq.b, d.step.b)].filter(Boolean).join(' · ');
}

export function summaryText(result: DiffResult, names: SideNames): string {
  if (result.equivalent) return 'no difference';
  const c = result.counts;
  const parts = [
    c.changed && `${c.changed} changed`,
    c.missing && `${c.missing} missing on ${names.b}`,
    c.extra && `${c.extra} extra on ${names.b}`,
    c.sequence && `${c.sequence} status sequence${c.sequence > 1 ? 's' : ''}`,
    c.order && `${c.order} order`,
  ].filter(Boolean);
  const first = result.differences.find((d) => d.first);
  const n = result.differences.length;
  return `${n} difference${n > 1 ? 's' : ''} (${parts.join(', ')})${first ? `; first: ${first.path ? `${first.where} → ${first.path}` : first.where}` : ''}`;
}

/** The whole diff: headers naming both sides, handshake and conversation differences, summary. */
export function diffText(result: DiffResult, heads: { a: string; b: string }, names: SideNames, style: Style = PLAIN): string[] {
  const lines = [`${style.red(`--- ${names.a}`)}  ${heads.a}`, `${style.green(`+++ ${names.b}`)}  ${heads.b}`];
  if (!result.httpCompared)
    lines.push(style.dim(`(transports differ: ${result.transports.a} vs ${result.transports.b}; the HTTP context is not compared)`));
  const block = (title: string, ds: Difference[]) => {
    if (!ds.length) return;
    lines.push(style.dim(title));
    for (const d of ds) {
      const mark = d.first ? style.bold('▶ ') : '  ';
      const text = differenceText(d, names, style);
      lines.push(`${mark}${d.first ? style.bold(text) : text}  ${style.dim(`[${seqText(d, names)}]`)}`);
    }
  };
  block(
    'handshake (initialize: implementation names, versions, capabilities)',
    result.differences.filter((d) => d.phase === 'handshake'),
  );
  block(
    'conversation',
    result.differences.filter((d) => d.phase === 'conversation'),
  );
  lines.push(summaryText(result, names));
  return lines;
}

/** The first divergence on one line (for compare and golden check). */
export function firstDivergence(result: DiffResult, names: SideNames): string | undefined {
  const first = result.differences.find((d) => d.first);
  return first ? `${differenceText(first, names)} [${seqText(first, names)}]` : undefined;
}
