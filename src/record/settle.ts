/**
 * Teardown that does not depend on how fast the client hangs up.
 *
 * When the client closes (stdin EOF on stdio; a DELETE, or the end of the cell, on HTTP) the
 * recorder does not pass that on to the server at once: it first lets the conversation settle,
 * until every request the client sent has been answered, every task the server created has been
 * reported terminal on the wire (a status notification, a tasks/get or tasks/cancel result, a
 * tasks/result answer, or an error about it), and nothing has gone by for `quietMs`; or `maxMs`
 * after the hang-up at the latest.
 * Without this, a message the server sends just after the client's last step (the status
 * notification of a task that has just finished, say) is recorded in some runs and not in others,
 * depending on how long the client took to close; with it, what is judged depends on the server's
 * own schedule only. `maxMs` stays below the 2 s both SDK stdio clients wait before killing the
 * server process.
 */
import { monoMs, sleep } from './clock.js';
import type { JsonObject, MessageInfo } from './fault-plan.js';

export const SETTLE = { quietMs: 200, maxMs: 1000 } as const;

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const TASK_METHODS = new Set(['tasks/get', 'tasks/result', 'tasks/cancel']);

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface SettleResult {
  waitedMs: number;
  /** Tasks still not terminal when the wait ended (the wait then hit `maxMs`). */
  open: string[];
  /** Client requests still unanswered then. */
  unanswered: number;
}

export class Settler {
  /** Tasks the server owns that the wire has not yet shown terminal. */
  private readonly open = new Set<string>();
  /** The client's requests the server has not answered yet. */
  private readonly unanswered = new Set<JsonObject>();
  private last = monoMs();

  constructor(private readonly opts: { quietMs: number; maxMs: number } = SETTLE) {}

  /** Something went by (a message, a stream opening or closing, a hang-up). */
  touch(): void {
    this.last = monoMs();
  }

  /** Follows the server's tasks through the messages it sends. */
  observe(info: MessageInfo): void {
    this.touch();
    if (info.dir === 'c2s') {
      if (info.type === 'request') this.unanswered.add(info.msg);
      return;
    }
    const { msg } = info;
    if (info.type === 'response' && info.request) this.unanswered.delete(info.request);
    if (info.type === 'notification') {
      if (info.method === 'notifications/tasks/status' && isObject(msg.params)) this.status(msg.params);
      return;
    }
    if (info.type !== 'response') return;
    const result = isObject(msg.result) ? msg.result : undefined;
    const askedAbout = isObject(info.request?.params) ? info.request.params.taskId : undefined;
    if (info.method && TASK_METHODS.has(info.method) && typeof askedAbout === 'string') {
      // A tasks/result answer, or any error about the task: nothing more will come for it.
      if (info.method === 'tasks/result' || !result) {
        this.open.delete(askedAbout);
        return;
      }
    }
    if (!result) return;
    if (isObject(result.task))
      this.status(result.task); // a CreateTaskResult
    else if (info.method === 'tasks/list' && Array.isArray(result.tasks))
      for (const t of result.tasks)
        if (isObject(t)) this.status(t);
        else if (typeof result.taskId === 'string' && 'status' in result) this.status(result);
  }

  private status(task: JsonObject): void {
    if (typeof task.taskId !== 'string') return;
    if (typeof task.status === 'string' && TERMINAL.has(task.status)) this.open.delete(task.taskId);
    else this.open.add(task.taskId);
  }

  /**
   * Waits until the server's tasks are terminal and nothing has gone by for `quietMs` (the caller
   * touches at the hang-up), at most `maxMs` from now.
   */
  async settled(): Promise<SettleResult> {
    const start = monoMs();
    for (;;) {
      const now = monoMs();
      const quiet = now - this.last >= this.opts.quietMs;
      if ((quiet && this.open.size === 0 && this.unanswered.size === 0) || now - start >= this.opts.maxMs) {
        return { waitedMs: Math.round(now - start), open: [...this.open], unanswered: this.unanswered.size };
      }
      await sleep(Math.min(25, Math.max(1, this.opts.maxMs - (now - start))));
    }
  }
}
