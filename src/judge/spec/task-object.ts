/**
 * The Task object itself, wherever it travels: CreateTaskResult.task, tasks/get and tasks/cancel
 * results, each element of tasks/list, and notifications/tasks/status params. Each check blames the
 * side that sent the object (the task's receiver).
 */

import { TASK_STATUSES } from '../../vocabulary/scenario.js';
import {
  countBefore,
  happensBefore,
  indexOf,
  isObject,
  isTaskAugmented,
  type TaskObjectSighting,
  type TaskRecord,
  type TaskSnapshot,
  type TraceIndex,
} from '../trace-index.js';
import { defineCheck, show, Verdict } from './define.js';

const WHERE: Record<TaskObjectSighting['source'], string> = {
  create: 'CreateTaskResult.task',
  get: 'tasks/get result',
  list: 'tasks/list result task',
  cancel: 'tasks/cancel result',
  notification: 'notifications/tasks/status params',
};

function objects(index: TraceIndex): (TaskObjectSighting & { value: Record<string, unknown> })[] {
  return index.taskObjects.filter((s): s is TaskObjectSighting & { value: Record<string, unknown> } => isObject(s.value));
}

/**
 * RFC 3339 §5.6 date-time (the page links ISO 8601 to it): full-date "T" full-time, with an
 * offset ("Z" or ±hh:mm); "T"/"Z" may be lowercase. The fields must also form a real instant.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function isRfc3339(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = RFC3339.exec(value);
  if (!m) return false;
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return false;
  return !Number.isNaN(Date.parse(value.toUpperCase().replace(':60', ':59')));
}

export const taskIdString = defineCheck({
  id: 'task-id-string',
  requirements: ['id-string'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    for (const s of objects(indexOf(record))) {
      v.applies();
      if (typeof s.value.taskId !== 'string')
        v.fail(s.sender, `${WHERE[s.source]} has taskId ${show(s.value.taskId)}, not a string`, [s.seq]);
    }
    return v.result();
  },
});

export const taskStatusValid = defineCheck({
  id: 'task-status-valid',
  requirements: ['schema-task-status', 'lifecycle-valid-paths'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    for (const s of objects(indexOf(record))) {
      v.applies();
      if (!(TASK_STATUSES as readonly unknown[]).includes(s.value.status)) {
        v.fail(s.sender, `${WHERE[s.source]} has status ${show(s.value.status)}, not one of ${TASK_STATUSES.join(', ')}`, [s.seq]);
      }
    }
    return v.result();
  },
});

function instant(value: unknown): number | undefined {
  return isRfc3339(value) ? Date.parse((value as string).toUpperCase().replace(':60', ':59')) : undefined;
}

/**
 * For each snapshot b, the latest lastUpdatedAt among the snapshots that happen before it
 * (happensBefore): on stdio every earlier one; on HTTP those recorded before b's request (a
 * snapshot has no stream of its own, so causality is the only order). Undefined when a snapshot
 * carries an HTTP stream after all: then only the pairwise search is exact.
 */
function latestUpdateBefore(snaps: TaskSnapshot[]): ((index: TraceIndex, b: TaskSnapshot) => number) | undefined {
  if (snaps.some((s) => 'http' in s)) return undefined;
  // `snaps` keeps the task's snapshots in trace order (countBefore relies on it).
  const prefixMax: number[] = [];
  for (const [i, s] of snaps.entries()) prefixMax.push(Math.max(i ? prefixMax[i - 1]! : -Infinity, instant(s.task.lastUpdatedAt)!));
  /** The latest update among snapshots with seq < limit. */
  const before = (limit: number): number => {
    const n = countBefore(snaps, limit);
    return n ? prefixMax[n - 1]! : -Infinity;
  };
  return (index, b) => {
    if (index.transport === 'stdio') return before(b.seq);
    return b.request ? before(Math.min(b.seq, b.request.seq)) : -Infinity;
  };
}

/**
 * What a task's timestamps say across its snapshots: createdAt never changes, lastUpdatedAt never
 * goes back (between snapshots the wire orders; see happensBefore) nor precedes createdAt.
 * Returns the first problem, with the snapshots that show it.
 */
function timelineProblem(index: TraceIndex, rec: TaskRecord): { message: string; seqs: number[] } | undefined {
  const snaps = rec.snapshots.filter((s) => instant(s.task.createdAt) !== undefined);
  const first = snaps[0];
  const moved = first && snaps.find((s) => instant(s.task.createdAt) !== instant(first.task.createdAt));
  if (first && moved) {
    return {
      message: `task ${show(rec.taskId)}: createdAt changed from ${show(first.task.createdAt)} to ${show(moved.task.createdAt)} (the creation time is fixed)`,
      seqs: [first.seq, moved.seq],
    };
  }
  const early = rec.snapshots.find((s) => {
    const c = instant(s.task.createdAt);
    const u = instant(s.task.lastUpdatedAt);
    return c !== undefined && u !== undefined && u < c;
  });
  if (early) {
    return {
      message: `task ${show(rec.taskId)}: lastUpdatedAt ${show(early.task.lastUpdatedAt)} precedes createdAt ${show(early.task.createdAt)}`,
      seqs: [early.seq],
    };
  }
  const updated = rec.snapshots.filter((s) => instant(s.task.lastUpdatedAt) !== undefined);
  const latestBefore = latestUpdateBefore(updated);
  for (const b of updated) {
    // Linear pre-test (a poll-heavy cell has tens of thousands of snapshots); the exact search
    // below runs only for the snapshot that fails.
    if (latestBefore && !(latestBefore(index, b) > instant(b.task.lastUpdatedAt)!)) continue;
    const a = updated.find(
      (x: TaskSnapshot) => happensBefore(index, x, b) && instant(x.task.lastUpdatedAt)! > instant(b.task.lastUpdatedAt)!,
    );
    if (a) {
      return {
        message: `task ${show(rec.taskId)}: lastUpdatedAt went back from ${show(a.task.lastUpdatedAt)} to ${show(b.task.lastUpdatedAt)}`,
        seqs: [a.seq, b.seq],
      };
    }
  }
  return undefined;
}

export const taskTimestamps = defineCheck({
  id: 'task-timestamps',
  requirements: ['ttl-created-at', 'ttl-last-updated-at'],
  blame: 'server',
  run(record) {
    const index = indexOf(record);
    const v = new Verdict();
    for (const s of objects(index)) {
      v.applies();
      const bad = (['createdAt', 'lastUpdatedAt'] as const).filter((k) => !isRfc3339(s.value[k]));
      if (bad.length) {
        v.fail(
          s.sender,
          `${WHERE[s.source]}: ${bad.map((k) => `${k} ${show(s.value[k])}`).join(', ')} — expected an ISO 8601 / RFC 3339 date-time such as "2025-11-25T10:30:00Z"`,
          [s.seq],
        );
      }
    }
    // Indicating "when the task was created" and "when it was last updated" holds across snapshots too.
    for (const rec of index.tasks.values()) {
      const problem = timelineProblem(index, rec);
      if (problem) v.fail(rec.owner, problem.message, problem.seqs);
    }
    return v.result();
  },
});

/** Every string inside a JSON value, with its path. */
function strings(value: unknown, path: string, out: { text: string; path: string }[] = []): { text: string; path: string }[] {
  if (typeof value === 'string') out.push({ text: value, path });
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) strings(v, `${path}[${i}]`, out);
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) strings(v, `${path}.${k}`, out);
  return out;
}

/** Ids shorter than this could match a request string by chance. */
const MIN_COMPARED_ID = 4;

export const taskIdFromReceiver = defineCheck({
  id: 'task-id-from-receiver',
  requirements: ['id-receiver-generated'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    for (const rec of indexOf(record).tasks.values()) {
      if (!rec.created) continue;
      v.applies();
      if (rec.taskId.length < MIN_COMPARED_ID) continue;
      // A receiver that adopts an id the requestor proposed (in `task`, `_meta` or anywhere) did not generate it.
      const proposed = strings(rec.created.request.params, 'params').find((x) => x.text === rec.taskId);
      if (proposed) {
        v.fail(
          rec.owner,
          `the CreateTaskResult's task id ${show(rec.taskId)} is the one the requestor sent in its ${rec.created.request.method} (${proposed.path}): task ids are generated by the receiver`,
          [rec.created.request.seq, rec.created.response.seq],
        );
      }
    }
    return v.result();
  },
});

export const taskTtlPresent = defineCheck({
  id: 'task-ttl-present',
  requirements: ['ttl-in-get'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    for (const s of objects(indexOf(record))) {
      if (s.source !== 'get') continue;
      v.applies();
      const ttl = s.value.ttl;
      if (!('ttl' in s.value))
        v.fail(s.sender, 'tasks/get result has no `ttl` (expected a number of milliseconds, or null for unlimited)', [s.seq]);
      else if (ttl !== null && typeof ttl !== 'number')
        v.fail(s.sender, `tasks/get result has ttl ${show(ttl)}, not a number or null`, [s.seq]);
    }
    return v.result();
  },
});

export const taskPollIntervalInteger = defineCheck({
  id: 'task-poll-interval-integer',
  requirements: ['schema-poll-interval'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    for (const s of objects(indexOf(record))) {
      if (!('pollInterval' in s.value)) continue;
      v.applies();
      const p = s.value.pollInterval;
      if (typeof p !== 'number' || !Number.isInteger(p))
        v.fail(s.sender, `${WHERE[s.source]} has pollInterval ${show(p)}, not an integer number of milliseconds`, [s.seq]);
    }
    return v.result();
  },
});

export const statusNotificationFullTask = defineCheck({
  id: 'status-notification-full-task',
  requirements: ['schema-status-notification'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    for (const s of indexOf(record).taskObjects) {
      if (s.source !== 'notification') continue;
      v.applies();
      if (!isObject(s.value)) {
        v.fail(s.sender, `notifications/tasks/status has params ${show(s.value)}, not a Task`, [s.seq]);
        continue;
      }
      const missing = ['taskId', 'status', 'createdAt', 'lastUpdatedAt', 'ttl'].filter((k) => !(k in (s.value as object)));
      if (missing.length) v.fail(s.sender, `notifications/tasks/status params lack ${missing.join(', ')}: not the full Task`, [s.seq]);
    }
    return v.result();
  },
});

export const taskIdUnique = defineCheck({
  id: 'task-id-unique',
  requirements: ['id-unique'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    const firstBy = new Map<string, number>();
    for (const s of indexOf(record).taskObjects) {
      if (s.source !== 'create' || !isObject(s.value) || typeof s.value.taskId !== 'string') continue;
      v.applies();
      const key = `${s.sender}:${s.value.taskId}`;
      const first = firstBy.get(key);
      if (first === undefined) firstBy.set(key, s.seq);
      else v.fail(s.sender, `task id ${show(s.value.taskId)} was given to two created tasks`, [first, s.seq]);
    }
    return v.result();
  },
});

/**
 * A rough lower bound of the guessing effort: letters and digits counted at the entropy of the
 * smallest alphabet they fit (digits 3.3 bits, hex 4, one-case alphanumeric 5.2, mixed 5.95).
 * A UUID v4 scores 128, a 32-hex id 128, "task-17" 26. It cannot prove randomness; it catches
 * counters and short ids, which is what a guesser exploits.
 */
export function idEntropyBits(id: string): number {
  const chars = id.replace(/[^A-Za-z0-9]/g, '');
  let perChar = Math.log2(62);
  if (/^[0-9]*$/.test(chars)) perChar = Math.log2(10);
  else if (/^[0-9a-f]*$/.test(chars) || /^[0-9A-F]*$/.test(chars)) perChar = 4;
  else if (/^[a-z0-9]*$/.test(chars) || /^[A-Z0-9]*$/.test(chars)) perChar = Math.log2(36);
  return chars.length * perChar;
}

export const MIN_ID_BITS = 64;

export const taskIdUnguessable = defineCheck({
  id: 'task-id-unguessable',
  requirements: ['iso-secure-ids'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    // The harness runs without authorization, so context-binding is unavailable: the MUST applies.
    const created = indexOf(record).taskObjects.filter(
      (s) => s.source === 'create' && isObject(s.value) && typeof (s.value as Record<string, unknown>).taskId === 'string',
    );
    const counters = new Map<string, { n: bigint; seq: number; sender: string }[]>();
    for (const s of created) {
      const id = (s.value as Record<string, unknown>).taskId as string;
      v.applies();
      const bits = idEntropyBits(id);
      if (bits < MIN_ID_BITS)
        v.fail(s.sender, `task id ${show(id)} has at most ~${Math.floor(bits)} bits of entropy (fewer than ${MIN_ID_BITS}): guessable`, [
          s.seq,
        ]);
      const m = /^(.*?)(\d+)$/.exec(id);
      if (m) {
        const key = `${s.sender}|${m[1]}`;
        counters.set(key, [...(counters.get(key) ?? []), { n: BigInt(m[2]!), seq: s.seq, sender: s.sender }]);
      }
    }
    // Ids that differ only by a small trailing counter are guessable whatever their length.
    for (const list of counters.values()) {
      if (list.length < 2) continue;
      const ns = list.map((x) => x.n).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const spread = ns[ns.length - 1]! - ns[0]!;
      if (spread < BigInt(1000 * list.length)) {
        v.fail(
          list[0]!.sender as 'client' | 'server',
          `task ids share a prefix and differ only by a small counter (${list.length} ids within ${spread}): guessable`,
          list.map((x) => x.seq),
        );
      }
    }
    return v.result();
  },
});

export const ttlOverridden = defineCheck({
  id: 'ttl-overridden',
  requirements: ['ttl-override-may'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    for (const req of indexOf(record).requests) {
      if (!isTaskAugmented(req) || !isObject(req.params?.task) || typeof req.params.task.ttl !== 'number') continue;
      const task = req.response?.result?.task;
      if (!isObject(task) || !('ttl' in task)) continue;
      v.applies();
      if (task.ttl !== req.params.task.ttl) {
        v.fail(
          req.response!.sender,
          `requested ttl ${req.params.task.ttl}, the receiver chose ${show(task.ttl)} (allowed; noted for the report)`,
          [req.seq, req.response!.seq],
        );
      }
    }
    return v.result();
  },
});

export const failedTaskStatusMessage = defineCheck({
  id: 'failed-task-status-message',
  requirements: ['exec-failed-status-message'],
  blame: 'server',
  run(record) {
    const v = new Verdict();
    for (const s of objects(indexOf(record))) {
      if (s.source !== 'get' || s.value.status !== 'failed') continue;
      v.applies();
      const msg = s.value.statusMessage;
      if (typeof msg !== 'string' || msg.trim() === '')
        v.fail(s.sender, `tasks/get result for failed task ${show(s.value.taskId)} has no statusMessage with diagnostic information`, [
          s.seq,
        ]);
    }
    return v.result();
  },
});

export const taskObjectChecks = [
  taskIdString,
  taskIdFromReceiver,
  taskStatusValid,
  taskTimestamps,
  taskTtlPresent,
  taskPollIntervalInteger,
  statusNotificationFullTask,
  taskIdUnique,
  taskIdUnguessable,
  ttlOverridden,
  failedTaskStatusMessage,
];
