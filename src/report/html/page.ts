/**
 * The HTML shell of every page: the shared stylesheet and script, and the page's data embedded
 * gzip-compressed and base64-encoded (the browser inflates it with DecompressionStream): a
 * trace's JSON compresses about tenfold, which keeps the report of a large matrix to a few MB.
 */
import { gunzipSync, gzipSync } from 'node:zlib';

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const DATA_ENCODING = 'gzip+base64';

export function encodeData(data: unknown): string {
  return gzipSync(JSON.stringify(data), { level: 9 }).toString('base64');
}

/** The data a page embeds, decoded (for tests and tools; the browser does the same). */
export function decodePageData<T>(html: string): T {
  const m = /<script type="application\/octet-stream" id="report-data" data-encoding="gzip\+base64">([A-Za-z0-9+/=]*)<\/script>/.exec(html);
  if (!m) throw new Error('the page has no embedded report data');
  return JSON.parse(gunzipSync(Buffer.from(m[1]!, 'base64')).toString('utf8')) as T;
}

/** `assets` is the path from the page to the run's assets/ folder (`assets`, `../../assets`). */
export function pageHtml(title: string, assets: string, data: { page: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${assets}/report.css">
</head>
<body data-page="${data.page}">
<div id="app"><noscript>This report is drawn by JavaScript; the same data is in run.json and the cell folders.</noscript></div>
<script type="application/octet-stream" id="report-data" data-encoding="${DATA_ENCODING}">${encodeData(data)}</script>
<script src="${assets}/report.js"></script>
</body>
</html>
`;
}
