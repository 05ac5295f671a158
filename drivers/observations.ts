/**
 * The --observations file: JSON Lines appended with a synchronous write per record, so that
 * everything written so far survives if the driver dies. Each record is checked against the
 * vocabulary's ObservationRecord first; a mismatch is a driver bug, reported on stderr (and the
 * record still written, so the judge sees and rejects it too).
 */
import { openSync, writeSync } from 'node:fs';
import { ObservationRecord } from '../src/vocabulary/index.js';
import { log } from './common.js';

/** Where a driver's observation records go (a file; tests may pass another sink). */
export interface ObservationSink {
  write(record: Record<string, unknown> & { type: string }): void;
}

export class ObservationWriter implements ObservationSink {
  private readonly fd: number;

  constructor(path: string) {
    this.fd = openSync(path, 'a');
  }

  write(record: Record<string, unknown> & { type: string }): void {
    const check = ObservationRecord.safeParse(record);
    if (!check.success) log('driver-bug', { problem: 'observation does not match ObservationRecord', issues: check.error.issues, record });
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }
}
