/**
 * What the client sent because a `send`/`sendRaw` step said so, word for word (the raw client):
 * such a message is the scenario's, not a requestor's choice, so requestor-side checks and the
 * wire schemas leave it out while receiver-side checks still judge the answer.
 */
import type { StepRecord } from '../../vocabulary/observation.js';
import { indexOf } from '../trace-index.js';
import type { CellRecord } from '../types.js';

const cache = new WeakMap<CellRecord['trace'], Set<number>>();

/** Trace seqs of client messages sent by send/sendRaw steps (matched by time window, and method for send). */
export function scriptedSeqs(record: CellRecord): Set<number> {
  const hit = cache.get(record.trace);
  if (hit) return hit;
  const out = new Set<number>();
  const steps = record.observations.filter((o): o is StepRecord => o.type === 'step' && (o.kind === 'send' || o.kind === 'sendRaw'));
  if (steps.length) {
    const clientMsgs = indexOf(record).entries.filter((e) => e.sender === 'client' && e.kind !== 'response');
    for (const step of steps) {
      const scripted = record.scenario.client.steps[step.index];
      const method = scripted?.kind === 'send' ? scripted.send : undefined;
      for (const e of clientMsgs) {
        if (e.t < step.startedAt - 1 || e.t > step.endedAt + 1) continue;
        if (method === undefined || ('method' in e && e.method === method)) out.add(e.seq);
      }
    }
  }
  cache.set(record.trace, out);
  return out;
}

export function isScripted(record: CellRecord, seq: number): boolean {
  return scriptedSeqs(record).has(seq);
}
