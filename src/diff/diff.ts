/**
 * The semantic diff of two normalised conversations: units aligned per group (units.ts), values
 * compared by path (values.ts), status sequences compared as sequences, and order compared where
 * a stream binds it (order.ts). Each difference names where it is (`tasks/get #2`), the path
 * inside the message, both values and the trace seq on each side; the first divergence is marked.
 */
import { isObject } from '../judge/trace-index.js';
import { align } from './align.js';
import { type Conversation, kindOf, type Step } from './conversation.js';
import { movedSteps } from './order.js';
import { DeliveryWindow, explainedAbsence, isSampledTask, isSamplingGap, isTeardownExit, isUnopenedGet } from './races.js';
import { type Grouped, groupUnits, STATUS_METHODS, type Unit } from './units.js';
import { compareValues, formatPath } from './values.js';

export type DifferenceKind = 'changed' | 'missing' | 'extra' | 'sequence' | 'order';

export interface Difference {
  kind: DifferenceKind;
  /** The unit: `tasks/get #2`, `notifications/tasks/status (task2)`. */
  where: string;
  /** Inside the message (`result.ttl`); for a sequence, `status sequence`. */
  path?: string;
  /** The values on each side (absent when missing there). */
  a?: unknown;
  b?: unknown;
  /** Trace event numbers (absent for a golden, which has none). */
  seq: { a?: number; b?: number };
  /** Step index in each normalised conversation. */
  step: { a?: number; b?: number };
  /** The initialize handshake always differs across implementations; it is reported apart. */
  phase: 'handshake' | 'conversation';
  first?: boolean;
  /** For an order difference: what it moved across. */
  note?: string;
}

export interface DiffResult {
  equivalent: boolean;
  differences: Difference[];
  counts: Record<DifferenceKind, number>;
  transports: { a: 'stdio' | 'http'; b: 'stdio' | 'http' };
  /** False when the transports differ: the HTTP context has no counterpart and is not compared. */
  httpCompared: boolean;
}

export function diffConversations(convA: Conversation, convB: Conversation): DiffResult {
  const httpCompared = convA.transport === convB.transport;
  const a = httpCompared ? convA : withoutTransport(convA);
  const b = httpCompared ? convB : withoutTransport(convB);
  const ga = groupUnits(a);
  const gb = groupUnits(b);
  const ctx = context(a, b, ga, gb);
  for (const key of new Set([...ga.groups.keys(), ...gb.groups.keys()]))
    compareGroup(ctx, ga.groups.get(key) ?? [], gb.groups.get(key) ?? []);
  orderDifferences(ctx, ga);
  return finish(ctx.diffs, a, b, ctx.pairs, httpCompared);
}

/** What comparing two conversations shares: names for units, the differences so far, the aligned steps. */
interface Context {
  a: Conversation;
  b: Conversation;
  label: (u: Unit) => string;
  where: (u: Unit) => string;
  diffs: Difference[];
  /** Aligned steps, A index → B index (for order and for placing B-only differences). */
  pairs: Map<number, number>;
  add: (d: Omit<Difference, 'seq'>) => void;
  /** Whether a unit missing on the other side is explained by a known race (races.ts). */
  explainedA: (u: Unit) => boolean;
  explainedB: (u: Unit) => boolean;
  /** Whether two aligned units are both the server's exit at teardown (races.ts, race 5). */
  bothTeardown: (ua: Unit, ub: Unit) => boolean;
}

function context(a: Conversation, b: Conversation, ga: Grouped, gb: Grouped): Context {
  const multiTask = new Set([...ga.tasks, ...gb.tasks]).size > 1;
  const bothSenders = new Set<string>();
  for (const g of [ga, gb]) for (const [m, s] of g.senders) if (s.size > 1) bothSenders.add(m);
  const label = (u: Unit) =>
    `${u.label}${u.method && bothSenders.has(u.method) ? ` from ${u.from}` : ''}${multiTask && u.scope ? ` (${u.scope})` : ''}`;
  const seqOf = (conv: Conversation, i: number | undefined) => (i === undefined ? undefined : conv.steps[i]?.seq);
  const diffs: Difference[] = [];
  const windowA = new DeliveryWindow(a);
  const windowB = new DeliveryWindow(b);
  return {
    a,
    b,
    label,
    where: (u) => `${label(u)} #${u.n}`,
    diffs,
    pairs: new Map(),
    add: (d) => diffs.push({ ...d, seq: { a: seqOf(a, d.step.a), b: seqOf(b, d.step.b) } }),
    explainedA: (u) => explainedAbsence(u, windowA, windowB, a) !== undefined,
    explainedB: (u) => explainedAbsence(u, windowB, windowA, b) !== undefined,
    bothTeardown: (ua, ub) => isTeardownExit(a, windowA, ua.step) && isTeardownExit(b, windowB, ub.step),
  };
}

const phaseOf = (u: Unit): Difference['phase'] => (u.handshake ? 'handshake' : 'conversation');

/** Two aligned units: their values, path by path. */
function comparePair(ctx: Context, ua: Unit, ub: Unit): void {
  ctx.pairs.set(ua.step, ub.step);
  if (ua.response !== undefined && ub.response !== undefined) ctx.pairs.set(ua.response, ub.response);
  if (ctx.bothTeardown(ua, ub) || isUnopenedGet(ctx.a.steps[ua.step]!, ctx.b.steps[ub.step]!)) return;
  const [va, vb] = ua.abandoned && ub.abandoned ? abandonedValues(ua, ub) : [ua.value, ub.value];
  let changes = compareValues(va, vb);
  if (ua.method === 'tasks/list') changes = withoutSampledTasks(changes, ua, ub);
  for (const c of changes) {
    const inResponse = c.path[0] === 'response';
    ctx.add({
      kind: c.kind,
      where: ctx.where(ua),
      path: formatPath(c.path),
      ...(c.a !== undefined ? { a: c.a } : {}),
      ...(c.b !== undefined ? { b: c.b } : {}),
      step: inResponse ? { a: ua.response ?? ua.step, b: ub.response ?? ub.step } : { a: ua.step, b: ub.step },
      phase: phaseOf(ua),
    });
  }
}

/**
 * One group on both sides: aligned by signature; between two aligned units, the units left on
 * either side (a gap) are paired by position and compared, the rest are missing or extra. In the
 * status groups a gap that no race explains makes the two status sequences one difference.
 */
function compareGroup(ctx: Context, ua: Unit[], ub: Unit[]): void {
  const any = (ua[0] ?? ub[0])!;
  const method = any.method ?? '';
  const statusGroup = STATUS_METHODS.has(method);
  let firstGap: { a?: number; b?: number } | undefined;
  const closeGap = (gapA: Unit[], gapB: Unit[]) => {
    const n = Math.min(gapA.length, gapB.length);
    if (statusGroup) {
      for (let i = 0; i < n; i++) ctx.pairs.set(gapA[i]!.step, gapB[i]!.step);
      const sampled = method === 'tasks/get' && isSamplingGap(gapA, gapB);
      if (!sampled && (gapA.some((u) => !ctx.explainedA(u)) || gapB.some((u) => !ctx.explainedB(u))))
        firstGap ??= { ...(gapA[0] ? { a: gapA[0].step } : {}), ...(gapB[0] ? { b: gapB[0].step } : {}) };
      return;
    }
    for (let i = 0; i < n; i++) comparePair(ctx, gapA[i]!, gapB[i]!);
    for (const u of gapA.slice(n).filter((x) => !ctx.explainedA(x)))
      ctx.add({ kind: 'missing', where: ctx.where(u), a: summary(ctx.a.steps[u.step]!), step: { a: u.step }, phase: phaseOf(u) });
    for (const u of gapB.slice(n).filter((x) => !ctx.explainedB(x)))
      ctx.add({ kind: 'extra', where: ctx.where(u), b: summary(ctx.b.steps[u.step]!), step: { b: u.step }, phase: phaseOf(u) });
  };
  let gapA: Unit[] = [];
  let gapB: Unit[] = [];
  const ops = align(
    ua.map((u) => u.sig),
    ub.map((u) => u.sig),
  );
  for (const op of ops) {
    if (op.a !== undefined && op.b !== undefined) {
      closeGap(gapA, gapB);
      gapA = [];
      gapB = [];
      comparePair(ctx, ua[op.a]!, ub[op.b]!);
    } else {
      if (op.a !== undefined) gapA.push(ua[op.a]!);
      if (op.b !== undefined) gapB.push(ub[op.b]!);
    }
  }
  closeGap(gapA, gapB);
  // A different sequence of statuses is one difference, at its first unexplained gap.
  if (firstGap)
    ctx.add({
      kind: 'sequence',
      where: ctx.label(any),
      path: 'status sequence',
      a: ua.map(statusText),
      b: ub.map(statusText),
      step: firstGap,
      phase: phaseOf(any),
    });
}

function orderDifferences(ctx: Context, ga: Grouped): void {
  const unitAt = new Map<number, Unit>();
  for (const u of ga.units) {
    unitAt.set(u.step, u);
    if (u.response !== undefined) unitAt.set(u.response, u);
  }
  const desc = (i: number) => {
    const u = unitAt.get(i);
    return !u ? `step ${i}` : u.response === i ? `the response to ${ctx.where(u)}` : ctx.where(u);
  };
  for (const m of movedSteps(ctx.a, ctx.b, ctx.pairs)) {
    ctx.add({
      kind: 'order',
      where: desc(m.a),
      note: m.before ? `before ${desc(m.pivot.a)} on A, after it on B` : `after ${desc(m.pivot.a)} on A, before it on B`,
      step: { a: m.a, b: m.b },
      phase: 'conversation',
    });
  }
}

/** Sorts by position in the conversation (A's, with B-only steps placed after their B predecessor) and marks the first. */
function finish(diffs: Difference[], a: Conversation, b: Conversation, pairs: Map<number, number>, httpCompared: boolean): DiffResult {
  const bToA = new Array<number>(b.steps.length).fill(-1);
  for (const [ia, ib] of pairs) bToA[ib] = ia;
  let last = -1;
  const placed = bToA.map((ia, ib) => {
    if (ia >= 0) last = ia;
    return ia >= 0 ? ia : last + 0.5 + ib / (b.steps.length + 1) / 2;
  });
  const pos = (d: Difference) => d.step.a ?? (d.step.b !== undefined ? placed[d.step.b]! : Number.MAX_SAFE_INTEGER);
  diffs.sort((x, y) => pos(x) - pos(y) || (x.step.b ?? 0) - (y.step.b ?? 0));
  const first = diffs.find((d) => d.phase === 'conversation') ?? diffs[0];
  if (first) first.first = true;
  const counts: Record<DifferenceKind, number> = { changed: 0, missing: 0, extra: 0, sequence: 0, order: 0 };
  for (const d of diffs) counts[d.kind]++;
  return { equivalent: diffs.length === 0, differences: diffs, counts, transports: { a: a.transport, b: b.transport }, httpCompared };
}

/**
 * Race 6 (races.ts): how a request both sides abandoned ended (answered, its stream cut, or
 * neither) is timing; its response is compared only when both sides have one.
 */
function abandonedValues(ua: Unit, ub: Unit): [Record<string, unknown>, Record<string, unknown>] {
  const both = ua.value.response !== undefined && ub.value.response !== undefined;
  return [withoutEnd(ua.value, both), withoutEnd(ub.value, both)];
}

function withoutEnd(value: Record<string, unknown>, keepResponse: boolean): Record<string, unknown> {
  const { response, via, ...rest } = value;
  const out: Record<string, unknown> = { ...rest };
  if (isObject(via)) {
    const { cut: _cut, ...kept } = via;
    out.via = kept;
  } else if (via !== undefined) out.via = via;
  if (keepResponse) out.response = response;
  return out;
}

/** Drops the changes inside a listed task that one side read as `working` (poll sampling, races.ts). */
function withoutSampledTasks(changes: ReturnType<typeof compareValues>, ua: Unit, ub: Unit): ReturnType<typeof compareValues> {
  const tasks = (u: Unit) => {
    const r = u.value.response as { result?: { tasks?: unknown[] } } | undefined;
    return Array.isArray(r?.result?.tasks) ? r.result.tasks : [];
  };
  const ta = tasks(ua);
  const tb = tasks(ub);
  return changes.filter((c) => {
    const [r, res, list, i] = c.path;
    if (r !== 'response' || res !== 'result' || list !== 'tasks' || typeof i !== 'number' || c.path.length < 5) return true;
    return !isSampledTask(ta[i], tb[i]);
  });
}

function statusText(u: Unit): string {
  return u.repeats > 1 ? `${u.sig} ×${u.repeats}` : u.sig;
}

/** A step as shown when it is missing on one side: its kind and its compared fields. */
function summary(step: Step): unknown {
  const { seq: _seq, ...rest } = step;
  return rest;
}

/**
 * Across transports the HTTP context has no counterpart, nor do the stdio tap's process events
 * (over HTTP the harness starts the server itself): compare the messages alone.
 */
function withoutTransport(conv: Conversation): Conversation {
  const steps = conv.steps
    .filter((s) => kindOf(s) !== 'http' && kindOf(s) !== 'process')
    .map((s) => {
      const { via: _via, ...rest } = s;
      return rest;
    });
  return { transport: conv.transport, steps };
}
