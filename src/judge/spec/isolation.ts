/**
 * Tasks of one requestor kept from another. The harness has no authorization, so the only
 * context a receiver can bind tasks to is the Streamable HTTP session (each client session is a
 * requestor). A receiver shows that it has context-binding when it refuses (or leaves out of a
 * listing) another session's task at least once; it must then do so every time. A receiver that
 * lists another session's tasks cannot tell requestors apart, and should not declare tasks.list.
 */
import {
  capabilitiesOf,
  indexOf,
  isObject,
  otherSide,
  paramTaskId,
  type RequestEntry,
  type TaskRecord,
  type TraceIndex,
} from '../trace-index.js';
import { defineCheck, show, Verdict } from './define.js';

const BY_ID = new Set(['tasks/get', 'tasks/result', 'tasks/cancel']);

/** Requests of one session naming a task created in another, with that task. */
function crossRequests(index: TraceIndex): { req: RequestEntry; rec: TaskRecord }[] {
  return index.requests.flatMap((req) => {
    const taskId = paramTaskId(req);
    if (!BY_ID.has(req.method) || taskId === undefined || !req.response || req.session === undefined) return [];
    const rec = index.tasks.get(`${otherSide(req.sender)}:${taskId}`);
    return rec?.session !== undefined && rec.session !== req.session && rec.created && rec.created.response.seq < req.seq
      ? [{ req, rec }]
      : [];
  });
}

/** tasks/list answers in one session, with the other sessions' tasks that existed before it (listed or not). */
function crossListings(index: TraceIndex): { req: RequestEntry; foreign: TaskRecord[]; listed: TaskRecord[] }[] {
  return index.requests.flatMap((req) => {
    const tasks = req.response?.result?.tasks;
    if (req.method !== 'tasks/list' || req.session === undefined || !Array.isArray(tasks)) return [];
    const ids = new Set(tasks.filter(isObject).map((t) => t.taskId));
    const foreign = [...index.tasks.values()].filter(
      (t) =>
        t.owner === otherSide(req.sender) &&
        t.session !== undefined &&
        t.session !== req.session &&
        t.created &&
        t.created.response.seq < req.seq,
    );
    return foreign.length ? [{ req, foreign, listed: foreign.filter((t) => ids.has(t.taskId)) }] : [];
  });
}

export const sessionIsolation = defineCheck({
  id: 'session-isolation',
  requirements: ['iso-reject-other-context', 'iso-list-own-context'],
  blame: 'server',
  serverToClient: false,
  run(record) {
    const index = indexOf(record);
    const cross = crossRequests(index);
    const listings = crossListings(index);
    // Context-binding is available when the receiver used it at least once.
    const binds = cross.some((c) => c.req.response?.error) || listings.some((l) => l.listed.length < l.foreign.length);
    if (!binds) return 'n/a';
    const v = new Verdict();
    for (const { req, rec } of cross) {
      v.applies();
      if (!req.response?.error)
        v.fail(
          rec.owner,
          `${req.method} from session ${show(req.session)} for task ${show(rec.taskId)} of session ${show(rec.session)} was served, although the ${rec.owner} binds tasks to their session elsewhere in this trace`,
          [rec.created!.response.seq, req.seq, req.response!.seq],
        );
    }
    for (const { req, listed } of listings) {
      v.applies();
      if (listed.length)
        v.fail(
          otherSide(req.sender),
          `tasks/list in session ${show(req.session)} listed ${listed.map((t) => `${show(t.taskId)} (session ${show(t.session)})`).join(', ')}, although the receiver binds tasks to their session elsewhere in this trace`,
          [req.seq, req.response!.seq],
        );
    }
    return v.result();
  },
});

export const listCapabilityNeedsIdentifiedRequestors = defineCheck({
  id: 'list-capability-needs-identified-requestors',
  requirements: ['iso-list-unidentified'],
  blame: 'server',
  serverToClient: false,
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const { req, listed } of crossListings(index)) {
      v.applies();
      const receiver = otherSide(req.sender);
      const tasks = capabilitiesOf(index, receiver, req.seq, req.session)?.tasks;
      if (!listed.length || !isObject(tasks) || !isObject(tasks.list)) continue;
      v.fail(
        receiver,
        `tasks/list in session ${show(req.session)} listed another session's task${listed.length > 1 ? 's' : ''} (${listed.map((t) => show(t.taskId)).join(', ')}): the ${receiver} does not tell requestors apart, yet declares the tasks.list capability`,
        [req.seq, req.response!.seq, ...listed.map((t) => t.created!.response.seq)],
      );
    }
    return v.result();
  },
});

export const isolationChecks = [sessionIsolation, listCapabilityNeedsIdentifiedRequestors];
