import { afterEach, describe, expect, it } from 'vitest';
import { CannedAnswers } from '../../drivers/raw/answers.js';
import { type IncomingFields, Peer } from '../../drivers/raw/peer.js';
import { TaskReceiver } from '../../drivers/raw/receiver.js';
import { ClientSection, CONTRACT } from '../../src/vocabulary/index.js';
import { FakeServer } from './fake-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let receivers: TaskReceiver[] = [];
afterEach(() => {
  for (const r of receivers) r.close();
  receivers = [];
});

function receiver(tasks: Record<string, unknown> = {}, answers: Record<string, unknown> = {}) {
  const client = ClientSection.parse({ steps: ['listTools'], tasks, ...answers });
  const r = new TaskReceiver(client.tasks!, new CannedAnswers(client));
  receivers.push(r);
  return r;
}

function createdTask(out: ReturnType<TaskReceiver['handle']>): Record<string, unknown> {
  const answer = out!.answer as { result: { task: Record<string, unknown> } };
  return answer.result.task;
}

describe('raw client as task receiver', () => {
  it('answers a declared task-augmented elicitation with a working task, then stores the canned answer', async () => {
    const r = receiver({ answerDelayMs: 50, pollInterval: 70 }, { elicitation: [{ action: 'accept', content: { name: 'Ada' } }] });
    const out = r.handle('elicitation/create', { message: 'Name?', task: { ttl: 5000 } });
    const task = createdTask(out);
    expect(task).toMatchObject({ status: 'working', ttl: 5000, pollInterval: 70, taskId: expect.any(String) });
    expect(r.handle('tasks/get', { taskId: task.taskId })!.answer).toMatchObject({ result: { status: 'working' } });
    expect(await out!.stored).toEqual({ result: { action: 'accept', content: { name: 'Ada' } } });
    expect(r.handle('tasks/get', { taskId: task.taskId })!.answer).toMatchObject({ result: { status: 'completed' } });
    expect(await r.result({ taskId: task.taskId })).toEqual({
      result: { action: 'accept', content: { name: 'Ada' }, _meta: { [CONTRACT.relatedTaskKey]: { taskId: task.taskId } } },
    });
  });

  it('leaves requests it did not declare, and plain ones, to the ordinary answers', () => {
    const r = receiver({ sampling: false, list: false });
    expect(r.handle('sampling/createMessage', { task: { ttl: 1000 } })).toBeUndefined();
    expect(r.handle('elicitation/create', { message: 'plain' })).toBeUndefined();
    expect(r.handle('tasks/list', {})).toBeUndefined();
  });

  it('tasks/result blocks until the task is terminal', async () => {
    const r = receiver({ answerDelayMs: 80 });
    const task = createdTask(r.handle('elicitation/create', { task: {} }));
    const started = Date.now();
    const result = await r.result({ taskId: task.taskId });
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
    expect(result).toMatchObject({ result: { action: 'cancel' } });
  });

  it('applies its ttl policy: the default without a request, the max as a cap', () => {
    const r = receiver({ ttl: { default: 1234, max: 2000 } });
    expect(createdTask(r.handle('elicitation/create', { task: {} })).ttl).toBe(1234);
    expect(createdTask(r.handle('elicitation/create', { task: { ttl: 999999 } })).ttl).toBe(2000);
    const fixed = receiver({ ttl: { default: null, honourRequested: false } });
    expect(createdTask(fixed.handle('elicitation/create', { task: { ttl: 10 } })).ttl).toBeNull();
  });

  it('cancels a working task once; a terminal or unknown one is -32602', async () => {
    const r = receiver({ answerDelayMs: 1000 });
    const task = createdTask(r.handle('elicitation/create', { task: {} }));
    expect(r.handle('tasks/cancel', { taskId: task.taskId })!.answer).toMatchObject({ result: { status: 'cancelled' } });
    expect(r.handle('tasks/cancel', { taskId: task.taskId })!.answer).toMatchObject({ error: { code: -32602 } });
    expect(r.handle('tasks/cancel', { taskId: 'nope' })!.answer).toMatchObject({ error: { code: -32602 } });
    expect(await r.result({ taskId: task.taskId })).toMatchObject({ error: { code: -32603 } });
  });

  it('lists every task in one page and rejects any cursor', () => {
    const r = receiver();
    const a = createdTask(r.handle('elicitation/create', { task: {} }));
    const b = createdTask(r.handle('sampling/createMessage', { task: {} }));
    const listed = r.handle('tasks/list', {})!.answer as { result: { tasks: { taskId: string }[]; nextCursor?: string } };
    expect(listed.result.tasks.map((t) => t.taskId)).toEqual([a.taskId, b.taskId]);
    expect(listed.result.nextCursor).toBeUndefined();
    expect(r.handle('tasks/list', { cursor: 'x' })!.answer).toMatchObject({ error: { code: -32602 } });
  });

  it('a refused sampling request ends the task failed, and tasks/result gives that error', async () => {
    const r = receiver({ answerDelayMs: 10 });
    const out = r.handle('sampling/createMessage', { task: {} });
    const task = createdTask(out);
    await out!.stored;
    expect(r.handle('tasks/get', { taskId: task.taskId })!.answer).toMatchObject({ result: { status: 'failed' } });
    expect(await r.result({ taskId: task.taskId })).toMatchObject({ error: { code: CONTRACT.samplingRefusedCode } });
  });

  it('deletes a task once its ttl has elapsed', async () => {
    const r = receiver({ answerDelayMs: 0 });
    const task = createdTask(r.handle('elicitation/create', { task: { ttl: 30 } }));
    await sleep(80);
    expect(r.handle('tasks/get', { taskId: task.taskId })!.answer).toMatchObject({ error: { code: -32602 } });
  });
});

describe('a task the client creates, on the wire and in the record', () => {
  it('sends the CreateTaskResult at once and records the request once the task stored its answer', async () => {
    const r = receiver({ answerDelayMs: 60 }, { elicitation: [{ action: 'decline' }] });
    const records: IncomingFields[] = [];
    const peer = new Peer('main', {
      answer: async (method, params) => {
        const own = r.handle(method, params);
        return own?.stored ? { answer: own.answer, stored: own.stored } : { error: { code: -32601, message: 'no' } };
      },
      incoming: (rec) => records.push(rec),
    });
    const server = new FakeServer(() => undefined).attachTo(peer);
    peer.attach(server);
    server.push({ jsonrpc: '2.0', id: 'e1', method: 'elicitation/create', params: { message: '?', task: { ttl: 1000 } } });
    await sleep(20);
    expect(server.sent[0]).toMatchObject({ id: 'e1', result: { task: { status: 'working' } } });
    expect(records).toHaveLength(0);
    await sleep(100);
    expect(records).toEqual([
      expect.objectContaining({
        method: 'elicitation/create',
        id: 'e1',
        createdTask: { task: expect.objectContaining({ ttl: 1000 }) },
        answer: { action: 'decline' },
      }),
    ]);
  });
});
