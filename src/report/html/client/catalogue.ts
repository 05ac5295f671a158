/** The data every page shares, set by assets/report.js before the page code runs (see assets.ts). */
import type { Outcome } from '../../../judge/baseline.js';
import type { CatalogueData } from '../types.js';

declare global {
  interface Window {
    MCP_REPORT_CATALOGUE?: CatalogueData;
  }
}

export function catalogue(): CatalogueData {
  return window.MCP_REPORT_CATALOGUE ?? { checks: {}, sections: {}, outcomes: {} as CatalogueData['outcomes'], legend: '' };
}

export const OUTCOMES: Outcome[] = ['fail', 'stale', 'known', 'unsupported', 'pass'];

export function outcomeMark(o: Outcome): string {
  return catalogue().outcomes[o]?.mark ?? o;
}

export function outcomeLabel(o: Outcome): string {
  return catalogue().outcomes[o]?.label ?? o.toUpperCase();
}
