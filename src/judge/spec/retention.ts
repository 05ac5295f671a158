/**
 * ttl as the wire shows it. The page counts a task's ttl from its creation; the trace times the
 * creation by the CreateTaskResult (the latest instant the task can have been created), which
 * keeps both checks on the safe side of the receiver's own clock.
 */
import { errorCode, findTask, indexOf, isObject, otherSide, type RequestEntry, type TaskRecord, ttlBefore } from '../trace-index.js';
import { defineCheck, show, Verdict } from './define.js';

/** How long after its ttl an expired task may still be served before "promptly" is missed. */
export const CLEANUP_GRACE_MS = 1000;

function known(
  record: Parameters<typeof indexOf>[0],
  req: RequestEntry,
): { rec: TaskRecord; ttl: number | null | undefined; age: number } | undefined {
  const index = indexOf(record);
  const taskId = req.params?.taskId;
  if (typeof taskId !== 'string') return undefined;
  const rec = findTask(index, otherSide(req.sender), taskId);
  if (!rec?.created) return undefined;
  return { rec, ttl: ttlBefore(rec, req.seq), age: req.t - rec.created.response.t };
}

export const expiredTaskInvalidParams = defineCheck({
  id: 'expired-task-invalid-params',
  requirements: ['errors-invalid-task-id'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    for (const req of indexOf(record).requests) {
      // tasks/result is left out: its error may be the wrapped request's own error.
      if ((req.method !== 'tasks/get' && req.method !== 'tasks/cancel') || !req.response?.error) continue;
      const k = known(record, req);
      if (!k || typeof k.ttl !== 'number' || k.age < k.ttl) continue;
      v.applies();
      if (errorCode(req.response) !== -32602) {
        v.fail(
          req.response.sender,
          `${req.method} for task ${show(k.rec.taskId)}, ${Math.round(k.age)} ms after creation with ttl ${k.ttl}, failed with ${show(req.response.error.code)} ${show(req.response.error.message)}, not -32602`,
          [req.seq, req.response.seq],
        );
      }
    }
    return v.result();
  },
});

export const expiredTaskCleanedUp = defineCheck({
  id: 'expired-task-cleaned-up',
  requirements: ['res-cleanup'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    const reported = new Set<string>();
    for (const req of indexOf(record).requests) {
      if (req.method !== 'tasks/get' || !req.response?.result) continue;
      const k = known(record, req);
      if (!k || typeof k.ttl !== 'number') continue;
      v.applies();
      if (k.age > k.ttl + CLEANUP_GRACE_MS && !reported.has(k.rec.key)) {
        reported.add(k.rec.key);
        v.fail(
          req.response.sender,
          `task ${show(k.rec.taskId)} (ttl ${k.ttl} ms from creation) was still served ${Math.round(k.age)} ms after it was created`,
          [k.rec.created!.response.seq, req.seq, req.response.seq],
        );
      }
    }
    return v.result();
  },
});

/** A requested ttl of a year or more, honoured as is, is retention without a maximum. */
export const HUGE_TTL_MS = 365 * 24 * 3600 * 1000;

export const maxTtlEnforced = defineCheck({
  id: 'max-ttl-enforced',
  requirements: ['res-max-ttl'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    for (const rec of indexOf(record).tasks.values()) {
      const requested = rec.created?.request.params?.task;
      const asked = isObject(requested) ? requested.ttl : undefined;
      if (!rec.created || typeof asked !== 'number' || asked < HUGE_TTL_MS) continue;
      v.applies();
      const granted = ttlBefore(rec, rec.created.response.seq + 1);
      if (granted !== null && (typeof granted !== 'number' || granted < asked)) continue;
      // The receiver's ttl policy is the driver's, from the scenario: without a max there, the
      // scenario asked for none (the drivers cap at `ttl.max` and hand the SDK that ttl).
      const policy = rec.owner === 'server' ? record.scenario.server?.ttl : record.scenario.client?.tasks?.ttl;
      const noMax = policy?.max === undefined;
      v.fail(
        noMax ? 'scenario' : rec.owner,
        `task ${show(rec.taskId)} was asked for ttl ${asked} ms (a year or more) and given ${show(granted)}: no maximum ttl enforced${noMax ? ` (the scenario sets no ${rec.owner === 'server' ? 'server.ttl.max' : 'client.tasks.ttl.max'} for the ${rec.owner} driver to cap at)` : `, although the scenario caps the ${rec.owner} driver at ${policy?.max} ms`}`,
        [rec.created.request.seq, rec.created.response.seq],
      );
    }
    return v.result();
  },
});

export const retentionChecks = [expiredTaskInvalidParams, expiredTaskCleanedUp, maxTtlEnforced];
