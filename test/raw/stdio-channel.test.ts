import { describe, expect, it } from 'vitest';
import { Peer } from '../../drivers/raw/peer.js';
import { StdioChannel } from '../../drivers/raw/stdio-channel.js';

/**
 * A child that echoes: for each request line it answers {echo: method} with the same id, in two
 * writes split mid-message; a line "bye" makes it write garbage and exit.
 */
const ECHO = `
const rl = require('node:readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let msg;
  try { msg = JSON.parse(line); } catch { process.stdout.write('not json\\n'); return; }
  if (msg.method === 'bye') { process.exit(3); }
  if (!('id' in msg)) return;
  const text = JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { echo: msg.method, params: msg.params ?? null } });
  // One answer after the other, each in two writes 15 ms apart.
  chain = chain.then(() => new Promise((done) => {
    process.stdout.write(text.slice(0, 10));
    setTimeout(() => { process.stdout.write(text.slice(10) + '\\n'); done(); }, 15);
  }));
});
let chain = Promise.resolve();`;

function start() {
  const closed: string[] = [];
  const peer = new Peer('main', {
    answer: async () => ({ result: {} }),
    incoming: () => {},
  });
  const events = {
    onMessage: (v: unknown) => peer.onMessage(v),
    onUnparsable: () => {},
    onClosed: (r: string) => {
      closed.push(r);
      peer.onClosed(r);
    },
  };
  const channel = new StdioChannel([process.execPath, '-e', ECHO], events);
  peer.attach(channel);
  return { peer, channel, closed };
}

describe('raw client over stdio', () => {
  it('writes one line per message and reassembles answers split across chunks', async () => {
    const { peer, channel } = start();
    const a = peer.request('tasks/get', { taskId: 'x' }, 3000);
    const b = peer.request('tasks/list', undefined, 3000, 'str-id');
    expect(await a).toMatchObject({ ok: true, result: { echo: 'tasks/get', params: { taskId: 'x' } } });
    expect(await b).toMatchObject({ ok: true, result: { echo: 'tasks/list' }, response: { id: 'str-id' } });
    await channel.close();
  });

  it('records that nothing came back for a line the server cannot parse', async () => {
    const { peer, channel } = start();
    const reply = await peer.sendRaw('{"jsonrpc":"2.0",', 300);
    expect(reply).toMatchObject({ ok: false, nothing: true, error: { local: true } });
    expect(await peer.request('ping', undefined, 3000)).toMatchObject({ ok: true });
    await channel.close();
  });

  it('fails pending requests at once when the server process exits', async () => {
    const { peer, channel, closed } = start();
    const pending = peer.request('tasks/result', { taskId: 'x' }, 5000, 'never');
    const started = Date.now();
    await peer.notify('bye', undefined);
    const reply = await pending;
    expect(Date.now() - started).toBeLessThan(4000);
    expect(reply).toMatchObject({ ok: false, error: { code: null, local: true, message: expect.stringMatching(/exited/) } });
    expect(closed[0]).toMatch(/code 3/);
    await channel.close();
  });

  it('close ends the child within its deadline', async () => {
    const { channel, closed } = start();
    await channel.close();
    expect(closed).toHaveLength(1);
  });
});
