/**
 * Stage 2: scenarios × drivers × transports (with the user's filters) → cells. A cell whose
 * scenario needs a feature one side declared it cannot express is planned as unsupported.
 */
import type { DriverManifest, Role, Transport } from '../vocabulary/driver.js';
import type { Scenario } from '../vocabulary/scenario.js';
import { requiredFeatures } from './features.js';

export interface Unsupported {
  side: Role;
  impl: string;
  feature: string;
  reason: string;
}

export interface Cell {
  /** Human id: `ttl-expiry · py→ts · stdio` (client→server). */
  id: string;
  /** File-system id: `ttl-expiry--py-ts--stdio`. */
  slug: string;
  scenario: Scenario;
  client: DriverManifest;
  server: DriverManifest;
  transport: Transport;
  /** Set when a side declared it cannot express what the scenario needs. */
  unsupported?: Unsupported[];
}

export interface MatrixFilter {
  scenarios?: string[];
  clients?: string[];
  servers?: string[];
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

/** The one command that reruns just this cell. */
export function rerunCommand(cell: Pick<Cell, 'scenario' | 'client' | 'server' | 'transport'>): string {
  return `npm start -- --scenario ${cell.scenario.id} --client ${cell.client.id} --server ${cell.server.id} --transport ${cell.transport}`;
}

function unsupportedSides(scenario: Scenario, client: DriverManifest, server: DriverManifest, transport: Transport): Unsupported[] {
  const out: Unsupported[] = [];
  for (const [side, driver] of [
    ['server', server],
    ['client', client],
  ] as const) {
    for (const feature of requiredFeatures(scenario, side, transport)) {
      const reason = driver[side].cannot[feature];
      if (reason) out.push({ side, impl: driver.id, feature, reason });
    }
  }
  return out;
}

export class PlanError extends Error {}

export function planCells(scenarios: Scenario[], drivers: DriverManifest[], filter: MatrixFilter = {}): Cell[] {
  const known = new Set(drivers.map((d) => d.id));
  for (const id of [...(filter.clients ?? []), ...(filter.servers ?? [])]) {
    if (!known.has(id)) throw new PlanError(`unknown implementation "${id}" (known: ${[...known].join(', ')})`);
  }
  const scenarioIds = new Set(scenarios.map((s) => s.id));
  for (const id of filter.scenarios ?? []) {
    if (!scenarioIds.has(id)) throw new PlanError(`unknown scenario "${id}" (known: ${[...scenarioIds].join(', ')})`);
  }
  const picked = scenarios.filter(
    (s) =>
      (filter.scenarios ? filter.scenarios.includes(s.id) : filter.all || s.default) &&
      (!filter.tags || filter.tags.some((t) => s.tags.includes(t))),
  );
  const pick = (ids?: string[]) => drivers.filter((d) => !ids || ids.includes(d.id));
  const cells: Cell[] = [];
  for (const scenario of picked) {
    for (const client of pick(filter.clients)) {
      for (const server of pick(filter.servers)) {
        for (const transport of filter.transports ?? TRANSPORTS) {
          const unsupported = unsupportedSides(scenario, client, server, transport);
          cells.push({
            id: cellId(scenario.id, client.id, server.id, transport),
            slug: cellSlug(scenario.id, client.id, server.id, transport),
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
