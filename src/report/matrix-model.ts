/**
 * The outcomes arranged for the reports: scenarios × pairings (each pairing cell holding one
 * outcome per transport), with counts per pairing, per transport and overall.
 */
import type { CellOutcome, Outcome } from '../judge/baseline.js';

export interface MatrixModel {
  /** Pairings (`ts→py`, `ts@1.24.0→py@1.27.2`), in first-seen order. */
  pairings: string[];
  transports: string[];
  /** rows[i].cells[pairing][transport] */
  rows: { scenario: string; cells: Record<string, Record<string, CellOutcome | undefined>> }[];
  byPairing: Map<string, Record<Outcome, number>>;
  byTransport: Map<string, Record<Outcome, number>>;
  total: Record<Outcome, number>;
  /** (scenario, pairing) whose cells fail over one transport and pass over the other. */
  oneTransportOnly: { scenario: string; pairing: string; failing: string; passing: string }[];
}

export const zeroCounts = (): Record<Outcome, number> => ({ pass: 0, known: 0, fail: 0, stale: 0, unsupported: 0 });
const BAD: Outcome[] = ['fail', 'stale', 'known'];

export function pairingOf(o: CellOutcome): string {
  return `${o.verdict.cell.client}→${o.verdict.cell.server}`;
}

export function buildMatrix(outcomes: CellOutcome[]): MatrixModel {
  const pairings: string[] = [];
  const transports: string[] = [];
  const rowsBy = new Map<string, MatrixModel['rows'][number]>();
  const byPairing = new Map<string, Record<Outcome, number>>();
  const byTransport = new Map<string, Record<Outcome, number>>();
  const total = zeroCounts();
  for (const o of outcomes) {
    const { scenario, transport } = o.verdict.cell;
    const pairing = pairingOf(o);
    if (!pairings.includes(pairing)) pairings.push(pairing);
    if (!transports.includes(transport)) transports.push(transport);
    const row = rowsBy.get(scenario) ?? { scenario, cells: {} };
    rowsBy.set(scenario, row);
    row.cells[pairing] = { ...row.cells[pairing], [transport]: o };
    const p = byPairing.get(pairing) ?? zeroCounts();
    const t = byTransport.get(transport) ?? zeroCounts();
    p[o.outcome]++;
    t[o.outcome]++;
    total[o.outcome]++;
    byPairing.set(pairing, p);
    byTransport.set(transport, t);
  }
  // stdio before http, whatever finished first.
  transports.sort((a, b) => (a === b ? 0 : a === 'stdio' ? -1 : b === 'stdio' ? 1 : a.localeCompare(b)));
  const rows = [...rowsBy.values()];
  const oneTransportOnly: MatrixModel['oneTransportOnly'] = [];
  for (const row of rows) {
    for (const pairing of pairings) {
      const stdio = row.cells[pairing]?.stdio;
      const http = row.cells[pairing]?.http;
      // A transport the cell cannot run over says nothing about the other one.
      if (!stdio || !http || stdio.outcome === 'unsupported' || http.outcome === 'unsupported') continue;
      const bad = (o: CellOutcome) => BAD.includes(o.outcome);
      if (bad(stdio) !== bad(http)) {
        const [failing, passing] = bad(stdio) ? ['stdio', 'http'] : ['http', 'stdio'];
        oneTransportOnly.push({ scenario: row.scenario, pairing, failing, passing });
      }
    }
  }
  return { pairings, transports, rows, byPairing, byTransport, total, oneTransportOnly };
}

export function countsText(c: Record<Outcome, number>): string {
  return (
    (Object.keys(c) as Outcome[])
      .filter((k) => c[k])
      .map((k) => `${c[k]} ${k}`)
      .join(', ') || 'no cells'
  );
}

/** Beyond this many pairings a scenario × pairing grid no longer fits a terminal or a PR comment. */
export const MAX_GRID_PAIRINGS = 12;
