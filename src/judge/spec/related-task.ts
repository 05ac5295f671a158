/**
 * `_meta["io.modelcontextprotocol/related-task"]`: required on messages that belong to a task
 * (the receiver's input requests, the answers to them, progress of a task), and not wanted on
 * tasks/get, tasks/list, tasks/cancel and status notifications, which name the task already.
 * (tasks/result responses are judged in results.ts.)
 */
import { hasRelatedTask, indexOf, isObject, relatedTaskId, relatedTaskMeta } from '../trace-index.js';
import { inputRequests, inputTaskId } from './association.js';
import { defineCheck, show, Verdict } from './define.js';
import { isScripted } from './script.js';

const HOW: Record<string, string> = {
  stream: 'it travelled on the SSE stream of the open tasks/result for',
  'open-result': 'it was sent while only tasks/result was open, for',
  meta: 'it names',
};

export const relatedTaskOnInputRequests = defineCheck({
  id: 'related-task-on-input-requests',
  requirements: ['input-related-task', 'assoc-elicitation-same-task', 'assoc-related-task', 'meta-all-associated'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const input of inputRequests(index)) {
      v.applies();
      const got = relatedTaskId(input.req.params);
      const where = `${input.req.method} (id ${show(input.req.id)})`;
      if (input.via === 'meta') {
        if (got === undefined)
          v.fail(
            input.owner,
            `${where} carries malformed related-task metadata ${show(relatedTaskMeta(input.req.params))}; expected {"taskId": "<id>"}`,
            [input.req.seq],
          );
        else if (!index.tasks.has(`server:${got}`) && !index.tasks.has(`client:${got}`))
          v.fail(input.owner, `${where} names related task ${show(got)}, which no side ever created or reported`, [input.req.seq]);
        continue;
      }
      if (got === undefined || !input.taskIds.includes(got)) {
        const expected = input.taskIds.map((id) => show(id)).join(' or ');
        v.fail(
          input.owner,
          `${where} is for task ${expected} (${HOW[input.via]} it) but carries related-task ${show(relatedTaskMeta(input.req.params))}`,
          [input.req.seq],
        );
      }
    }
    return v.result();
  },
});

export const relatedTaskOnInputResponses = defineCheck({
  id: 'related-task-on-input-responses',
  requirements: ['assoc-related-task', 'meta-all-associated'],
  // The answer comes from the task's requestor (the party the input request went to).
  party: 'requestor',
  blame: 'client',
  run(record) {
    const v = new Verdict();
    for (const input of inputRequests(indexOf(record))) {
      const res = input.req.response;
      const taskId = inputTaskId(input);
      // Errors carry no _meta; only results can be judged.
      if (!res?.result || taskId === undefined) continue;
      v.applies();
      const got = relatedTaskId(res.result);
      if (got !== taskId) {
        v.fail(
          res.sender,
          `the answer to ${input.req.method} (id ${show(input.req.id)}) for task ${show(taskId)} carries related-task ${show(relatedTaskMeta(res.result))}; expected {"taskId": ${show(taskId)}}`,
          [input.req.seq, res.seq],
        );
      }
    }
    return v.result();
  },
});

export const relatedTaskOnProgress = defineCheck({
  id: 'related-task-on-progress',
  requirements: ['assoc-related-task', 'meta-all-associated'],
  party: 'receiver',
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const rec of index.tasks.values()) {
      const created = rec.created;
      const meta = created?.request.params?._meta;
      const token = isObject(meta) ? meta.progressToken : undefined;
      if (!created || token === undefined) continue;
      // Progress after the CreateTaskResult belongs to the task (the token lives as long as it).
      for (const note of index.notifications) {
        if (note.method !== 'notifications/progress' || note.sender !== rec.owner || note.seq < created.response.seq) continue;
        if (note.params?.progressToken !== token) continue;
        v.applies();
        const got = relatedTaskId(note.params);
        if (got !== rec.taskId) {
          v.fail(
            rec.owner,
            `notifications/progress for token ${show(token)} of task ${show(rec.taskId)} carries related-task ${show(relatedTaskMeta(note.params))}`,
            [note.seq],
          );
        }
      }
    }
    return v.result();
  },
});

const TASK_OPS = new Set(['tasks/get', 'tasks/list', 'tasks/cancel']);

export const relatedTaskAbsentInTaskResults = defineCheck({
  id: 'related-task-absent-in-task-results',
  requirements: ['assoc-results-no-meta', 'meta-task-ops-no-meta'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    for (const req of indexOf(record).requests) {
      const res = req.response;
      if (!TASK_OPS.has(req.method) || !res?.result) continue;
      v.applies();
      if (hasRelatedTask(res.result))
        v.fail(res.sender, `${req.method} result carries related-task metadata ${show(relatedTaskMeta(res.result))}`, [res.seq]);
    }
    return v.result();
  },
});

export const relatedTaskAbsentInStatusNotifications = defineCheck({
  id: 'related-task-absent-in-status-notifications',
  requirements: ['notifications-no-meta'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    for (const note of indexOf(record).notifications) {
      if (note.method !== 'notifications/tasks/status') continue;
      v.applies();
      if (hasRelatedTask(note.params))
        v.fail(note.sender, `notifications/tasks/status carries related-task metadata ${show(relatedTaskMeta(note.params))}`, [note.seq]);
    }
    return v.result();
  },
});

export const relatedTaskAbsentInTaskRequests = defineCheck({
  id: 'related-task-absent-in-task-requests',
  requirements: ['assoc-requests-no-meta', 'meta-task-ops-no-meta'],
  blame: 'client',
  run(record) {
    const v = new Verdict();
    for (const req of indexOf(record).requests) {
      // A raw `send` carrying related-task metadata on purpose is the scenario's, not the requestor's.
      if ((!TASK_OPS.has(req.method) && req.method !== 'tasks/result') || isScripted(record, req.seq)) continue;
      v.applies();
      if (hasRelatedTask(req.params))
        v.fail(
          req.sender,
          `${req.method} request carries related-task metadata ${show(relatedTaskMeta(req.params))} (the taskId parameter already names the task)`,
          [req.seq],
        );
    }
    return v.result();
  },
});

export const relatedTaskChecks = [
  relatedTaskOnInputRequests,
  relatedTaskOnInputResponses,
  relatedTaskOnProgress,
  relatedTaskAbsentInTaskResults,
  relatedTaskAbsentInStatusNotifications,
  relatedTaskAbsentInTaskRequests,
];
