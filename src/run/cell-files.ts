/** The files of one cell, under reports/<run-id>/cells/<cell-slug>/. */
import { join } from 'node:path';

export interface CellFiles {
  dir: string;
  scenario: string;
  /** The scenario's faults for the stdio tap (written only when there are some). */
  faults: string;
  trace: string;
  observations: string;
  clientStdout: string;
  clientStderr: string;
  serverStdout: string;
  serverStderr: string;
  serverPids: string;
  verdict: string;
}

export function cellFiles(dir: string): CellFiles {
  return {
    dir,
    scenario: join(dir, 'scenario.json'),
    faults: join(dir, 'faults.json'),
    trace: join(dir, 'trace.jsonl'),
    observations: join(dir, 'observations.jsonl'),
    clientStdout: join(dir, 'client.stdout.log'),
    clientStderr: join(dir, 'client.stderr.log'),
    serverStdout: join(dir, 'server.stdout.log'),
    serverStderr: join(dir, 'server.stderr.log'),
    serverPids: join(dir, 'server.pids'),
    verdict: join(dir, 'verdict.json'),
  };
}
