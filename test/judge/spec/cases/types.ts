import type { Blame, CellRecord } from '../../../../src/judge/types.js';

/** One small trace a check must judge a certain way. */
export interface CheckCase {
  check: string;
  name: string;
  outcome: 'pass' | 'fail' | 'n/a';
  /** For failures: who is blamed, and a message pattern. */
  blame?: Blame;
  message?: RegExp;
  build(): { record: CellRecord; evidence?: number[] };
}
