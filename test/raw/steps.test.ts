import { describe, expect, it } from 'vitest';
import { CannedAnswers } from '../../drivers/raw/answers.js';
import { Peer } from '../../drivers/raw/peer.js';
import type { SessionState } from '../../drivers/raw/session.js';
import { StepRunner } from '../../drivers/raw/steps.js';
import { ClientSection, ClientStep, CONTRACT } from '../../src/vocabulary/index.js';
import { FakeServer, type Handler } from './fake-server.js';

type Rec = Record<string, unknown> & { type: string };

function setup(handler: Handler, opts: { capabilities?: unknown; client?: unknown; sessions?: string[] } = {}) {
  const records: Rec[] = [];
  const out = { write: (r: Rec) => records.push(r) };
  const client = ClientSection.parse(opts.client ?? { steps: ['listTools'] });
  const answers = new CannedAnswers(client);
  const sessions = new Map<string, SessionState>();
  const servers = new Map<string, FakeServer>();
  for (const name of opts.sessions ?? ['main']) {
    const peer = new Peer(name, {
      answer: async (method, params) => answers.answer(method, params),
      incoming: (r) => out.write({ type: 'incoming', ...r, session: name }),
    });
    const server = new FakeServer(handler).attachTo(peer);
    peer.attach(server);
    servers.set(name, server);
    sessions.set(name, { name, peer, tools: new Map(), serverCapabilities: opts.capabilities });
  }
  const runner = new StepRunner(sessions, [...sessions.keys()][0]!, out);
  const run = async (step: unknown, index = 0) => {
    await runner.run(ClientStep.parse(step), index);
    return records.filter((r) => r.type === 'step').at(-1)!;
  };
  return { records, run, server: servers.get([...servers.keys()][0]!)!, servers };
}

const TOOLS_CALL = { tasks: { requests: { tools: { call: {} } } } };
let n = 0;
const created = () => ({ result: { task: { taskId: `t${++n}`, status: 'working', ttl: 1000, pollInterval: 20 } } });

describe('raw client steps', () => {
  it('callTask sends task {ttl} (or task {}) with a progressToken, and keeps every id of a repeat', async () => {
    const { run, server } = setup((m) => (m === 'tools/call' ? created() : undefined));
    const rec = await run({ callTask: 'job', ttl: 1000, repeat: 3, as: 'many' });
    expect(rec).toMatchObject({ ok: true, kind: 'callTask', session: 'main' });
    expect((rec.taskIds as string[]).length).toBe(3);
    expect(rec.taskId).toBe((rec.taskIds as string[])[2]);
    const calls = server.requests('tools/call');
    expect(calls).toHaveLength(3);
    expect(calls[0]!.params).toMatchObject({ name: 'job', task: { ttl: 1000 }, _meta: { progressToken: expect.any(String) } });
    await run({ callTask: 'job', as: 'one' }, 1);
    expect(server.requests('tools/call')[3]!.params).toMatchObject({ task: {} });
    expect((server.requests('tools/call')[3]!.params as { task: object }).task).toEqual({});
  });

  it('callTask fails locally when the answer is not a CreateTaskResult', async () => {
    const { run } = setup(() => ({ result: { content: [] } }));
    const rec = await run({ callTask: 'job', as: 't' });
    expect(rec).toMatchObject({ ok: false, error: { code: null, local: true } });
  });

  it('a step of an alias without a task id fails locally without sending anything', async () => {
    const { run, server } = setup(() => ({ error: { code: -32602, message: 'no' } }));
    const first = await run({ callTask: 'job', as: 't' });
    expect(first).toMatchObject({ ok: false, error: { code: -32602 } });
    const rec = await run({ getTask: 't' }, 1);
    expect(rec).toMatchObject({ ok: false, error: { local: true } });
    expect(server.requests('tasks/get')).toHaveLength(0);
  });

  it('poll waits the pollInterval between tasks/get and stops at a status in `until`', async () => {
    let gets = 0;
    const { run } = setup((m, p) => {
      if (m === 'tools/call') return created();
      if (m === 'tasks/get')
        return { result: { taskId: (p as { taskId: string }).taskId, status: ++gets < 3 ? 'working' : 'completed', pollInterval: 60 } };
      return undefined;
    });
    await run({ callTask: 'job', as: 't' });
    const rec = await run({ poll: 't' }, 1);
    expect(rec).toMatchObject({ ok: true, polledBy: 'driver' });
    const polls = rec.polls as { at: number; status: string }[];
    expect(polls.map((p) => p.status)).toEqual(['working', 'working', 'completed']);
    expect(polls[1]!.at - polls[0]!.at).toBeGreaterThanOrEqual(55);
  });

  it('poll ends with a local error at a terminal status not in `until`', async () => {
    const { run } = setup((m) => (m === 'tools/call' ? created() : { result: { status: 'failed' } }));
    await run({ callTask: 'job', as: 't' });
    const rec = await run({ poll: 't', until: ['input_required'] }, 1);
    expect(rec).toMatchObject({ ok: false, error: { local: true, message: expect.stringMatching(/ended failed/) } });
  });

  it('poll gives up at the step timeout with a local error, sending nothing after it', async () => {
    const { run, server } = setup((m) => (m === 'tools/call' ? created() : { result: { status: 'working', pollInterval: 30 } }));
    await run({ callTask: 'job', as: 't' });
    const rec = await run({ poll: 't', timeoutMs: 150 }, 1);
    expect(rec).toMatchObject({ ok: false, error: { code: null, local: true, message: expect.stringMatching(/timeout/) } });
    const gets = server.requests('tasks/get').length;
    expect(gets).toBeGreaterThan(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.requests('tasks/get')).toHaveLength(gets);
    expect((rec.endedAt as number) - (rec.startedAt as number)).toBeLessThan(400);
  });

  it('listTasks all follows nextCursor to the end and records each page with its cursor', async () => {
    const pages: Record<string, unknown> = {
      none: { tasks: [{ taskId: 'a' }], nextCursor: 'c1' },
      c1: { tasks: [{ taskId: 'b' }], nextCursor: 'c2' },
      c2: { tasks: [{ taskId: 'c' }] },
    };
    const { run, server } = setup((m, p) =>
      m === 'tasks/list' ? { result: pages[(p as { cursor?: string })?.cursor ?? 'none'] } : undefined,
    );
    const rec = await run({ listTasks: null, all: true });
    expect(rec.ok).toBe(true);
    expect(rec.pages).toEqual([{ result: pages.none }, { cursor: 'c1', result: pages.c1 }, { cursor: 'c2', result: pages.c2 }]);
    expect(server.requests('tasks/list').map((r) => r.params)).toEqual([undefined, { cursor: 'c1' }, { cursor: 'c2' }]);
  });

  it('listTasks all stops with a local error when a cursor comes back twice', async () => {
    const { run } = setup(() => ({ result: { tasks: [], nextCursor: 'same' } }));
    const rec = await run({ listTasks: null, all: true });
    expect(rec).toMatchObject({ ok: false, error: { local: true, message: expect.stringMatching(/second time/) } });
  });

  it('awaitTask with augment auto sends task only when the server declares it and the tool allows it', async () => {
    const tools = { tools: [{ name: 'opt', execution: { taskSupport: 'optional' } }, { name: 'plain' }] };
    const handler: Handler = (m, p) => {
      if (m === 'tools/list') return { result: tools };
      if (m === 'tools/call')
        return (p as { task?: object }).task ? created() : { result: { content: [{ type: 'text', text: 'inline' }] } };
      if (m === 'tasks/get') return { result: { taskId: (p as { taskId: string }).taskId, status: 'completed' } };
      if (m === 'tasks/result') return { result: { content: [{ type: 'text', text: 'done' }] } };
      return undefined;
    };
    const declared = setup(handler, { capabilities: TOOLS_CALL });
    await declared.run('listTools');
    const viaTask = await declared.run({ awaitTask: 'opt', augment: 'auto' }, 1);
    expect(viaTask).toMatchObject({ ok: true, created: true, result: { content: [{ text: 'done' }] } });
    const plain = await declared.run({ awaitTask: 'plain', augment: 'auto' }, 2);
    expect(plain).toMatchObject({ ok: true, created: false, result: { content: [{ text: 'inline' }] } });

    const undeclared = setup(handler, { capabilities: {} });
    await undeclared.run('listTools');
    expect(await undeclared.run({ awaitTask: 'opt', augment: 'auto' }, 1)).toMatchObject({ created: false });
    expect(undeclared.server.requests('tools/call')[0]!.params).not.toHaveProperty('task');
  });

  it('send substitutes {{alias}} and {{step.path}} and records the error code exactly', async () => {
    const { run, server } = setup((m, p) => {
      if (m === 'tools/call') return created();
      if (m === 'tasks/list' && (p as { cursor?: string } | undefined)?.cursor === undefined)
        return { result: { tasks: [], nextCursor: 'abc' } };
      return { error: { code: -32602, message: 'Invalid cursor' } };
    });
    await run({ callTask: 'job', as: 't' });
    await run({ listTasks: null, name: 'page1' }, 1);
    const rec = await run({ send: 'tasks/list', params: { cursor: '{{page1.nextCursor}}x', taskId: '{{t}}' }, id: 'mine' }, 2);
    expect(rec).toMatchObject({ ok: false, error: { code: -32602, message: 'Invalid cursor' }, id: 'mine' });
    const sent = server.sent.at(-1)!;
    expect(sent).toMatchObject({ id: 'mine', method: 'tasks/list', params: { cursor: 'abcx' } });
    expect((sent.params as { taskId: string }).taskId).toMatch(/^t\d+$/);
  });

  it('send with an unresolved template fails locally and sends nothing', async () => {
    const { run, server } = setup(() => ({ result: {} }));
    const rec = await run({ send: 'tasks/get', params: { taskId: '{{s9-x.task.taskId}}' } });
    expect(rec).toMatchObject({ ok: false, error: { local: true } });
    expect(server.sent).toHaveLength(0);
  });

  it('a send notification expects no answer; notifications/initialized opens the session', async () => {
    const { run, server } = setup(() => undefined);
    const rec = await run({ send: 'notifications/initialized', notification: true });
    expect(rec.ok).toBe(true);
    expect(server.sent[0]).toEqual({ jsonrpc: '2.0', method: 'notifications/initialized' });
    expect(server.initializedCalls).toBe(1);
  });

  it('sendRaw sends the exact text and records a missing answer as a local error', async () => {
    const { run, server } = setup(() => undefined);
    const rec = await run({ sendRaw: '{"jsonrpc":"2.0","id":7,', timeoutMs: 100 });
    expect(server.raw).toEqual(['{"jsonrpc":"2.0","id":7,']);
    expect(rec).toMatchObject({ ok: false, nothing: true, error: { code: null, local: true } });
  });

  it('runs each step on the session it names', async () => {
    const { run, servers } = setup(() => ({ result: { tasks: [] } }), { sessions: ['a', 'b'] });
    const rec = await run({ listTasks: null, session: 'b' });
    expect(rec.session).toBe('b');
    expect(servers.get('a')!.sent).toHaveLength(0);
    expect(servers.get('b')!.requests('tasks/list')).toHaveLength(1);
  });
});

describe('raw client answers to server requests', () => {
  it('answers elicitation with the canned answers in order, then cancel, with the related-task _meta of the request', async () => {
    const client = { elicitation: [{ action: 'accept', content: { name: 'Ada' } }], steps: ['listTools'] };
    const { server, records } = setup(() => undefined, { client });
    const meta = { [CONTRACT.relatedTaskKey]: { taskId: 'T1' } };
    server.push({ jsonrpc: '2.0', id: 0, method: 'elicitation/create', params: { message: 'Name?', _meta: meta } });
    server.push({ jsonrpc: '2.0', id: 'x', method: 'elicitation/create', params: { message: 'Again?' } });
    await new Promise((r) => setTimeout(r, 20));
    expect(server.sent).toEqual([
      { jsonrpc: '2.0', id: 0, result: { action: 'accept', content: { name: 'Ada' }, _meta: meta } },
      { jsonrpc: '2.0', id: 'x', result: { action: 'cancel' } },
    ]);
    expect(records.filter((r) => r.type === 'incoming')).toHaveLength(2);
  });

  it('answers sampling from the canned list, then refuses with the contract code; unknown methods get -32601', async () => {
    const client = { sampling: [{ text: 'hi' }], steps: ['listTools'] };
    const { server } = setup(() => undefined, { client });
    server.push({ jsonrpc: '2.0', id: 1, method: 'sampling/createMessage', params: {} });
    server.push({ jsonrpc: '2.0', id: 2, method: 'sampling/createMessage', params: {} });
    server.push({ jsonrpc: '2.0', id: 3, method: 'roots/list' });
    server.push({ jsonrpc: '2.0', id: 4, method: 'ping' });
    await new Promise((r) => setTimeout(r, 20));
    expect(server.sent[0]).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: { role: 'assistant', content: { type: 'text', text: 'hi' }, model: 'interop-model', stopReason: 'endTurn' },
    });
    expect(server.sent[1]).toMatchObject({ id: 2, error: { code: CONTRACT.samplingRefusedCode } });
    expect(server.sent[2]).toMatchObject({ id: 3, error: { code: -32601 } });
    expect(server.sent[3]).toEqual({ jsonrpc: '2.0', id: 4, result: {} });
  });
});
