/**
 * Streamable HTTP specifics of the Tasks page: a client polling with tasks/get wants a plain JSON
 * answer, not an SSE stream (the recorder marks the stream each message travelled on).
 */
import { indexOf } from '../trace-index.js';
import { defineCheck, Verdict } from './define.js';

export const tasksGetNoSse = defineCheck({
  id: 'tasks-get-no-sse',
  requirements: ['input-get-no-sse'],
  blame: 'server',
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

export const httpChecks = [tasksGetNoSse];
