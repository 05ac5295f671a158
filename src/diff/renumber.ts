/**
 * Renumbers the canonical JSON-RPC ids of a conversation by first appearance again (`c1`, `c2`…
 * with no gaps), for goldens: once repeated polls are dropped, the ids they used would leave
 * gaps that move whenever the number of polls does. The diff never compares id names (only
 * whether an id is reused), so this changes nothing it reports.
 */
import { isObject } from '../judge/trace-index.js';
import { type Conversation, renamePostRef, type Step } from './conversation.js';

export function renumberIds(conv: Conversation): Conversation {
  const names = new Map<string, string>();
  const counts = { c: 0, s: 0 };
  const rename = (id: string): string => {
    const m = /^([cs])\d+$/.exec(id);
    if (!m) return id;
    let name = names.get(id);
    if (!name) {
      const series = m[1] as 'c' | 's';
      name = `${series}${++counts[series]}`;
      names.set(id, name);
    }
    return name;
  };
  const exchange = (on: string) => renamePostRef(on, rename);
  const steps = conv.steps.map((step): Step => {
    const out: Step = { ...step };
    if (typeof step.id === 'string') out.id = rename(step.id);
    if (step.via?.on !== undefined) out.via = { ...step.via, on: exchange(step.via.on) };
    if (step.notification === 'notifications/cancelled' && isObject(step.params) && typeof step.params.requestId === 'string')
      out.params = { ...step.params, requestId: rename(step.params.requestId) };
    return out;
  });
  return { transport: conv.transport, steps };
}
