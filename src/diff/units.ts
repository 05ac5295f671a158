/**
 * A conversation → the units the diff aligns: a request with its response, a notification, a
 * raw event, a bodiless HTTP exchange, a process event. Units are grouped by who sent them and
 * what they are (and, for task methods, which task), so interleaving between groups never
 * matters; inside a group they keep their order and carry an alignment signature (the status,
 * for the task methods), so a different number of identical polls is not a difference but a
 * different sequence of statuses is.
 */
import { isObject } from '../judge/trace-index.js';
import { type Conversation, kindOf, POST_REF, renamePostRef, type Step } from './conversation.js';

/** Requests a client repeats until something changes: identical consecutive ones count once. */
export const POLL_METHODS = new Set(['tasks/get']);
/** Groups aligned by the task status they report; a difference there is a status sequence. */
export const STATUS_METHODS = new Set(['tasks/get', 'tasks/cancel', 'notifications/tasks/status']);
const TASK_SCOPED = new Set(['tasks/get', 'tasks/result', 'tasks/cancel', 'notifications/tasks/status']);
/** Steps of the initialize handshake: across implementations these always differ (names, versions). */
const HANDSHAKE = new Set(['initialize', 'notifications/initialized']);

export interface Unit {
  group: string;
  /** What a person calls it: `tasks/get`, `notifications/tasks/status (task2)`. */
  label: string;
  from: 'client' | 'server';
  /** The request or notification method, when the unit is one. */
  method?: string;
  /** The task a task method is about (its canonical name). */
  scope?: string;
  /** 1-based position in its group after collapsing repeated polls. */
  n: number;
  /** Compared by alignment inside the group (a status and its message, a tool name, or ""). */
  sig: string;
  /** For the status groups: the status reported (or the error). */
  status?: string;
  /** Everything compared, ids excluded (see `idReuse`). */
  value: Record<string, unknown>;
  /** Index of the unit's first step in the conversation, and of its response. */
  step: number;
  response?: number;
  handshake: boolean;
  /** How many identical polls this unit stands for. */
  repeats: number;
  /**
   * A request its sender gave up without cancelling: it sent the same method for the same task
   * again while this one was unanswered (race 6 in races.ts).
   */
  abandoned?: boolean;
}

export interface Grouped {
  groups: Map<string, Unit[]>;
  /** Units in conversation order. */
  units: Unit[];
  /** Task scopes seen (to decide whether labels must name the task). */
  tasks: Set<string>;
  /** Methods each sender used (labels name the sender when both used one). */
  senders: Map<string, Set<string>>;
  /** The canonical id of each repeated poll dropped → the id of the poll kept for it. */
  aliases: Map<string, string>;
}

export function groupUnits(conv: Conversation): Grouped {
  const steps = conv.steps;
  const units: Unit[] = [];
  const tasks = new Set<string>();
  const senders = new Map<string, Set<string>>();
  // Open requests by canonical id (c… and s… never collide), FIFO when one is reused.
  const open = new Map<string, Unit[]>();
  const firstUse = new Map<string, Unit>();
  // The request each canonical id last named, and the request each notifications/cancelled names.
  const lastUse = new Map<string, Unit>();
  const cancels = new Map<Unit, Unit>();
  // Requests still unanswered, by sender, method and task (for race 6).
  const pending = new Map<string, Unit[]>();

  steps.forEach((step, i) => {
    const kind = kindOf(step);
    if (kind === 'response' && typeof step.id === 'string') {
      const unit = open.get(step.id)?.shift();
      if (unit) {
        unit.response = i;
        unit.value.response = body(step);
        refine(unit, step);
        return;
      }
    }
    const method = step.request ?? step.notification;
    const scope = method && TASK_SCOPED.has(method) ? taskOf(step) : undefined;
    if (scope) tasks.add(scope);
    if (method) senders.set(method, (senders.get(method) ?? new Set()).add(step.from));
    const what =
      kind === 'request' || kind === 'notification'
        ? method!
        : kind === 'response'
          ? `response to ${step.response}`
          : kind === 'http'
            ? step.http!.replace(/#\d+$/, '')
            : kind === 'raw'
              ? 'raw'
              : `process ${step.process}`;
    const unit: Unit = {
      group: `${step.from} ${what}${scope ? ` ${scope}` : ''}`,
      label: what,
      from: step.from,
      ...(method ? { method } : {}),
      n: 0,
      sig: signature(step),
      ...(kind === 'notification' && method === 'notifications/tasks/status' && isObject(step.params)
        ? { status: String(step.params.status) }
        : {}),
      value: body(step),
      step: i,
      handshake: method !== undefined && HANDSHAKE.has(method),
      repeats: 1,
    };
    if (scope) unit.scope = scope;
    if (method === 'notifications/cancelled' && isObject(step.params) && typeof step.params.requestId === 'string') {
      const target = lastUse.get(step.params.requestId);
      if (target) cancels.set(unit, target);
    }
    if (kind === 'request' && scope) {
      const key = `${step.from} ${method} ${scope}`;
      const waiting = (pending.get(key) ?? []).filter((u) => u.response === undefined);
      for (const u of waiting) u.abandoned = true;
      pending.set(key, [...waiting, unit]);
    }
    if (kind === 'request' && typeof step.id === 'string') {
      lastUse.set(step.id, unit);
      // Ids are compared by structure, not by name (a renamed id shifts after one extra request):
      // a request reusing an id already used by another says so in its value.
      const earlier = firstUse.get(step.id);
      if (earlier) unit.value.idReusedFrom = earlier;
      else firstUse.set(step.id, unit);
      const queue = open.get(step.id);
      if (queue) queue.push(unit);
      else open.set(step.id, [unit]);
    }
    units.push(unit);
  });

  const { kept, keptAs } = collapsePolls(units);
  const groups = new Map<string, Unit[]>();
  for (const unit of kept) {
    const list = groups.get(unit.group) ?? [];
    list.push(unit);
    unit.n = list.length;
    groups.set(unit.group, list);
  }
  // Now that units are numbered, names that held a canonical id say which unit they mean, so one
  // extra request earlier (which shifts every later id) does not show as a difference here.
  const named = (u: Unit) => {
    const rep = keptAs.get(u) ?? u;
    return `${rep.label}${rep.scope ? ` (${rep.scope})` : ''} #${rep.n}`;
  };
  const exchange = (name: string) => {
    const m = POST_REF.exec(name);
    const unit = m ? firstUse.get(m[2]!) : undefined;
    return unit ? `POST ${m![1] === 'POST answer ' ? 'answering ' : 'of '}${named(unit)}` : name;
  };
  const withExchange = (v: unknown) => {
    if (!isObject(v) || !isObject(v.via) || typeof v.via.on !== 'string') return v;
    return { ...v, via: { ...v.via, on: exchange(v.via.on) } };
  };
  for (const target of cancels.values()) delete target.abandoned;
  for (const unit of kept) {
    const earlier = unit.value.idReusedFrom as Unit | undefined;
    if (earlier) unit.value.idReusedFrom = named(earlier);
    // A cancellation names its request by id, whose number moves with the polls before it.
    const target = cancels.get(unit);
    if (target && isObject(unit.value.params)) unit.value.params = { ...unit.value.params, requestId: named(target) };
    unit.value = withExchange(unit.value) as Record<string, unknown>;
    if (unit.value.response !== undefined) unit.value.response = withExchange(unit.value.response);
  }
  const aliases = new Map<string, string>();
  for (const [dropped, rep] of keptAs) {
    const from = steps[dropped.step]?.id;
    const to = steps[rep.step]?.id;
    if (typeof from === 'string' && typeof to === 'string') aliases.set(from, to);
  }
  return { groups, units: kept, tasks, senders, aliases };
}

/** The fields of a step that are compared (ids, seq and the step's kind/method are the unit's). */
function body(step: Step): Record<string, unknown> {
  const { seq: _seq, from: _from, id: _id, request: _r, response: _s, notification: _n, ...rest } = step;
  return rest as Record<string, unknown>;
}

function taskOf(step: Step): string | undefined {
  const params = step.params;
  return isObject(params) && typeof params.taskId === 'string' ? params.taskId : undefined;
}

function signature(step: Step): string {
  const method = step.request ?? step.notification;
  if (method === 'notifications/tasks/status' && isObject(step.params)) return statusSig(step.params);
  if (method === 'tools/call' && isObject(step.params)) return `tools/call ${String(step.params.name)}`;
  // tasks/get and tasks/cancel get their signature from the response (refine).
  return method !== undefined && STATUS_METHODS.has(method) ? 'unanswered' : '';
}

/**
 * A status and its message: a task may report `working` twice with different messages, and one
 * side missing the first must not pair the second with it.
 */
function statusSig(task: Record<string, unknown>): string {
  return task.statusMessage === undefined ? String(task.status) : `${String(task.status)} (${JSON.stringify(task.statusMessage)})`;
}

/** A status request's signature is the status its response reports. */
function refine(unit: Unit, response: Step): void {
  if (!unit.method || !STATUS_METHODS.has(unit.method)) return;
  if (isObject(response.result)) {
    unit.sig = statusSig(response.result);
    unit.status = String(response.result.status);
  } else if (isObject(response.error)) unit.sig = `error ${String(response.error.code)}`;
  else unit.sig = 'no result';
}

/** Drops a poll identical to the one before it in its group (same request, same answer). */
function collapsePolls(units: Unit[]): { kept: Unit[]; keptAs: Map<Unit, Unit> } {
  const last = new Map<string, { unit: Unit; text: string }>();
  const kept: Unit[] = [];
  const keptAs = new Map<Unit, Unit>();
  for (const unit of units) {
    if (unit.method && POLL_METHODS.has(unit.method)) {
      // Compared without the id reuse; a repeat that reused an id passes that on to the one kept.
      const { idReusedFrom, ...rest } = unit.value;
      const text = JSON.stringify(rest);
      const prev = last.get(unit.group);
      if (prev && prev.text === text) {
        prev.unit.repeats++;
        keptAs.set(unit, prev.unit);
        if (idReusedFrom && !prev.unit.value.idReusedFrom) prev.unit.value.idReusedFrom = idReusedFrom;
        continue;
      }
      last.set(unit.group, { unit, text });
    }
    kept.push(unit);
  }
  return { kept, keptAs };
}

/**
 * The conversation without the repeated polls (what a golden stores). What named a dropped poll
 * (a message that arrived on its POST, a cancellation of it) names the poll kept for it instead,
 * as the diff itself reads it.
 */
export function withoutRepeatedPolls(conv: Conversation): Conversation {
  const { units, aliases } = groupUnits(conv);
  const keep = new Set<number>();
  for (const u of units) {
    keep.add(u.step);
    if (u.response !== undefined) keep.add(u.response);
  }
  const alias = (id: string) => aliases.get(id) ?? id;
  const steps = conv.steps
    .filter((_, i) => keep.has(i))
    .map((step): Step => {
      const on = step.via?.on;
      let out = step;
      if (on !== undefined && POST_REF.test(on)) out = { ...out, via: { ...out.via, on: renamePostRef(on, alias) } };
      const params = step.params;
      if (
        step.notification === 'notifications/cancelled' &&
        isObject(params) &&
        typeof params.requestId === 'string' &&
        aliases.has(params.requestId)
      )
        out = { ...out, params: { ...params, requestId: alias(params.requestId) } };
      return out;
    });
  return { transport: conv.transport, steps };
}
