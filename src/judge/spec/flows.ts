/**
 * The client's polling loops as its observations describe them: which step a request belongs to,
 * and who ran the loop (`polledBy`: the SDK's own flow, or the driver's code). A requestor check
 * blames the client SDK only for its own loop; a loop the driver wrote is the harness's.
 */
import type { HelloRecord, StepRecord } from '../../vocabulary/observation.js';
import type { Blame, CellRecord } from '../types.js';

export function stepRecords(record: CellRecord): StepRecord[] {
  return record.observations.filter((o): o is StepRecord => o.type === 'step');
}

/**
 * The client step a request recorded at `t` belongs to: the step that started last before it
 * (observations and trace share one monotonic clock, and the recorder sees a request only after
 * the driver began the step that sends it; step windows may touch).
 */
export function stepAt(steps: StepRecord[], t: number): StepRecord | undefined {
  let best: StepRecord | undefined;
  for (const s of steps) if (s.startedAt <= t && (!best || s.startedAt > best.startedAt)) best = s;
  return best;
}

/** Who is at fault for how a step's loop polled: the SDK's client, or the harness for a driver loop. */
export function loopBlame(step: StepRecord | undefined): Blame {
  if (step?.polledBy === 'driver') return 'harness';
  if (step?.polledBy === 'sdk') return 'client';
  // Not recorded: an awaitTask is the SDK's flow by definition; a poll step the contract's driver loop.
  return step?.kind === 'poll' ? 'harness' : 'client';
}

export function loopOwner(step: StepRecord | undefined): string {
  return loopBlame(step) === 'harness' ? "the driver's own polling loop" : "the client SDK's own flow";
}

/** awaitTask steps: the client's whole-call flows (the SDK's, or a driver's low-level equivalent), with their task. */
export function flows(record: CellRecord): (StepRecord & { taskId: string })[] {
  return stepRecords(record).filter((s): s is StepRecord & { taskId: string } => s.kind === 'awaitTask' && typeof s.taskId === 'string');
}

/** The Mcp-Session-Id of a client session, from its hello record (undefined: stdio, or not recorded). */
export function sessionIdOf(record: CellRecord, session: string | undefined): string | undefined {
  const hellos = record.observations.filter((o): o is HelloRecord => o.type === 'hello');
  const hello = session === undefined ? hellos[0] : hellos.find((h) => h.session === session);
  return hello?.sessionId;
}
