/**
 * Streamable HTTP specifics of the Tasks page: a client polling with tasks/get wants a plain JSON
 * answer, not an SSE stream; and a client takes server messages from any SSE stream, the GET
 * stream included (the recorder marks the stream each message travelled on).
 */
import { faultTouches, indexOf } from '../trace-index.js';
import { defineCheck, show, Verdict } from './define.js';

export const tasksGetNoSse = defineCheck({
  id: 'tasks-get-no-sse',
  requirements: ['input-get-no-sse'],
  blame: 'server',
  serverToClient: false,
  run(record) {
    if (record.transport !== 'http') return 'n/a';
    const v = new Verdict();
    const upgraded: number[] = [];
    for (const req of indexOf(record).requests) {
      const res = req.response;
      if (req.method !== 'tasks/get' || !res?.http?.stream) continue;
      v.applies();
      if (res.http.stream === 'post-sse') upgraded.push(res.seq);
    }
    // One finding for the cell: every poll is answered the same way.
    if (upgraded.length)
      v.fail(
        'server',
        `${upgraded.length} tasks/get response${upgraded.length > 1 ? 's were' : ' was'} sent on an SSE stream instead of a JSON body`,
        upgraded.slice(0, 20),
      );
    return v.result();
  },
});

/** How long the trace must go on after a server request before an unanswered one counts. */
export const ANSWER_GRACE_MS = 2000;

const STREAMS: Record<string, string> = { 'get-sse': 'the GET stream', 'post-sse': 'the SSE stream of a POST', json: 'a JSON response' };

export const clientAnswersAnyStream = defineCheck({
  id: 'client-answers-any-stream',
  requirements: ['input-any-stream'],
  blame: 'client',
  serverToClient: false,
  run(record) {
    if (record.transport !== 'http') return 'n/a';
    const index = indexOf(record);
    const v = new Verdict();
    for (const req of index.requests) {
      const stream = req.http?.stream;
      // A request a harness fault dropped or cut off may never have reached the client.
      if (req.sender !== 'server' || !stream || faultTouches(index, req)) continue;
      if (!req.response && index.last.t - req.t < ANSWER_GRACE_MS) continue;
      v.applies();
      if (!req.response)
        v.fail(
          'client',
          `the client never answered ${req.method} (id ${show(req.id)}), which the server sent on ${STREAMS[stream] ?? stream}`,
          [req.seq],
        );
    }
    return v.result();
  },
});

export const httpChecks = [tasksGetNoSse, clientAnswersAnyStream];
