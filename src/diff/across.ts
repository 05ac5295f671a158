/**
 * Diffs across pairings: the cells of one scenario in one run that differ in exactly one
 * dimension (client, server or transport), e.g. ts→ts against ts→py with the same client and
 * transport. One pair per two values of that dimension, for each combination of the others.
 * The reference (side A) is the same-SDK pairing when there is one (ts→ts against ts→py, py→py
 * against py→ts), and stdio against http.
 */
import { DiffInputError, type Run, type RunCell } from './run-file.js';

export type Dimension = 'client' | 'server' | 'transport';
export const DIMENSIONS: Dimension[] = ['client', 'server', 'transport'];

export interface AcrossPlan {
  pairs: [RunCell, RunCell][];
  /** Cells of the scenario that cannot be diffed (never ran). */
  skipped: RunCell[];
}

export function acrossPairs(run: Run, scenario: string, dim: Dimension): AcrossPlan {
  const cells = run.cells.filter((c) => c.cell.scenario === scenario);
  if (!cells.length) {
    const known = [...new Set(run.cells.map((c) => c.cell.scenario))].sort();
    throw new DiffInputError(`${run.dir}: no cell of scenario "${scenario}" (the run has: ${known.join(', ')})`);
  }
  const skipped = cells.filter((c) => !c.trace);
  const others = DIMENSIONS.filter((d) => d !== dim);
  const groups = new Map<string, RunCell[]>();
  for (const c of cells.filter((x) => x.trace)) {
    const k = others.map((d) => c.cell[d]).join('\u0000');
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  const pairs: [RunCell, RunCell][] = [];
  for (const k of [...groups.keys()].sort()) {
    const g = groups.get(k)!.sort((x, y) => referenceFirst(x, dim) - referenceFirst(y, dim) || (x.cell[dim] < y.cell[dim] ? -1 : 1));
    for (let i = 0; i < g.length; i++) for (let j = i + 1; j < g.length; j++) pairs.push([g[i]!, g[j]!]);
  }
  return { pairs, skipped };
}

function referenceFirst(c: RunCell, dim: Dimension): number {
  if (dim === 'transport') return c.cell.transport === 'stdio' ? 0 : 1;
  return c.cell.client === c.cell.server ? 0 : 1;
}
