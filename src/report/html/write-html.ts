/**
 * Writes a run's HTML report: <run>/index.html (the matrix), <run>/cells/<slug>/index.html (a
 * page per cell) and <run>/assets/ (one script and one stylesheet the pages share). Every page
 * opens from file:// with no network: its data is embedded, the assets are relative paths.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CellOutcome } from '../../judge/baseline.js';
import type { RunMeta } from '../run-meta.js';
import { ASSETS_DIR, assetFiles } from './assets.js';
import { cellData } from './cell-data.js';
import { indexData } from './index-data.js';
import { pageHtml } from './page.js';
import { scenarioInfos } from './scenario-info.js';

export type HtmlMeta = Pick<
  RunMeta,
  'runId' | 'command' | 'startedAt' | 'durationMs' | 'releases' | 'sdks' | 'stale' | 'shard' | 'mergedFrom'
>;

export interface HtmlReport {
  /** The index page (absolute). */
  index: string;
  pages: number;
  /** Bytes written: pages and assets. */
  bytes: number;
}

export function writeHtmlReport(runDir: string, outcomes: CellOutcome[], meta: HtmlMeta): HtmlReport {
  let bytes = 0;
  const write = (file: string, text: string) => {
    writeFileSync(file, text);
    bytes += Buffer.byteLength(text);
  };
  mkdirSync(join(runDir, ASSETS_DIR), { recursive: true });
  for (const a of assetFiles()) write(join(runDir, ASSETS_DIR, a.name), a.text);

  const scenarios = scenarioInfos([...new Set(outcomes.map((o) => o.verdict.cell.scenario))], meta.command);
  const index = join(runDir, 'index.html');
  write(index, pageHtml(`MCP Tasks interop · ${meta.runId}`, ASSETS_DIR, indexData(outcomes, meta, scenarios)));

  const slugOf = new Map(outcomes.map((o) => [o.verdict.cell.id, o.verdict.cell.slug]));
  const pageOf = (id: string) => {
    const slug = slugOf.get(id);
    return slug ? `../${slug}/index.html` : undefined;
  };
  for (const o of outcomes) {
    const dir = join(runDir, 'cells', o.verdict.cell.slug);
    mkdirSync(dir, { recursive: true });
    write(join(dir, 'index.html'), pageHtml(o.verdict.cell.id, `../../${ASSETS_DIR}`, cellData(runDir, meta.runId, o, pageOf)));
  }
  return { index, pages: outcomes.length + 1, bytes };
}
