/**
 * Entry point of the report's browser code (bundled by ../assets.ts into assets/report.js, a
 * classic script: module scripts do not load from file://). Each page says what it is in its data.
 */
import type { CellData, IndexData } from '../types.js';
import { renderCell } from './cell-page.js';
import { h, pageData } from './dom.js';
import { renderIndex } from './index-page.js';

async function start(): Promise<void> {
  const root = document.getElementById('app');
  if (!root) return;
  try {
    const data = await pageData<IndexData | CellData>();
    if (data.page === 'index') renderIndex(root, data);
    else renderCell(root, data);
    document.body.dataset.ready = 'true';
  } catch (err) {
    root.replaceChildren(h('pre', { class: 'fatal' }, `The report could not be shown: ${(err as Error).stack ?? String(err)}`));
    throw err;
  }
}

// Errors are shown in the page and rethrown, so they also reach the console (and the browser tests).
const run = () => void start();
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
else run();
