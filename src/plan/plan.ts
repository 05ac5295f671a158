/**
 * Stage 2: scenarios × implementations × transports (with the user's filters) → cells. A cell
 * whose scenario needs a feature one side declared it cannot express is planned as unsupported.
 */
import semver from 'semver';
import { RUN_COMMAND } from '../paths.js';
import type { ReleaseSpec } from '../sdks/release-spec.js';
import type { Role, Transport } from '../vocabulary/driver.js';
import type { Scenario } from '../vocabulary/scenario.js';
import { harnessLimits, requiredFeatures } from './features.js';
import { cannotReason, type Implementation, side } from './implementations.js';

export interface Unsupported {
  /** The side whose implementation cannot express it, or the harness (a fault or option a transport lacks). */
  side: Role | 'harness';
  impl: string;
  feature: string;
  reason: string;
}

export interface Cell {
  /** Human id: `ttl-expiry · py→ts · stdio` (client→server), with releases where they matter: `ts@1.29.0`. */
  id: string;
  /** File-system id: `ttl-expiry--py-ts--stdio`. */
  slug: string;
  scenario: Scenario;
  client: Implementation;
  server: Implementation;
  transport: Transport;
  /** Set when a side declared it cannot express what the scenario needs. */
  unsupported?: Unsupported[];
  /** Run options the rerun command must repeat (another scenario folder, baseline, driver folders). */
  runArgs?: string[];
}

/** A filter item: `ts` (every release of ts in the run) or `ts@1.29.0` (that one). */
export interface ImplRef {
  name: string;
  spec?: ReleaseSpec;
}

export interface MatrixFilter {
  scenarios?: string[];
  clients?: ImplRef[];
  servers?: ImplRef[];
  transports?: Transport[];
  tags?: string[];
  /** Include scenarios marked `default: false`. */
  all?: boolean;
}

export const TRANSPORTS: Transport[] = ['stdio', 'http'];

export function cellId(scenario: string, client: string, server: string, transport: string): string {
  return `${scenario} · ${client}→${server} · ${transport}`;
}

export function cellSlug(scenario: string, client: string, server: string, transport: string): string {
  return `${scenario}--${client}-${server}--${transport}`;
}

/** A word as a POSIX shell reads it back: quoted when it has anything but safe characters. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function releaseArgs(impls: Implementation[]): string[] {
  const bySdk = new Map<string, Set<string>>();
  for (const impl of impls) {
    const r = impl.release;
    if (!r || r.pinned) continue;
    bySdk.set(r.sdk.id, (bySdk.get(r.sdk.id) ?? new Set()).add(r.arg));
  }
  return [...bySdk].flatMap(([id, args]) => [`--${id}`, [...args].join(',')]);
}

/** How a cell's side is named in its rerun command: with `@version` only when its SDK has two releases in it. */
function refFor(impl: Implementation, other: Implementation): string {
  const same =
    impl.release && other.release && impl.release.sdk.id === other.release.sdk.id && impl.release.version !== other.release.version;
  return same ? `${impl.name}@${impl.release!.version}` : impl.name;
}

/** The one command that reruns just this cell (with the releases it used). */
export function rerunCommand(cell: Pick<Cell, 'scenario' | 'client' | 'server' | 'transport' | 'runArgs'>): string {
  return [
    RUN_COMMAND,
    ...(cell.runArgs ?? []).map(shellWord),
    `--scenario ${cell.scenario.id}`,
    `--client ${refFor(cell.client, cell.server)}`,
    `--server ${refFor(cell.server, cell.client)}`,
    ...releaseArgs([cell.client, cell.server]),
    `--transport ${cell.transport}`,
  ].join(' ');
}

function unsupportedSides(scenario: Scenario, client: Implementation, server: Implementation, transport: Transport): Unsupported[] {
  const out: Unsupported[] = [];
  for (const [role, impl] of [
    ['server', server],
    ['client', client],
  ] as const) {
    for (const feature of requiredFeatures(scenario, role, transport)) {
      const reason = cannotReason(impl, role, feature);
      if (reason) out.push({ side: role, impl: impl.label, feature, reason });
    }
  }
  for (const limit of harnessLimits(scenario, transport)) out.push({ side: 'harness', impl: 'harness', ...limit });
  return out;
}

export class PlanError extends Error {}

/** Does `ref` select `impl`? A version ref matches that release; `latest` the newest release in the run. */
function refMatches(ref: ImplRef, impl: Implementation, all: Implementation[]): boolean {
  if (ref.name !== impl.name) return false;
  const spec = ref.spec;
  if (!spec) return true;
  const r = impl.release;
  if (!r) return false;
  switch (spec.kind) {
    case 'version':
      return r.version === spec.version;
    case 'pinned':
      return r.pinned;
    case 'local':
      return r.arg === spec.path;
    case 'latest': {
      const newest = all
        .filter((i) => i.name === impl.name && i.release)
        .sort((a, b) => semver.rcompare(a.release!.version, b.release!.version))[0];
      return newest === impl;
    }
    case 'all':
      return true;
  }
}

function candidates(role: Role, impls: Implementation[], refs: ImplRef[] | undefined, scenario: Scenario): Implementation[] {
  const named = role === 'client' ? scenario.clients : scenario.servers;
  return impls.filter((impl) => {
    if (!side(impl, role)) return false;
    if (named && !named.includes(impl.name)) return false;
    if (refs) return refs.some((ref) => refMatches(ref, impl, impls));
    // Opt-in implementations (raw) join only scenarios that name them.
    return !impl.decl.optIn || named?.includes(impl.name) === true;
  });
}

function checkNames(impls: Implementation[], role: Role, names: string[] | undefined, where: string): void {
  const known = [...new Set(impls.filter((i) => side(i, role)).map((i) => i.name))];
  for (const name of names ?? []) {
    if (!known.includes(name)) throw new PlanError(`${where}: unknown ${role} implementation "${name}" (known: ${known.join(', ')})`);
  }
}

export function planCells(scenarios: Scenario[], impls: Implementation[], filter: MatrixFilter = {}): Cell[] {
  checkNames(
    impls,
    'client',
    filter.clients?.map((r) => r.name),
    '--client',
  );
  checkNames(
    impls,
    'server',
    filter.servers?.map((r) => r.name),
    '--server',
  );
  for (const s of scenarios) {
    checkNames(impls, 'client', s.clients, `scenario ${s.id}: clients`);
    checkNames(impls, 'server', s.servers, `scenario ${s.id}: servers`);
  }
  for (const [role, refs] of [
    ['client', filter.clients],
    ['server', filter.servers],
  ] as const) {
    for (const ref of refs ?? []) {
      if (ref.spec && !impls.some((i) => refMatches(ref, i, impls))) {
        const have = impls.filter((i) => i.name === ref.name).map((i) => i.label);
        throw new PlanError(`--${role} ${ref.name}@…: that release is not in this run (${have.join(', ') || 'none'})`);
      }
    }
  }
  const scenarioIds = new Set(scenarios.map((s) => s.id));
  for (const id of filter.scenarios ?? []) {
    if (!scenarioIds.has(id)) throw new PlanError(`unknown scenario "${id}" (known: ${[...scenarioIds].join(', ')})`);
  }
  const picked = scenarios.filter(
    (s) =>
      // A tag names scenarios on purpose, default or not (`--tag fault`).
      (filter.scenarios ? filter.scenarios.includes(s.id) : filter.all || filter.tags !== undefined || s.default) &&
      (!filter.tags || filter.tags.some((t) => s.tags.includes(t))),
  );
  const cells: Cell[] = [];
  for (const scenario of picked) {
    for (const client of candidates('client', impls, filter.clients, scenario)) {
      for (const server of candidates('server', impls, filter.servers, scenario)) {
        for (const transport of filter.transports ?? TRANSPORTS) {
          const unsupported = unsupportedSides(scenario, client, server, transport);
          cells.push({
            id: cellId(scenario.id, client.label, server.label, transport),
            slug: cellSlug(scenario.id, client.label, server.label, transport),
            scenario,
            client,
            server,
            transport,
            ...(unsupported.length ? { unsupported } : {}),
          });
        }
      }
    }
  }
  return cells;
}
