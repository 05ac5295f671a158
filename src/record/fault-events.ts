/** Writes the trace's `fault` events: what a fault did, when, and to which message. */
import type { Direction, FaultEvent, HttpContext } from '../vocabulary/trace.js';
import type { FaultHit, JsonObject } from './fault-plan.js';
import type { TraceWriter } from './trace-writer.js';

export function recordFault(
  trace: TraceWriter,
  hit: Pick<FaultHit, 'fault' | 'index'>,
  detail: string,
  extra: { dir?: Direction; msg?: JsonObject; http?: HttpContext } = {},
  t?: number,
): FaultEvent {
  return trace.write(
    {
      kind: 'fault',
      fault: hit.fault.kind,
      index: hit.index,
      detail,
      ...(extra.dir ? { dir: extra.dir } : {}),
      ...(extra.msg ? { msg: extra.msg } : {}),
      ...(extra.http ? { http: extra.http } : {}),
    },
    t,
  ) as FaultEvent;
}

/** ` (fault #2, match 3)`: which fault of the scenario, and which of its matches. */
export function which(hit: Pick<FaultHit, 'index' | 'count'>): string {
  return ` (faults[${hit.index}]${hit.count ? `, match ${hit.count}` : ''})`;
}
