/**
 * The HTML report in a real browser: headless Chromium (Debian's `chromium`, driven by
 * playwright-core) opens the report of the recorded run in test/fixtures/report-run from
 * file:// with every non-file request refused, and checks what a person would look at. Without a
 * Chromium these tests are skipped with a message; under CI (CI=true) that is a failure instead.
 * A screenshot of a cell page goes to reports/test-output/report-html/ (MCP_INTEROP_TEST_OUTPUT).
 */
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellOutcome } from '../../src/judge/baseline.js';
import { ROOT } from '../../src/paths.js';
import { readRunFolder } from '../../src/report/html/run-file.js';
import { writeHtmlReport } from '../../src/report/html/write-html.js';
import type { TraceEvent } from '../../src/vocabulary/trace.js';
import { copyFixtureRun, ELICITATION, FAILING, readRunJson, UNLIMITED_TTL, writeRunJson } from './fixture.js';

// CHROMIUM_PATH, when set, is the only candidate (so a machine without it can be imitated).
const CANDIDATES = process.env.CHROMIUM_PATH
  ? [process.env.CHROMIUM_PATH]
  : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const CHROMIUM = CANDIDATES.find((p) => existsSync(p));
const OUTPUT = process.env.MCP_INTEROP_TEST_OUTPUT ?? join(ROOT, 'reports', 'test-output', 'report-html');
const ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-sandbox',
];
const BIG = 'big-trace--ts-ts--http';
const BIG_MESSAGES = 10_000;

if (!CHROMIUM) {
  const why = `no Chromium found (${CANDIDATES.join(', ')}); install it with: apt-get install -y chromium`;
  if (process.env.CI === 'true') {
    describe('the HTML report in Chromium', () => {
      it('needs Chromium under CI', () => {
        throw new Error(why);
      });
    });
  } else {
    console.warn(`test/report-html/browser.test.ts: skipped: ${why}`);
  }
}

/** A cell with 10,000 messages (and one of each other event kind), added to the copied run. */
function addBigCell(dir: string): void {
  const run = readRunJson(dir);
  const pass = run.outcomes.find((o) => o.outcome === 'pass')!;
  const big: CellOutcome = structuredClone(pass);
  const folder = `cells/${BIG}`;
  big.verdict.cell = { ...big.verdict.cell, id: 'big-trace · ts→ts · http', slug: BIG, scenario: 'big-trace' };
  big.verdict.files = {
    dir: folder,
    trace: `${folder}/trace.jsonl`,
    observations: `${folder}/observations.jsonl`,
    clientStderr: `${folder}/client.stderr.log`,
    serverStderr: `${folder}/server.stderr.log`,
  };
  run.outcomes.push(big);
  writeRunJson(dir, run);
  cpSync(join(dir, pass.verdict.files.dir), join(dir, folder), { recursive: true });
  const events: TraceEvent[] = [];
  const add = (e: Record<string, unknown>) => events.push({ seq: events.length, t: 1000 + events.length * 0.5, ...e } as TraceEvent);
  const http = (exchange: number, stream: string) => ({ exchange, method: 'POST', path: '/mcp', sessionId: 'big', stream });
  add({ kind: 'raw', dir: 's2c', transport: 'http', raw: 'not json', error: 'Unexpected token', http: http(0, 'post-sse') });
  add({ kind: 'fault', fault: 'drop', index: 0, detail: 'dropped the response to tasks/get #1', dir: 's2c' });
  for (let i = 0; events.length < BIG_MESSAGES + 2; i++) {
    add({
      kind: 'message',
      dir: 'c2s',
      transport: 'http',
      http: http(i + 1, 'request'),
      msg: { jsonrpc: '2.0', id: i, method: 'tasks/get', params: { taskId: 't' } },
    });
    add({
      kind: 'message',
      dir: 's2c',
      transport: 'http',
      http: { ...http(i + 1, 'json'), status: 200 },
      msg: { jsonrpc: '2.0', id: i, result: { taskId: 't', status: 'working' } },
    });
  }
  writeFileSync(join(dir, folder, 'trace.jsonl'), `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
  writeFileSync(join(dir, folder, 'observations.jsonl'), '');
}

describe.skipIf(!CHROMIUM)('the HTML report in Chromium', () => {
  let browser: Browser;
  let dir: string;
  const url = (rel: string) => pathToFileURL(join(dir, rel)).href;

  beforeAll(async () => {
    dir = copyFixtureRun();
    addBigCell(dir);
    const { meta, outcomes } = readRunFolder(dir);
    writeHtmlReport(dir, outcomes, meta);
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: ARGS, timeout: 30_000 });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A page whose console errors, page errors and non-file requests are collected (and refused). */
  async function open(rel: string, viewport = { width: 1400, height: 900 }): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.route('**/*', (route) => {
      if (route.request().url().startsWith('file:')) return route.continue();
      problems.push(`network request: ${route.request().url()}`);
      return route.abort();
    });
    await page.goto(url(rel));
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    return { page, problems };
  }

  const marks = (page: Page) =>
    page.$$eval('#matrix a.mark', (els) => els.map((e) => [e.getAttribute('data-cell'), e.getAttribute('data-outcome')]).sort());

  it('the index shows every cell with its outcome, a filter narrows it and survives a reload, a mark opens its cell', async () => {
    const { page, problems } = await open('index.html');
    const run = readRunJson(dir);
    expect(await marks(page)).toEqual(run.outcomes.map((o) => [o.verdict.cell.id, o.outcome]).sort());
    expect(await page.textContent('#shown')).toBe(`showing ${run.outcomes.length} of ${run.outcomes.length} cells`);

    await page.check('#f-outcome-known');
    expect((await marks(page)).map(([, o]) => o)).toEqual(['known', 'known', 'known']);
    expect(new URL(page.url()).hash).toBe('#outcome=known');
    await page.selectOption('#f-server', 'py');
    expect((await marks(page)).map(([id]) => id)).toEqual(['cancel-working-task · py→py · stdio', 'unlimited-ttl · ts→py · http']);
    await page.fill('#f-q', 'cancel');
    expect((await marks(page)).map(([id]) => id)).toEqual(['cancel-working-task · py→py · stdio']);
    // The filters are in the URL: a reload (or a shared link) shows the same.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect((await marks(page)).map(([id]) => id)).toEqual(['cancel-working-task · py→py · stdio']);
    expect(await page.isChecked('#f-outcome-known')).toBe(true);
    expect(await page.inputValue('#f-server')).toBe('py');
    await page.click('#f-reset');
    expect(await marks(page)).toHaveLength(run.outcomes.length);
    // Transposed: pairings as rows, the same marks.
    await page.check('#f-transpose');
    expect(await page.getAttribute('#matrix', 'class')).toContain('transposed');
    expect(await page.$$eval('#matrix tbody tr', (rows) => rows.map((r) => r.getAttribute('data-pairing')))).toEqual([
      'py→py',
      'ts→py',
      'ts→ts',
    ]);
    expect(await marks(page)).toEqual(run.outcomes.map((o) => [o.verdict.cell.id, o.outcome]).sort());
    await page.uncheck('#f-transpose');

    await page.click('#matrix a.mark[data-outcome="fail"]');
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.textContent('#outcome')).toBe('FAIL');
    expect(page.url()).toContain(`cells/${FAILING}/index.html`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a known failure: clicking the failed check highlights the CreateTaskResult that lacks ttl, on the blamed server lane', async () => {
    const { page, problems } = await open(`cells/${UNLIMITED_TTL}/index.html`);
    expect(await page.$$eval('.lane-name.blamed', (els) => els.map((e) => e.textContent))).toContain('server py');
    await page.click('[data-finding="check:wire-schema"]');
    const row = page.locator('.row[data-seq="10"]');
    await expect.poll(() => row.getAttribute('class')).toContain('hl');
    expect(await row.getAttribute('class')).toContain('sel');
    expect(await page.$$eval('.row.hl', (els) => els.map((e) => e.getAttribute('data-seq')))).toEqual(['10']);
    // In view inside the diagram's scroller.
    const [rowBox, scroller] = [await row.boundingBox(), await page.locator('#diagram-scroller').boundingBox()];
    expect(rowBox!.y).toBeGreaterThanOrEqual(scroller!.y);
    expect(rowBox!.y + rowBox!.height).toBeLessThanOrEqual(scroller!.y + scroller!.height);
    // The detail panel shows that message in full: a CreateTaskResult with no ttl.
    expect(await page.textContent('#detail h3')).toContain('result [1] ↩ tools/call');
    const json = await page.textContent('#detail .json-box pre.json');
    expect(json).toContain('"task"');
    expect(json).not.toContain('"ttl"');
    expect(new URL(page.url()).hash).toBe('#seq=10');
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'cell-page.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('an unexpected failure: its evidence chip highlights the status notification it cites', async () => {
    const { page, problems } = await open(`cells/${FAILING}/index.html`);
    const card = page.locator('[data-finding="check:status-notification-full-task"]');
    expect(await card.getAttribute('data-status')).toBe('unexpected');
    await card.locator('button.chip.seq[data-seq="14"]').click();
    await expect.poll(() => page.$$eval('.row.hl', (els) => els.map((e) => e.getAttribute('data-seq')))).toEqual(['14']);
    expect(await page.getAttribute('.row[data-seq="14"]', 'data-stream')).toBe('get-sse');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('input-required-elicitation over HTTP: elicitation/create on the SSE stream of the tasks/result POST, the answer on a POST of its own', async () => {
    const { page, problems } = await open(`cells/${ELICITATION}/index.html`);
    const rowOf = async (text: string) => {
      const row = page.locator('.row', { has: page.locator('.label', { hasText: text }) }).first();
      return {
        exchange: await row.getAttribute('data-exchange'),
        stream: await row.getAttribute('data-stream'),
        dir: await row.getAttribute('data-dir'),
        side: await row.getAttribute('data-side-channel'),
        title: await row.getAttribute('title'),
      };
    };
    const result = await rowOf('tasks/result [4]');
    const elicit = await rowOf('elicitation/create [0]');
    const answer = await rowOf('result [0] ↩ elicitation/create');
    expect(result).toMatchObject({ stream: 'request', dir: 'c2s' });
    expect(elicit).toMatchObject({ stream: 'post-sse', dir: 's2c', exchange: result.exchange, side: 'true' });
    expect(answer).toMatchObject({ stream: 'request', dir: 'c2s', side: 'true' });
    expect(answer.exchange).not.toBe(result.exchange);
    // Hover text: the HTTP status and session id.
    expect(elicit.title).toContain('HTTP status: 200 OK');
    expect(elicit.title).toMatch(/session id: [0-9a-f-]{36}/);
    await page.click('.row[data-kind="request"][data-dir="s2c"]');
    expect(await page.textContent('#detail')).toContain(`the SSE stream of POST #${result.exchange} tasks/result`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the saved trace diff is shown side by side; its seq chips lead to the message on either cell', async () => {
    const { page, problems } = await open(`cells/${UNLIMITED_TTL}/index.html`);
    const first = page.locator('#diff tr.first');
    expect(await first.textContent()).toContain('result.task.ttl');
    await first.locator('td.side').nth(0).locator('button.chip.seq').click();
    await expect.poll(() => page.$$eval('.row.hl', (els) => els.map((e) => e.getAttribute('data-seq')))).toEqual(['10']);
    const other = first.locator('td.side').nth(1).locator('a.chip.seq');
    expect(await other.getAttribute('href')).toBe('../unlimited-ttl--ts-ts--http/index.html#seq=10');
    await other.click();
    await page.waitForSelector('body[data-ready="true"]');
    await expect.poll(() => page.$$eval('.row.hl', (els) => els.map((e) => e.getAttribute('data-seq')))).toEqual(['10']);
    expect(page.url()).toContain('unlimited-ttl--ts-ts--http');
    expect(problems).toEqual([]);
    await page.close();
  });

  it(`a cell with ${BIG_MESSAGES} messages opens quickly, keeps few rows in the DOM, and scrolls to its end`, async () => {
    const started = Date.now();
    const { page, problems } = await open(`cells/${BIG}/index.html`);
    const opened = Date.now() - started;
    expect(opened).toBeLessThan(10_000);
    expect(await page.textContent('#d-shown')).toBe(`${BIG_MESSAGES + 2} of ${BIG_MESSAGES + 2} rows`);
    expect(await page.locator('.row').count()).toBeLessThan(200);
    expect(await page.locator('.row[data-kind="raw"]').count()).toBe(1);
    expect(await page.locator('.row[data-kind="fault"]').count()).toBe(1);
    const last = BIG_MESSAGES + 1;
    const scrolled = Date.now();
    await page.$eval('#diagram-scroller', (el) => {
      el.scrollTop = el.scrollHeight;
    });
    await page.waitForSelector(`.row[data-seq="${last}"]`, { timeout: 5_000 });
    expect(Date.now() - scrolled).toBeLessThan(2_000);
    expect(await page.locator('.row').count()).toBeLessThan(200);
    // A deep link highlights a message far down.
    await page.evaluate(() => {
      location.hash = '#seq=7777';
    });
    await expect.poll(() => page.$$eval('.row.hl', (els) => els.map((e) => e.getAttribute('data-seq')))).toEqual(['7777']);
    expect(problems).toEqual([]);
    console.log(`big cell: opened in ${opened} ms`);
    await page.close();
  });
});
