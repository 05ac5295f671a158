/** The outcomes arranged as scenarios × (pairing, transport), with counts, for the reports. */
import type { CellOutcome, Outcome } from '../judge/baseline.js';

export interface Column {
  key: string;
  pairing: string;
  transport: string;
}

export interface MatrixModel {
  columns: Column[];
  rows: { scenario: string; cells: (CellOutcome | undefined)[] }[];
  /** Counts per pairing, per transport, and overall. */
  byPairing: Map<string, Record<Outcome, number>>;
  byTransport: Map<string, Record<Outcome, number>>;
  total: Record<Outcome, number>;
  /** (scenario, pairing) whose cells fail over one transport and pass over the other. */
  oneTransportOnly: { scenario: string; pairing: string; failing: string; passing: string }[];
}

const zero = (): Record<Outcome, number> => ({ pass: 0, known: 0, fail: 0, stale: 0, unsupported: 0 });
const BAD: Outcome[] = ['fail', 'stale', 'known'];

export function pairingOf(o: CellOutcome): string {
  return `${o.verdict.cell.client}→${o.verdict.cell.server}`;
}

export function buildMatrix(outcomes: CellOutcome[]): MatrixModel {
  const columns: Column[] = [];
  const scenarios: string[] = [];
  for (const o of outcomes) {
    const key = `${pairingOf(o)} ${o.verdict.cell.transport}`;
    if (!columns.some((c) => c.key === key)) columns.push({ key, pairing: pairingOf(o), transport: o.verdict.cell.transport });
    if (!scenarios.includes(o.verdict.cell.scenario)) scenarios.push(o.verdict.cell.scenario);
  }
  const find = (scenario: string, key: string) =>
    outcomes.find((o) => o.verdict.cell.scenario === scenario && `${pairingOf(o)} ${o.verdict.cell.transport}` === key);
  const rows = scenarios.map((scenario) => ({ scenario, cells: columns.map((c) => find(scenario, c.key)) }));

  const byPairing = new Map<string, Record<Outcome, number>>();
  const byTransport = new Map<string, Record<Outcome, number>>();
  const total = zero();
  for (const o of outcomes) {
    const p = byPairing.get(pairingOf(o)) ?? zero();
    const t = byTransport.get(o.verdict.cell.transport) ?? zero();
    p[o.outcome]++;
    t[o.outcome]++;
    total[o.outcome]++;
    byPairing.set(pairingOf(o), p);
    byTransport.set(o.verdict.cell.transport, t);
  }

  const oneTransportOnly: MatrixModel['oneTransportOnly'] = [];
  for (const scenario of scenarios) {
    for (const pairing of new Set(columns.map((c) => c.pairing))) {
      const stdio = find(scenario, `${pairing} stdio`);
      const http = find(scenario, `${pairing} http`);
      if (!stdio || !http) continue;
      const bad = (o: CellOutcome) => BAD.includes(o.outcome);
      if (bad(stdio) !== bad(http)) {
        const [failing, passing] = bad(stdio) ? ['stdio', 'http'] : ['http', 'stdio'];
        oneTransportOnly.push({ scenario, pairing, failing, passing });
      }
    }
  }
  return { columns, rows, byPairing, byTransport, total, oneTransportOnly };
}

export function countsText(c: Record<Outcome, number>): string {
  return (
    (Object.keys(c) as Outcome[])
      .filter((k) => c[k])
      .map((k) => `${c[k]} ${k}`)
      .join(', ') || 'no cells'
  );
}
