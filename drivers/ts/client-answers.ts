/**
 * What a TS client session answers the server, for both client flavours: elicitation/create and
 * sampling/createMessage from the scenario's canned lists (shared by every session, used in
 * order), and, when `client.tasks` makes the client a task receiver, the same answers given as a
 * task: the handler creates the task in the SDK's `extra.taskStore` (ttl from the client's policy,
 * its pollInterval), answers the CreateTaskResult at once, and stores the canned answer as the
 * task's result `answerDelayMs` later; the SDK serves the server's tasks/get, tasks/result,
 * tasks/list and tasks/cancel from that store (Protocol installs those handlers when given a taskStore). Notifications are recorded too.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestTaskStore } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CreateMessageRequestSchema,
  type CreateMessageResult,
  ElicitRequestSchema,
  type ElicitResult,
  McpError,
  type Task,
  TaskStatusNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { CONTRACT, type DriverInput } from '../../src/vocabulary/index.js';
import { errorMessage, log, monoMs } from '../common.js';
import type { ObservationWriter } from '../observations.js';
import { chooseTtl } from './ttl-policy.js';

type ClientSection = DriverInput['client'];

/** The canned answers, consumed by every session in order, and the receiver's answers still to be stored. */
export class Answers {
  private readonly elicitation: ClientSection['elicitation'];
  private readonly sampling: ClientSection['sampling'];
  /** Receiver tasks whose answer is not stored yet: writes their record without an answer. */
  private readonly pending = new Map<NodeJS.Timeout, () => void>();

  constructor(
    readonly client: ClientSection,
    readonly out: ObservationWriter,
  ) {
    this.elicitation = [...client.elicitation];
    this.sampling = [...client.sampling];
  }

  nextElicitation(): ElicitResult {
    const next = this.elicitation.shift();
    // When the list runs out the client answers `cancel` (contract).
    return next
      ? { action: next.action, ...(next.content !== undefined && { content: next.content as ElicitResult['content'] }) }
      : { action: 'cancel' };
  }

  /** The next sampling answer, or undefined when none is left (the client then answers an error). */
  nextSampling(): CreateMessageResult | undefined {
    const next = this.sampling.shift();
    return next && { role: 'assistant', content: { type: 'text', text: next.text }, model: next.model, stopReason: 'endTurn' };
  }

  /** Stores `answer` as the receiver task's result after the delay, then records the request. */
  storeLater(store: RequestTaskStore, created: Task, answer: ElicitResult | CreateMessageResult, record: Record<string, unknown>): void {
    const write = (extra: Record<string, unknown>) => this.out.write({ type: 'incoming', ...record, createdTask: created, ...extra });
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      store.storeTaskResult(created.taskId, 'completed', answer).then(
        () => write({ answer }),
        // Cancelled or expired first: the store refuses (the answer never became the task's result).
        (err) => write({ answerError: { code: null, message: `answer not stored: ${errorMessage(err)}`, local: true } }),
      );
    }, this.client.tasks?.answerDelayMs ?? 0);
    this.pending.set(timer, () => write({}));
  }

  /** At the end of the run: the receiver tasks never answered are recorded with their CreateTaskResult only. */
  flush(): void {
    for (const [timer, write] of this.pending) {
      clearTimeout(timer);
      write();
    }
    this.pending.clear();
  }
}

/**
 * The receiver's side of a task-augmented request: create the task and schedule the answer.
 * `extra.taskStore` is there because the client has a taskStore (client-host.ts).
 */
async function answerAsTask(
  answers: Answers,
  store: RequestTaskStore | undefined,
  requested: number | null | undefined,
  answer: ElicitResult | CreateMessageResult,
  record: Record<string, unknown>,
): Promise<{ task: Task }> {
  const policy = answers.client.tasks;
  if (!store || !policy) throw new McpError(-32603, 'no task store'); // cannot happen: the SDK rejects task requests the client did not declare
  const task = await store.createTask({ ttl: chooseTtl(policy.ttl, requested), pollInterval: policy.pollInterval });
  // InMemoryTaskStore hands out its stored object, which changes later: record it as it was now.
  const created = { ...task };
  log('receiver-task-created', { taskId: task.taskId, method: record.method });
  answers.storeLater(store, created, answer, record);
  return { task };
}

export function installAnswers(client: Client, session: string, answers: Answers): void {
  const { out } = answers;

  client.setRequestHandler(ElicitRequestSchema, async (request, extra) => {
    const record = { at: monoMs(), method: request.method, params: request.params, session };
    const answer = answers.nextElicitation();
    if (request.params.task !== undefined) return answerAsTask(answers, extra.taskStore, extra.taskRequestedTtl, answer, record);
    out.write({ type: 'incoming', ...record, answer });
    return answer;
  });

  client.setRequestHandler(CreateMessageRequestSchema, async (request, extra) => {
    const record = { at: monoMs(), method: request.method, params: request.params, session };
    const answer = answers.nextSampling();
    if (!answer) {
      // Refused at once, as a task or not: there is nothing to work on.
      const error = new McpError(CONTRACT.samplingRefusedCode, 'User rejected sampling request (no canned answer left)');
      // Recorded as it goes on the wire: the SDK sends error.message, which McpError has prefixed with "MCP error -1: ".
      out.write({ type: 'incoming', ...record, answerError: { code: error.code, message: error.message } });
      throw error;
    }
    if (request.params.task !== undefined) return answerAsTask(answers, extra.taskStore, extra.taskRequestedTtl, answer, record);
    out.write({ type: 'incoming', ...record, answer });
    return answer;
  });

  // Status notifications are advisory; record them. Progress is recorded by each step's onprogress
  // (the SDK consumes notifications/progress itself); every other notification goes to the fallback.
  client.setNotificationHandler(TaskStatusNotificationSchema, async (n) => {
    out.write({ type: 'incoming', at: monoMs(), method: n.method, params: n.params, session });
  });
  client.fallbackNotificationHandler = async (n) => {
    out.write({ type: 'incoming', at: monoMs(), method: n.method, ...(n.params !== undefined && { params: n.params }), session });
  };
}
