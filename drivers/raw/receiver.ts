/**
 * The raw client as a task receiver (`client.tasks`, server→client tasks), written to the spec:
 * a task-augmented elicitation/create or sampling/createMessage of a kind the client declared
 * is answered at once with a CreateTaskResult (status `working`, the ttl policy's ttl, the
 * configured pollInterval); after `answerDelayMs` the task stores the canned answer and ends
 * `completed` (or `failed` with the JSON-RPC error a refused sampling request gets). The client
 * then serves tasks/get, tasks/result (blocking until terminal; the result carries related-task
 * `_meta`), tasks/list (one page; it issues no cursors) and tasks/cancel (-32602 for unknown and
 * terminal tasks). A task is deleted once its ttl from creation has elapsed.
 */
import { randomUUID } from 'node:crypto';
import { type ClientTasks, CONTRACT } from '../../src/vocabulary/index.js';
import type { CannedAnswers } from './answers.js';
import { isObject } from './jsonrpc.js';
import type { Answer } from './peer.js';

const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

interface Entry {
  task: Record<string, unknown> & { taskId: string; status: string };
  /** What tasks/result answers once the task is terminal. */
  outcome?: Answer;
  waiters: (() => void)[];
  timers: NodeJS.Timeout[];
}

function invalid(message: string): Answer {
  return { error: { code: INVALID_PARAMS, message } };
}

export class TaskReceiver {
  private readonly tasks = new Map<string, Entry>();

  constructor(
    private readonly cfg: ClientTasks,
    private readonly answers: CannedAnswers,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The ttl the receiver gives a task: the requested one capped at max when honoured, else the default. */
  ttlFor(requested: unknown): number | null {
    const policy = this.cfg.ttl;
    if (policy.honourRequested && typeof requested === 'number' && Number.isFinite(requested) && requested >= 0) {
      return policy.max !== undefined ? Math.min(requested, policy.max) : requested;
    }
    return policy.default;
  }

  /**
   * Handles the request if it is the receiver's (a declared task-augmented request, or tasks/*
   * the client declared); undefined leaves it to the plain answers. `stored` resolves with what
   * the task stored, for the record.
   */
  handle(method: string, params: unknown): { answer: Answer; stored?: Promise<Answer> } | undefined {
    const p = isObject(params) ? params : {};
    const augmented = isObject(p.task);
    if (
      augmented &&
      ((method === 'elicitation/create' && this.cfg.elicitation) || (method === 'sampling/createMessage' && this.cfg.sampling))
    ) {
      return this.create(method, p);
    }
    switch (method) {
      case 'tasks/get':
        return { answer: this.get(p.taskId) };
      case 'tasks/list':
        return this.cfg.list ? { answer: this.list(p) } : undefined;
      case 'tasks/cancel':
        return this.cfg.cancel ? { answer: this.cancel(p.taskId) } : undefined;
      default:
        return undefined;
    }
  }

  /** tasks/result blocks, so it is answered asynchronously. */
  async result(params: unknown): Promise<Answer> {
    const taskId = isObject(params) ? params.taskId : undefined;
    const entry = typeof taskId === 'string' ? this.tasks.get(taskId) : undefined;
    if (!entry) return invalid(`Task not found: ${String(taskId)}`);
    if (!TERMINAL.has(entry.task.status)) await new Promise<void>((resolve) => entry.waiters.push(resolve));
    const outcome = entry.outcome ?? {
      error: { code: INTERNAL_ERROR, message: `Task ${entry.task.taskId} was cancelled and has no result` },
    };
    if ('error' in outcome) return outcome;
    const meta = { [CONTRACT.relatedTaskKey]: { taskId: entry.task.taskId } };
    return { result: { ...(isObject(outcome.result) ? outcome.result : {}), _meta: meta } };
  }

  private create(method: string, p: Record<string, unknown>): { answer: Answer; stored: Promise<Answer> } {
    const at = this.now().toISOString();
    const ttl = this.ttlFor(isObject(p.task) ? p.task.ttl : undefined);
    const task = { taskId: randomUUID(), status: 'working', createdAt: at, lastUpdatedAt: at, ttl, pollInterval: this.cfg.pollInterval };
    const entry: Entry = { task, waiters: [], timers: [] };
    this.tasks.set(task.taskId, entry);
    if (ttl !== null) entry.timers.push(setTimeout(() => this.delete(task.taskId), ttl).unref());
    const stored = new Promise<Answer>((resolve) => {
      entry.timers.push(
        setTimeout(() => {
          if (entry.task.status !== 'working') return resolve(entry.outcome ?? { error: { code: INTERNAL_ERROR, message: 'cancelled' } });
          const outcome: Answer =
            method === 'elicitation/create' ? { result: this.answers.nextElicitation() } : this.answers.nextSampling();
          this.finish(entry, 'error' in outcome ? 'failed' : 'completed', outcome);
          resolve(outcome);
        }, this.cfg.answerDelayMs),
      );
    });
    return { answer: { result: { task: { ...task } } }, stored };
  }

  private finish(entry: Entry, status: string, outcome?: Answer): void {
    entry.task.status = status;
    entry.task.lastUpdatedAt = this.now().toISOString();
    if (outcome) entry.outcome = outcome;
    for (const wake of entry.waiters.splice(0)) wake();
  }

  private delete(taskId: string): void {
    const entry = this.tasks.get(taskId);
    if (!entry) return;
    for (const t of entry.timers) clearTimeout(t);
    this.tasks.delete(taskId);
  }

  private get(taskId: unknown): Answer {
    const entry = typeof taskId === 'string' ? this.tasks.get(taskId) : undefined;
    return entry ? { result: { ...entry.task } } : invalid(`Task not found: ${String(taskId)}`);
  }

  private list(p: Record<string, unknown>): Answer {
    // One page holds every task, so no cursor is ever issued: any cursor is invalid.
    if (p.cursor !== undefined) return invalid(`Invalid cursor: ${String(p.cursor)}`);
    return { result: { tasks: [...this.tasks.values()].map((e) => ({ ...e.task })) } };
  }

  private cancel(taskId: unknown): Answer {
    const entry = typeof taskId === 'string' ? this.tasks.get(taskId) : undefined;
    if (!entry) return invalid(`Task not found: ${String(taskId)}`);
    if (TERMINAL.has(entry.task.status)) return invalid(`Cannot cancel task in terminal status: ${entry.task.status}`);
    entry.task.statusMessage = 'Cancelled by the requestor.';
    this.finish(entry, 'cancelled');
    return { result: { ...entry.task } };
  }

  /** Stops every timer (the client is closing). */
  close(): void {
    for (const e of this.tasks.values()) for (const t of e.timers) clearTimeout(t);
    for (const e of this.tasks.values()) for (const wake of e.waiters.splice(0)) wake();
  }
}
