/**
 * Order differences between aligned steps, only where an order binds them:
 *
 * - the client's own messages (both transports): the drivers send one step after another, so
 *   the client's send order is its behaviour;
 * - one HTTP POST's SSE stream: everything on it is about that one request, before its response.
 *
 * The server's stdio output and the HTTP GET stream are not compared: there the server
 * interleaves background work (a task finishing, a progress tick) with answers by timing, so
 * a status notification before or after an unrelated response is no difference. Within a stream
 * the longest run of steps that kept their relative order is taken as unmoved; every other step
 * is reported as moved.
 */
import { type Conversation, kindOf, type Step } from './conversation.js';

export interface Moved {
  /** Step indices in A and B. */
  a: number;
  b: number;
  /** The step it used to follow or precede (A and B indices). */
  pivot: { a: number; b: number };
  /** On A the moved step comes before the pivot (and after it on B), or after it. */
  before: boolean;
}

/** The ordered stream a step belongs to, or undefined when its order is not compared. */
export function streamOf(conv: Conversation, step: Step): string | undefined {
  const kind = kindOf(step);
  if (kind === 'process' || kind === 'http') return undefined;
  if (step.from === 'client') return 'client';
  if (conv.transport !== 'http' || step.via?.stream !== 'post-sse') return undefined;
  // A response without `on` travelled on the POST of the request it answers.
  return step.via.on ?? (kind === 'response' ? `POST ${step.id}` : undefined);
}

/** `pairs`: aligned steps (A index → B index). */
export function movedSteps(convA: Conversation, convB: Conversation, pairs: Map<number, number>): Moved[] {
  // Steps of one A stream whose partners share one B stream, in A order.
  const lanes = new Map<string, number[]>();
  for (const [ia, ib] of [...pairs].sort((x, y) => x[0] - y[0])) {
    const sa = streamOf(convA, convA.steps[ia]!);
    const sb = streamOf(convB, convB.steps[ib]!);
    if (sa === undefined || sb === undefined) continue;
    const key = `${sa}\u0000${sb}`;
    const lane = lanes.get(key);
    if (lane) lane.push(ia);
    else lanes.set(key, [ia]);
  }
  const moved: Moved[] = [];
  for (const lane of lanes.values()) {
    if (lane.length < 2) continue;
    const bs = lane.map((ia) => pairs.get(ia)!);
    const keep = longestIncreasing(bs);
    for (let i = 0; i < lane.length; i++) {
      if (keep.has(i)) continue;
      const pivot = pivotOf(i, lane, bs, keep);
      if (!pivot) continue;
      moved.push({ a: lane[i]!, b: bs[i]!, pivot, before: pivot.before });
    }
  }
  return moved;
}

/** A kept step the moved one crossed: the nearest later one now before it, or earlier one now after it. */
function pivotOf(i: number, lane: number[], bs: number[], keep: Set<number>): { a: number; b: number; before: boolean } | undefined {
  for (let j = i + 1; j < lane.length; j++) if (keep.has(j) && bs[j]! < bs[i]!) return { a: lane[j]!, b: bs[j]!, before: true };
  for (let j = i - 1; j >= 0; j--) if (keep.has(j) && bs[j]! > bs[i]!) return { a: lane[j]!, b: bs[j]!, before: false };
  return undefined;
}

/** Indices of one longest strictly increasing subsequence (patience sorting, O(n log n)). */
export function longestIncreasing(xs: readonly number[]): Set<number> {
  const tails: number[] = []; // index into xs of the smallest tail of each length
  const prev: number[] = new Array(xs.length).fill(-1);
  for (let i = 0; i < xs.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[tails[mid]!]! < xs[i]!) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const out = new Set<number>();
  for (let i = tails.length ? tails[tails.length - 1]! : -1; i >= 0; i = prev[i]!) out.add(i);
  return out;
}
