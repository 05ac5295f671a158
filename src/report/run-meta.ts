/** What a run was (command line, SDK releases, stale baseline entries): the head of run.json and of every report. */
import type { StaleEntry } from '../judge/baseline.js';
import { releaseText } from '../plan/implementations.js';
import type { Release } from '../sdks/resolve.js';

export interface RunMeta {
  runId: string;
  /** The command line the run was started with. */
  command: string;
  startedAt: string;
  durationMs: number;
  /** Every SDK release the run used. */
  releases: { sdk: string; package: string; version: string; pinned: boolean; local?: string }[];
  /** One line per SDK: `ts = @modelcontextprotocol/sdk 1.32.2` (`1.24.0, 1.28.0` with several). */
  sdks: string[];
  /** Baseline entries none of whose failures happened in any cell they cover. */
  stale: StaleEntry[];
  /** Set for one shard of a sharded run (`--shard k/n`); absent for a whole or merged run. */
  shard?: { index: number; count: number };
  /** A merged run: the run folders it was merged from. */
  mergedFrom?: string[];
}

export function releasesMeta(releases: Map<string, Release[]>): Pick<RunMeta, 'releases' | 'sdks'> {
  const all = [...releases.values()].flat();
  return {
    releases: all.map((r) => ({
      sdk: r.sdk.id,
      package: r.sdk.package,
      version: r.version,
      pinned: r.pinned,
      ...(r.local ? { local: r.arg } : {}),
    })),
    sdks: [...releases].map(([id, rs]) => `${id} = ${rs.map(releaseText).join(', ')}`),
  };
}
