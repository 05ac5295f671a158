/** Parsers of command-line values; each rejects bad input with a message naming what was expected. */
import { InvalidArgumentError } from 'commander';
import type { ImplRef } from '../plan/plan.js';
import { parseImplRef, parseReleaseList, type ReleaseSpec, ReleaseSpecError } from '../sdks/release-spec.js';
import type { Transport } from '../vocabulary/driver.js';

export const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

export const transports = (value: string): Transport[] => {
  const ts = list(value);
  for (const t of ts) if (t !== 'stdio' && t !== 'http') throw new InvalidArgumentError(`expected stdio and/or http, got "${t}"`);
  return ts as Transport[];
};

function rethrow<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ReleaseSpecError) throw new InvalidArgumentError(err.message);
    throw err;
  }
}

/** `ts,ts-mcp@1.29.0,py` → implementation refs (a comma inside a path is not supported). */
export const implRefs = (value: string): ImplRef[] => rethrow(() => list(value).map(parseImplRef));

export const releaseList = (value: string): ReleaseSpec[] => rethrow(() => parseReleaseList(value));

/** `--release ts=1.29.0,latest` (repeatable): the release axis of any SDK, for driver folders beyond ts and py. */
export const releaseAssignment = (value: string, previous: Map<string, ReleaseSpec[]> = new Map()): Map<string, ReleaseSpec[]> => {
  const eq = value.indexOf('=');
  if (eq < 1) throw new InvalidArgumentError(`expected <sdk>=<releases>, e.g. ts=1.29.0,latest (got "${value}")`);
  return new Map(previous).set(value.slice(0, eq), releaseList(value.slice(eq + 1)));
};
