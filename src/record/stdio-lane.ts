/**
 * One direction of the stdio tap: newline-delimited messages from one side, recorded and passed
 * on to the other, line by line, with the scenario's faults applied on the way. A line passes
 * unchanged (same bytes) unless a fault changes it: `drop` withholds a message (a batch keeps its
 * other elements, re-serialised), `delay` holds it and everything after it in this direction,
 * `garbage` writes a non-JSON line to the receiver just before a message.
 *
 * Recording: a message is recorded when it is released to the receiver (so a delayed message is
 * stamped with the time it was delivered); a dropped message appears only in its `fault` event,
 * since the receiver never saw it; inserted garbage is a `raw` event, after its `fault` event.
 */
import type { Direction } from '../vocabulary/trace.js';
import { recordFault, which } from './fault-events.js';
import {
  delayOf,
  describeMessage,
  type FaultHit,
  type FaultPlan,
  hitOf,
  type JsonObject,
  type MessageInfo,
  type MessageTracker,
  messagesOf,
  tryParse,
} from './fault-plan.js';
import { ByteLineSplitter } from './line-splitter.js';
import { ReleaseQueue } from './release-queue.js';
import type { Settler } from './settle.js';
import type { TraceWriter } from './trace-writer.js';

export interface LaneDeps {
  trace: TraceWriter;
  plan: FaultPlan;
  /** Shared by both directions: a response is paired with the request that went the other way. */
  tracker: MessageTracker;
  settler?: Settler;
}

export class StdioLane {
  private readonly lines = new ByteLineSplitter();
  private readonly queue = new ReleaseQueue();
  private readonly base: { dir: Direction; transport: 'stdio' };

  constructor(
    private readonly dir: Direction,
    private readonly deps: LaneDeps,
    private readonly write: (bytes: Buffer) => void,
  ) {
    this.base = { dir, transport: 'stdio' };
  }

  chunk(data: Buffer): void {
    for (const line of this.lines.push(data)) this.line(line);
  }

  /** The sender closed its side: a last line without a newline still goes through. */
  end(): void {
    const rest = this.lines.flush();
    if (rest) this.line(rest);
  }

  /** Resolves once every line received so far has been released. */
  drained(): Promise<void> {
    return this.queue.drained();
  }

  /** Releases everything held now (the receiver is going away). */
  flush(): void {
    this.queue.flush();
  }

  private line(bytes: Buffer): void {
    const { trace, plan, tracker, settler } = this.deps;
    const text = bytes.toString('utf8').replace(/\n$/, '').replace(/\r$/, '');
    settler?.touch();
    if (!text.trim()) {
      this.queue.push(0, () => this.write(bytes));
      return;
    }
    const parsed = tryParse(text);
    const { items, batch } = messagesOf(parsed);
    const infos = items.map((m) => tracker.info(this.dir, m));
    for (const info of infos) if (info) settler?.observe(info);
    if (plan.empty || !infos.some(Boolean)) {
      this.queue.push(0, () => {
        trace.writeJsonText(text, this.base);
        this.write(bytes);
      });
      return;
    }

    const hits = infos.map((info) => (info ? plan.evaluate(info, { transport: 'stdio' }) : []));
    const kept: JsonObject[] = [];
    const delays: { hit: FaultHit; info: MessageInfo }[] = [];
    const garbage: { hit: FaultHit; info: MessageInfo }[] = [];
    items.forEach((msg, i) => {
      const info = infos[i];
      const mine = hits[i]!;
      for (const hit of mine) if (hit.fault.kind === 'garbage' && info) garbage.push({ hit, info });
      const drop = hitOf(mine, 'drop');
      if (drop && info) {
        recordFault(trace, drop, `dropped ${describeMessage(info)}${which(drop)}`, { dir: this.dir, msg });
        return;
      }
      kept.push(msg);
      for (const hit of mine) if (hit.fault.kind === 'delay' && info) delays.push({ hit, info });
    });
    const delayMs = delayOf(delays.map((d) => d.hit));
    for (const d of delays)
      recordFault(trace, d.hit, `held ${describeMessage(d.info)} for ${delayOf([d.hit])} ms${which(d.hit)}`, {
        dir: this.dir,
        msg: d.info.msg,
      });

    for (const g of garbage) {
      this.queue.push(delayMs, () => {
        const line = (g.hit.fault as Extract<typeof g.hit.fault, { kind: 'garbage' }>).garbage;
        recordFault(trace, g.hit, `sent a line that is not JSON just before ${describeMessage(g.info)}${which(g.hit)}`, {
          dir: this.dir,
          msg: g.info.msg,
        });
        trace.writeJsonText(line, this.base);
        this.write(Buffer.from(`${line}\n`));
      });
    }
    if (!kept.length) return;
    const whole = kept.length === items.length;
    const outText = whole ? text : JSON.stringify(batch ? kept : kept[0]);
    const out = whole ? bytes : Buffer.from(`${outText}\n`);
    this.queue.push(delayMs, () => {
      trace.writeJsonText(outText, this.base);
      this.write(out);
    });
  }
}
