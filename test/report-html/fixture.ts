/** The recorded run in test/fixtures/report-run, copied where a test may write its report. */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CellOutcome } from '../../src/judge/baseline.js';
import { ROOT } from '../../src/paths.js';
import type { TraceEvent } from '../../src/vocabulary/trace.js';
import { tempDir } from '../helpers.js';

export const FIXTURE_RUN = join(ROOT, 'test', 'fixtures', 'report-run');
export const ELICITATION = 'input-required-elicitation--ts-ts--http';
export const UNLIMITED_TTL = 'unlimited-ttl--ts-py--http';
export const FAILING = 'unlimited-ttl--py-py--http';

export function copyFixtureRun(): string {
  const dir = tempDir('mcp-interop-report-');
  cpSync(FIXTURE_RUN, dir, { recursive: true });
  return dir;
}

export function fixtureTrace(slug: string): TraceEvent[] {
  return readFileSync(join(FIXTURE_RUN, 'cells', slug, 'trace.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TraceEvent);
}

export function fixtureObservations(slug: string): Record<string, unknown>[] {
  return readFileSync(join(FIXTURE_RUN, 'cells', slug, 'observations.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

interface RunJson {
  outcomes: CellOutcome[];
  [k: string]: unknown;
}

export function readRunJson(dir: string): RunJson {
  return JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunJson;
}

export function writeRunJson(dir: string, run: RunJson): void {
  writeFileSync(join(dir, 'run.json'), JSON.stringify(run));
}
