/**
 * The raw client driver: the harness's own MCP client, with no SDK. It speaks JSON-RPC over
 * stdio and Streamable HTTP itself, so that scenarios can send exactly what SDK clients refuse
 * to (a null ttl, a bad taskId, a modified cursor, invalid JSON, a request before initialize)
 * and mix that with the ordinary steps. Same contract as every client driver
 * (drivers/README.md): arguments, observations, exit codes.
 *
 *   client.js --scenario <file> --observations <out.jsonl> --transport stdio --server-command '<JSON argv>'
 *   client.js --scenario <file> --observations <out.jsonl> --transport http --url <url>
 */
import { monoMs } from '../../src/record/clock.js';
import { CONTRACT, EXIT } from '../../src/vocabulary/index.js';
import { errorMessage, log, unsupported } from '../common.js';
import { ObservationWriter } from '../observations.js';
import { CannedAnswers, withRelatedMeta } from './answers.js';
import { parseCommandLine } from './args.js';
import type { Channel } from './channel.js';
import { HttpChannel } from './http-channel.js';
import { type Answer, Peer, type TaskAnswer } from './peer.js';
import { TaskReceiver } from './receiver.js';
import { handshake, type SessionState, writeHello } from './session.js';
import { StdioChannel } from './stdio-channel.js';
import { StepRunner } from './steps.js';

async function main(): Promise<void> {
  const args = parseCommandLine();
  const { client } = args.input;
  if (args.transport.kind === 'stdio' && client.sessions.length > 1) {
    // The harness plans these cells unsupported already (src/plan/features.ts); say why if run by hand.
    unsupported(
      'option:sessions',
      'over stdio one server process is one session; a second session would be a second server, with nothing shared to isolate',
    );
  }
  const out = new ObservationWriter(args.observations);
  const answers = new CannedAnswers(client);
  // One receiver for the whole client: the server may poll a task from any session it knows.
  const receiver = client.tasks ? new TaskReceiver(client.tasks, answers) : undefined;
  const answer = async (method: string, params: unknown): Promise<Answer | TaskAnswer> => {
    if (receiver && method === 'tasks/result') return receiver.result(params);
    const own = receiver?.handle(method, params);
    if (own) return own.stored ? { answer: withRelatedMeta(own.answer, params), stored: own.stored } : own.answer;
    return answers.answer(method, params);
  };
  const sessions = new Map<string, SessionState>();
  let runner: StepRunner | undefined;

  for (const name of client.sessions) {
    const peer = new Peer(name, {
      answer: (method, params) => answer(method, params),
      incoming: (record) => {
        const token =
          record.params && typeof record.params === 'object' ? (record.params as Record<string, unknown>).progressToken : undefined;
        const step = record.method === 'notifications/progress' ? runner?.progressSteps.get(JSON.stringify(token)) : undefined;
        out.write({ type: 'incoming', ...record, session: name, ...(step !== undefined && { step }) });
      },
    });
    const channel: Channel =
      args.transport.kind === 'stdio' ? new StdioChannel(args.transport.argv, peer) : new HttpChannel(args.transport.url, peer);
    peer.attach(channel);
    sessions.set(name, { name, peer, tools: new Map() });
  }

  const closeAll = () => {
    receiver?.close();
    return Promise.all([...sessions.values()].map((s) => s.peer.transport.close().catch(() => {})));
  };
  for (const session of sessions.values()) {
    if (client.handshake === 'manual') {
      writeHello(out, session, undefined);
      continue;
    }
    try {
      const result = await handshake(session, client, CONTRACT.defaults.stepTimeoutMs);
      writeHello(out, session, result);
    } catch (err) {
      const message = `connect failed (session ${session.name}): ${errorMessage(err)}`;
      out.write({ type: 'end', at: monoMs(), ok: false, error: message });
      process.stderr.write(`error: ${message}\n`);
      await closeAll();
      process.exit(EXIT.driverError);
    }
  }

  runner = new StepRunner(sessions, client.sessions[0]!, out);
  for (const [index, step] of client.steps.entries()) {
    log('step', { index, kind: step.kind, session: step.session ?? client.sessions[0] });
    await runner.run(step, index);
  }

  out.write({ type: 'end', at: monoMs(), ok: true });
  await closeAll();
  process.exit(EXIT.ok);
}

main().catch((err) => {
  process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(EXIT.driverError);
});
