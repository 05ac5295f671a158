/**
 * Ordered delivery with delays: each item is released at its time, never before an item queued
 * earlier (a delayed message holds back what follows it on the same stream, as on a real link).
 * An item due now, with nothing queued before it, runs synchronously, so a recorder without
 * delays forwards and records in the same tick as before.
 */
import { monoMs } from './clock.js';

interface Item {
  at: number;
  run: () => void;
}

export class ReleaseQueue {
  private readonly items: Item[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastAt = 0;
  private readonly idle: (() => void)[] = [];

  /** Queues `run` for `delayMs` from now (and after everything queued before it). */
  push(delayMs: number, run: () => void): void {
    const at = Math.max(monoMs() + delayMs, this.lastAt);
    this.lastAt = at;
    this.items.push({ at, run });
    this.pump();
  }

  get pending(): number {
    return this.items.length;
  }

  /** Resolves once everything queued so far has run. */
  drained(): Promise<void> {
    if (!this.items.length) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Runs everything still queued now, ignoring the delays (the stream is ending). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const item of this.items.splice(0)) item.run();
    this.settleIdle();
  }

  private pump(): void {
    while (this.items.length && this.items[0]!.at <= monoMs()) this.items.shift()!.run();
    if (!this.items.length) {
      this.settleIdle();
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(0, this.items[0]!.at - monoMs()),
    );
  }

  private settleIdle(): void {
    for (const resolve of this.idle.splice(0)) resolve();
  }
}
