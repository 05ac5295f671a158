import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOG_LIMIT, readLog, readTraceFile } from '../../src/report/html/cell-data.js';
import { readDiffFile } from '../../src/report/html/diff-file.js';
import { decodePageData } from '../../src/report/html/page.js';
import { readRunFolder } from '../../src/report/html/run-file.js';
import { scenarioInfos, scenariosDirOf } from '../../src/report/html/scenario-info.js';
import type { CellData, IndexData } from '../../src/report/html/types.js';
import { writeHtmlReport } from '../../src/report/html/write-html.js';
import { tempDir } from '../helpers.js';
import { copyFixtureRun, ELICITATION, FAILING, readRunJson, UNLIMITED_TTL, writeRunJson } from './fixture.js';

/** The data a page embeds, read back the way the browser does. */
function embedded<T>(file: string): T {
  return decodePageData<T>(readFileSync(file, 'utf8'));
}

function written(): { dir: string; report: ReturnType<typeof writeHtmlReport> } {
  const dir = copyFixtureRun();
  const { meta, outcomes } = readRunFolder(dir);
  return { dir, report: writeHtmlReport(dir, outcomes, meta) };
}

describe('the HTML report files', () => {
  it('writes index.html, a page per cell and the shared assets; the index has every cell with its outcome', () => {
    const { dir, report } = written();
    expect(report.pages).toBe(6);
    for (const f of ['index.html', 'assets/report.js', 'assets/report.css']) expect(existsSync(join(dir, f)), f).toBe(true);
    const index = embedded<IndexData>(join(dir, 'index.html'));
    const run = readRunJson(dir);
    expect(index.cells.map((c) => [c.id, c.outcome])).toEqual(run.outcomes.map((o) => [o.verdict.cell.id, o.outcome]));
    for (const c of index.cells) expect(existsSync(join(dir, c.href)), c.href).toBe(true);
    expect(index.failures.map((g) => g.ids)).toEqual([['check:status-notification-full-task']]);
    const related = index.known.find((g) => g.ids.includes('check:related-task-on-input-responses'))!;
    expect(related.links).toContain('https://github.com/modelcontextprotocol/modelcontextprotocol/pull/1732');
    expect(related.cells.map((c) => c.id)).toEqual(['input-required-elicitation · ts→ts · http']);
    expect(index.warnings.some((g) => g.ids[0] === 'check:tasks-get-no-sse' && g.specUrl?.includes('#input-required-status'))).toBe(true);
    // Scenario tags come from the scenario files, for the tag filter.
    expect(index.scenarios['cancel-working-task']?.tags).toContain('cancel');
    // The shared script carries the catalogue, so pages need not.
    expect(readFileSync(join(dir, 'assets/report.js'), 'utf8')).toMatch(/^window\.MCP_REPORT_CATALOGUE=\{"checks":\{"wire-schema":/);
  });

  it('a cell page has its verdict, its whole trace and the evidence of each failure', () => {
    const { dir } = written();
    const data = embedded<CellData>(join(dir, 'cells', UNLIMITED_TTL, 'index.html'));
    expect(data).toMatchObject({ page: 'cell', outcome: 'known', ran: true, runId: 'fixture-run' });
    const wire = data.findings.find((f) => f.id === 'check:wire-schema')!;
    expect(wire).toMatchObject({ status: 'known', blame: 'server', level: 'MUST', evidence: { trace: [10] } });
    expect(wire.reason).toMatch(/exclude_none/);
    expect(wire.specUrl).toBe('https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities/tasks#task');
    // The event it cites is the CreateTaskResult without ttl.
    const cited = data.trace.find((e) => e.seq === 10)!;
    expect(cited.kind === 'message' && (cited.msg.result as { task: Record<string, unknown> }).task).not.toHaveProperty('ttl');
    expect(data.trace).toHaveLength(
      readFileSync(join(dir, 'cells', UNLIMITED_TTL, 'trace.jsonl'), 'utf8')
        .trim()
        .split('\n').length,
    );
    expect(data.stepNames).toEqual(['s1-callTask', 's2-getTask', 's3-poll']);
    expect(data.clientStderr?.text).toContain('step');
    expect(data.checks.find((c) => c.id === 'wire-schema')).toEqual({ id: 'wire-schema', outcome: 'fail' });
    const failing = embedded<CellData>(join(dir, 'cells', FAILING, 'index.html'));
    expect(failing.findings.filter((f) => f.status === 'unexpected').map((f) => f.id)).toEqual(['check:status-notification-full-task']);
  });

  it('shows a saved diff.json, linking the other side to its page', () => {
    const { dir } = written();
    const data = embedded<CellData>(join(dir, 'cells', UNLIMITED_TTL, 'index.html'));
    const block = data.diff!.blocks[0]!;
    expect(block.a.cell).toBe('unlimited-ttl · ts→py · http');
    const first = block.differences.find((d) => d.first)!;
    expect(first).toMatchObject({ kind: 'extra', path: 'result.task.ttl', b: null, seq: { a: 10, b: 10 } });
    expect(data.links).toEqual({ 'unlimited-ttl · ts→ts · http': '../unlimited-ttl--ts-ts--http/index.html' });
    expect(embedded<CellData>(join(dir, 'cells', ELICITATION, 'index.html')).diff).toBeUndefined();
  });

  it('reports a diff.json it cannot read on the page, naming the file and the field', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), '{"a":');
    expect(readDiffFile(join(dir, 'bad.json'))!.problems[0]).toMatch(/bad\.json: not JSON/);
    writeFileSync(
      join(dir, 'shape.json'),
      JSON.stringify({ a: { label: 'A' }, b: { label: 'B' }, equivalent: false, differences: [{ where: 'x' }] }),
    );
    expect(readDiffFile(join(dir, 'shape.json'))).toEqual({
      blocks: [],
      problems: [expect.stringMatching(/shape\.json: differences\.0\.kind: /)],
    });
    expect(readDiffFile(join(dir, 'none.json'))).toBeUndefined();
    writeFileSync(join(dir, 'list.json'), JSON.stringify([{ a: { label: 'A' }, b: { label: 'B' }, equivalent: true, differences: [] }]));
    expect(readDiffFile(join(dir, 'list.json'))!.blocks).toHaveLength(1);
  });

  it('embedded data cannot end its script element, whatever the trace holds', () => {
    const dir = copyFixtureRun();
    const evil = '</script><script>window.pwned=1</script><!-- \u2028';
    const trace = join(dir, 'cells', ELICITATION, 'trace.jsonl');
    writeFileSync(
      trace,
      `${readFileSync(trace, 'utf8')}${JSON.stringify({ seq: 99, t: 1, dir: 's2c', transport: 'http', kind: 'raw', raw: evil, error: 'not JSON' })}\nnot a trace event\n`,
    );
    const { meta, outcomes } = readRunFolder(dir);
    writeHtmlReport(dir, outcomes, meta);
    const page = join(dir, 'cells', ELICITATION, 'index.html');
    expect(readFileSync(page, 'utf8')).not.toContain('<script>window.pwned');
    const data = embedded<CellData>(page);
    expect(data.trace.at(-1)).toMatchObject({ seq: 99, raw: evil });
    expect(data.badTraceLines).toEqual([{ line: expect.any(Number), text: 'not a trace event' }]);
  });

  it('an unsupported cell that never ran still gets a page, and the index groups it by reason', () => {
    const dir = copyFixtureRun();
    const run = readRunJson(dir);
    const base = structuredClone(run.outcomes[0]!);
    base.verdict.cell = {
      ...base.verdict.cell,
      id: 'cancel-working-task · raw→py · stdio',
      slug: 'cancel-working-task--raw-py--stdio',
      client: 'raw',
    };
    base.verdict.files = { dir: '', trace: '', observations: '', clientStderr: '', serverStderr: '' };
    base.verdict.status = 'unsupported';
    base.verdict.failures = [];
    base.verdict.unsupported = [{ side: 'client', impl: 'raw', feature: 'step:cancel', reason: 'no cancel step' }];
    Object.assign(base, { outcome: 'unsupported', known: [], unexpected: [], stale: [] });
    run.outcomes.push(base);
    writeRunJson(dir, run);
    const { meta, outcomes } = readRunFolder(dir);
    writeHtmlReport(dir, outcomes, meta);
    const data = embedded<CellData>(join(dir, 'cells', 'cancel-working-task--raw-py--stdio', 'index.html'));
    expect(data).toMatchObject({ outcome: 'unsupported', ran: false, trace: [], unsupported: [{ feature: 'step:cancel' }] });
    const index = embedded<IndexData>(join(dir, 'index.html'));
    expect(index.unsupported).toEqual([
      expect.objectContaining({
        text: 'client raw cannot step:cancel: no cancel step',
        cells: [{ id: base.verdict.cell.id, href: 'cells/cancel-working-task--raw-py--stdio/index.html' }],
      }),
    ]);
  });

  it('keeps pages small: a page is its data, the script and styles are shared', () => {
    const { dir } = written();
    for (const slug of [ELICITATION, UNLIMITED_TTL, FAILING]) {
      const cellDir = join(dir, 'cells', slug);
      const recorded = [
        'trace.jsonl',
        'observations.jsonl',
        'client.stderr.log',
        'server.stderr.log',
        'scenario.json',
        'verdict.json',
        'diff.json',
      ]
        .filter((f) => existsSync(join(cellDir, f)))
        .reduce((n, f) => n + statSync(join(cellDir, f)).size, 0);
      expect(statSync(join(cellDir, 'index.html')).size, slug).toBeLessThan(recorded);
      expect(readFileSync(join(cellDir, 'index.html'), 'utf8')).toContain('<script src="../../assets/report.js"></script>');
    }
  });

  it('cuts a huge log, keeping its head and its tail', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'small.log'), 'short');
    expect(readLog(join(dir, 'small.log'))).toEqual({ text: 'short', bytes: 5, truncated: false });
    writeFileSync(join(dir, 'big.log'), `HEAD${'x'.repeat(LOG_LIMIT * 2)}TAIL`);
    const log = readLog(join(dir, 'big.log'))!;
    expect(log).toMatchObject({ bytes: LOG_LIMIT * 2 + 8, truncated: true });
    expect(log.text.startsWith('HEAD')).toBe(true);
    expect(log.text.endsWith('TAIL')).toBe(true);
    expect(log.text.length).toBeLessThan(LOG_LIMIT + 100);
    expect(readLog(join(dir, 'missing.log'))).toBeUndefined();
  });

  it('keeps the head and the tail of a very long trace, says how many events it left out, and never drops a bad line', () => {
    const dir = tempDir();
    const event = (seq: number) =>
      JSON.stringify({
        seq,
        t: seq,
        kind: 'message',
        dir: 'c2s',
        transport: 'stdio',
        msg: { jsonrpc: '2.0', id: seq, method: 'tasks/get' },
      });
    const lines = Array.from({ length: 100 }, (_, seq) => event(seq));
    lines.splice(50, 0, 'not an event');
    writeFileSync(join(dir, 'trace.jsonl'), `${lines.join('\n')}\n`);
    const page = readTraceFile(join(dir, 'trace.jsonl'), { head: 10, tail: 5 });
    expect(page.trace.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 95, 96, 97, 98, 99]);
    expect(page.traceOmitted).toEqual({ afterSeq: 9, count: 85 });
    expect(page.badTraceLines).toEqual([{ line: 51, text: 'not an event' }]);
    // Within the limit, everything is kept and nothing is said to be left out.
    const whole = readTraceFile(join(dir, 'trace.jsonl'), { head: 90, tail: 10 });
    expect(whole.trace).toHaveLength(100);
    expect(whole.traceOmitted).toBeUndefined();
  });
});

describe('reading a run folder back', () => {
  it('rejects what is not a run folder of this format, naming the file and the field', () => {
    const dir = tempDir();
    expect(() => readRunFolder(join(dir, 'nope'))).toThrow(/nope: not a run folder/);
    expect(() => readRunFolder(dir)).toThrow(`${join(dir, 'run.json')}: no such file`);
    writeFileSync(join(dir, 'run.json'), '{');
    expect(() => readRunFolder(dir)).toThrow(/run\.json: not JSON/);
    const run = readRunJson(copyFixtureRun());
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...run, format: 1 }));
    expect(() => readRunFolder(dir)).toThrow(/run\.json: format: expected 2/);
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...run, outcomes: [{ ...run.outcomes[0], outcome: 'maybe' }] }));
    expect(() => readRunFolder(dir)).toThrow(/run\.json: outcomes\.0\.outcome: /);
    writeFileSync(join(dir, 'run.json'), JSON.stringify(run));
    expect(readRunFolder(dir).outcomes).toHaveLength(5);
  });

  it('finds the scenario folder a run used, and does without tags when a scenario is gone', () => {
    expect(scenariosDirOf('mcp-interop run --scenarios ./mine --tag x')).toBe('./mine');
    expect(scenariosDirOf('mcp-interop run --scenarios=./mine')).toBe('./mine');
    expect(scenariosDirOf('mcp-interop run --scenario ttl-expiry')).toBeUndefined();
    const infos = scenarioInfos(['ttl-expiry', 'no-such-scenario'], 'mcp-interop run');
    expect(infos['ttl-expiry']?.tags.length).toBeGreaterThan(0);
    expect(infos['no-such-scenario']).toEqual({ tags: [] });
    expect(scenarioInfos(['ttl-expiry'], `mcp-interop run --scenarios ${tempDir()}`)).toEqual({ 'ttl-expiry': { tags: [] } });
  });
});
