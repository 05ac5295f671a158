/**
 * tasks/list: a complete listing (every page, following nextCursor) must include each task the
 * requestor could retrieve with tasks/get at the time; pages stay limited; requestors pass
 * cursors back untouched. A requestor is one side in one session (Streamable HTTP sessions are
 * separate requestors to a receiver that tells them apart).
 */
import { indexOf, isObject, otherSide, type RequestEntry, type TraceIndex } from '../trace-index.js';
import { defineCheck, show, Verdict } from './define.js';
import { literalCursors } from './exemptions.js';
import { isScripted } from './script.js';

const sameSession = (a: { session?: string }, b: { session?: string }) =>
  a.session === undefined || b.session === undefined || a.session === b.session;

interface Listing {
  pages: RequestEntry[];
  taskIds: Set<string>;
  start: number;
  end: number;
}

/** Listings that start without a cursor and follow nextCursor to the last page. */
export function completeListings(index: TraceIndex): Listing[] {
  const lists = index.requests.filter((r) => r.method === 'tasks/list');
  const out: Listing[] = [];
  for (const first of lists) {
    if (first.params && 'cursor' in first.params) continue;
    const pages = [first];
    let complete = false;
    for (;;) {
      const last = pages[pages.length - 1]!;
      const result = last.response?.result;
      if (!result) break;
      if (typeof result.nextCursor !== 'string') {
        complete = true;
        break;
      }
      const next = lists.find(
        (r) => r.seq > last.response!.seq && r.sender === first.sender && sameSession(r, first) && r.params?.cursor === result.nextCursor,
      );
      if (!next) break;
      pages.push(next);
    }
    if (!complete) continue;
    const taskIds = new Set<string>();
    for (const page of pages) {
      const tasks = page.response?.result?.tasks;
      if (Array.isArray(tasks)) for (const t of tasks) if (isObject(t) && typeof t.taskId === 'string') taskIds.add(t.taskId);
    }
    out.push({ pages, taskIds, start: first.seq, end: pages[pages.length - 1]!.response!.seq });
  }
  return out;
}

export const listIncludesRetrievable = defineCheck({
  id: 'list-includes-retrievable',
  requirements: ['listing-retrievable', 'listing-next-cursor'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const listing of completeListings(index)) {
      const requestor = listing.pages[0]!.sender;
      const owner = otherSide(requestor);
      v.applies();
      for (const rec of index.tasks.values()) {
        if (rec.owner !== owner) continue;
        const first = listing.pages[0]!;
        // Retrievable during the listing: it existed before it started, and a tasks/get sent
        // after it ended still found it (so it was not deleted in between).
        const existed = rec.snapshots.some((s) => s.seq < listing.start);
        const laterGet = index.requests.find(
          (r) =>
            r.method === 'tasks/get' &&
            r.sender === requestor &&
            sameSession(r, first) &&
            r.params?.taskId === rec.taskId &&
            r.seq > listing.end &&
            r.response?.result,
        );
        if (!existed || !laterGet || listing.taskIds.has(rec.taskId)) continue;
        v.fail(
          owner,
          `task ${show(rec.taskId)} was retrievable via tasks/get (seq ${laterGet.response!.seq}) but missing from the complete tasks/list (${listing.pages.length} page${listing.pages.length > 1 ? 's' : ''}, ${listing.taskIds.size} tasks, no nextCursor on the last)`,
          [...listing.pages.map((p) => p.response!.seq), laterGet.response!.seq],
        );
      }
    }
    return v.result();
  },
});

export const cursorOpaque = defineCheck({
  id: 'cursor-opaque',
  requirements: ['listing-cursor-opaque'],
  blame: 'client',
  run(record) {
    const index = indexOf(record);
    const literal = literalCursors(record.scenario);
    const v = new Verdict();
    for (const req of index.requests) {
      if (req.method !== 'tasks/list' || !req.params || !('cursor' in req.params)) continue;
      const cursor = req.params.cursor;
      // A cursor the scenario wrote (listTasks `cursor:`, or a raw `send`) is the scenario's, not the requestor's.
      if ((typeof cursor === 'string' && literal.has(cursor)) || isScripted(record, req.seq)) continue;
      v.applies();
      const issued = index.requests.some(
        (r) =>
          r.method === 'tasks/list' &&
          r.sender === req.sender &&
          r.response?.result &&
          r.response.seq < req.seq &&
          r.response.result.nextCursor === cursor,
      );
      if (!issued) v.fail(req.sender, `tasks/list sent cursor ${show(cursor)}, which is not a nextCursor the receiver returned`, [req.seq]);
    }
    return v.result();
  },
});

/**
 * The page gives no page size. The harness takes a response listing more than this many tasks as
 * not limited (the TS SDK's store pages by 10); the scenarios that exercise it list more.
 */
export const MAX_PAGE_TASKS = 25;

export const listPaginates = defineCheck({
  id: 'list-paginates',
  requirements: ['listing-paginate'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const req of index.requests) {
      const tasks = req.response?.result?.tasks;
      if (req.method !== 'tasks/list' || !Array.isArray(tasks)) continue;
      const owner = otherSide(req.sender);
      // Judged where pagination could show: this requestor had more tasks than one page holds.
      const own = [...index.tasks.values()].filter(
        (t) => t.owner === owner && t.created && t.created.response.seq < req.seq && sameSession(t, req),
      ).length;
      if (own <= MAX_PAGE_TASKS && tasks.length <= MAX_PAGE_TASKS) continue;
      v.applies();
      if (tasks.length > MAX_PAGE_TASKS)
        v.fail(
          owner,
          `tasks/list returned ${tasks.length} tasks in one response${typeof req.response?.result?.nextCursor === 'string' ? '' : ' (and no nextCursor)'}: more than ${MAX_PAGE_TASKS}, not limited by cursor-based pagination`,
          [req.seq, req.response!.seq],
        );
    }
    return v.result();
  },
});

export const listingChecks = [listIncludesRetrievable, cursorOpaque, listPaginates];
