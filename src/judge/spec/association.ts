/**
 * Which of a receiver's own requests (elicitation/create, sampling/createMessage, ...) are sent for
 * one of its tasks. The spec makes the receiver say so with related-task metadata; to judge a
 * receiver that does not, the harness infers the task from the wire:
 *   - stream: on Streamable HTTP, the request travels on the SSE stream of an open `tasks/result`
 *     POST (how both SDKs deliver queued input requests);
 *   - open-result: an elicitation or sampling request sent while `tasks/result` requests are open
 *     and no other request of the requestor is (nothing else could have asked for the input);
 *   - meta: the request carries related-task metadata itself.
 */
import {
  hasRelatedTask,
  openAt,
  otherSide,
  paramTaskId,
  type RequestEntry,
  relatedTaskId,
  type Side,
  sentAt,
  type TraceIndex,
} from '../trace-index.js';

export interface InputRequest {
  req: RequestEntry;
  /** The receiver that sent it (owner of the task). */
  owner: Side;
  /** The task(s) it may be for; exactly one unless several tasks/result were open at once. */
  taskIds: string[];
  via: 'stream' | 'open-result' | 'meta';
}

const INPUT_METHODS = new Set(['elicitation/create', 'sampling/createMessage']);

export function inputRequests(index: TraceIndex): InputRequest[] {
  const out: InputRequest[] = [];
  for (const req of index.requests) {
    if (req.method.startsWith('tasks/') || req.method === 'initialize' || req.method === 'ping') continue;
    const owner = req.sender;
    const requestor = otherSide(owner);
    // What was open when the receiver sent it (a delay fault may have delivered it later).
    const at = sentAt(req).seq;
    const results = openAt(index, at, (r) => r.sender === requestor && r.method === 'tasks/result' && paramTaskId(r) !== undefined);
    const others = openAt(index, at, (r) => r.sender === requestor && !r.method.startsWith('tasks/'));
    const exchange = req.http?.exchange;
    const onResult = exchange === undefined ? undefined : results.find((r) => r.http?.exchange === exchange);
    const onOther = exchange === undefined ? undefined : others.find((r) => r.http?.exchange === exchange);
    const meta = relatedTaskId(req.params);
    if (INPUT_METHODS.has(req.method) && onResult) {
      out.push({ req, owner, taskIds: [paramTaskId(onResult)!], via: 'stream' });
    } else if (INPUT_METHODS.has(req.method) && !onOther && results.length && !others.length) {
      out.push({ req, owner, taskIds: [...new Set(results.map((r) => paramTaskId(r)!))], via: 'open-result' });
    } else if (meta !== undefined) {
      out.push({ req, owner, taskIds: [meta], via: 'meta' });
    } else if (hasRelatedTask(req.params)) {
      // Malformed related-task metadata: still a task-related request; the checks report the shape.
      out.push({ req, owner, taskIds: [], via: 'meta' });
    }
  }
  return out;
}

/** The one task an input request is for, when the wire pins it down. */
export function inputTaskId(input: InputRequest): string | undefined {
  return input.taskIds.length === 1 ? input.taskIds[0] : relatedTaskId(input.req.params);
}
