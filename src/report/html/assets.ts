/**
 * The report's shared assets, written once per run folder (assets/): report.js, the browser
 * code bundled by esbuild from client/ into one classic script (module scripts do not load from
 * file://), preceded by the data every page shares (the spec catalogue, the outcome marks); and
 * report.css. Bundled when a report is written, from the TypeScript sources, so the report never
 * lags behind them and needs no separate build step; the bundle is kept for the process.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { CATALOGUE } from '../../judge/spec/index.js';
import { ROOT } from '../../paths.js';
import { SPEC_SECTIONS, type SpecSectionId, specUrl } from '../../vocabulary/spec-sections.js';
import { MARK_LEGEND, OUTCOME_LABEL, OUTCOME_MARK } from '../format.js';
import type { CatalogueData } from './types.js';

/** client/ in the source tree, also when this module runs from dist/. */
export const CLIENT_DIR = join(ROOT, 'src', 'report', 'html', 'client');
export const ASSETS_DIR = 'assets';

let bundled: string | undefined;

export function clientBundle(): string {
  if (bundled !== undefined) return bundled;
  const result = buildSync({
    entryPoints: [join(CLIENT_DIR, 'main.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  bundled = result.outputFiles[0]!.text;
  return bundled;
}

export function catalogueData(): CatalogueData {
  return {
    checks: Object.fromEntries(
      CATALOGUE.map((c) => [c.id, { requirement: c.requirement, section: c.section, level: c.level, blame: c.blame }]),
    ),
    sections: Object.fromEntries(
      (Object.keys(SPEC_SECTIONS) as SpecSectionId[]).map((id) => [id, { title: SPEC_SECTIONS[id], url: specUrl(id) }]),
    ),
    outcomes: Object.fromEntries(
      (Object.keys(OUTCOME_LABEL) as (keyof typeof OUTCOME_LABEL)[]).map((o) => [o, { mark: OUTCOME_MARK[o], label: OUTCOME_LABEL[o] }]),
    ) as CatalogueData['outcomes'],
    legend: MARK_LEGEND,
  };
}

/** JSON that is safe inside a `<script>` element (no `</script>`, no `<!--`, no line separators that break JS). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function assetFiles(): { name: string; text: string }[] {
  const css = readFileSync(join(CLIENT_DIR, 'report.css'), 'utf8');
  const js = `window.MCP_REPORT_CATALOGUE=${scriptJson(catalogueData())};\n${clientBundle()}`;
  return [
    { name: 'report.js', text: js },
    { name: 'report.css', text: css },
  ];
}
