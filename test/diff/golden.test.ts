/** Golden files: the format round-trips, re-saving is stable, check finds changes and keeps a racy cell's manifestations (racy.yaml). */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffConversations } from '../../src/diff/diff.js';
import { checkGoldens, listGoldens, readRacy, saveGoldens } from '../../src/diff/golden.js';
import { goldenPath, goldenText, readGoldenFile, writeGolden } from '../../src/diff/golden-file.js';
import { normalise } from '../../src/diff/normalise.js';
import { DiffInputError, readRun } from '../../src/diff/run-file.js';
import { readTrace } from '../../src/judge/read-records.js';
import { ROOT } from '../../src/paths.js';
import { tempDir } from '../helpers.js';
import { FIXTURES, lines, messages, resequence, runDir, trace } from './helpers.js';

function copyRun(run: string): string {
  const dir = join(tempDir('mcp-interop-diff-'), run);
  cpSync(runDir(run), dir, { recursive: true });
  return dir;
}

describe('the golden file', () => {
  it('round-trips: every recorded fixture reads back as the same conversation', () => {
    for (const run of readdirSync(FIXTURES)) {
      for (const slug of readdirSync(join(FIXTURES, run, 'cells'))) {
        const conv = normalise(trace(run, slug));
        const dir = tempDir();
        const file = join(dir, 'x', `${slug}.yaml`);
        const cell = { id: slug, slug, scenario: 'x', client: 'c', server: 's', transport: conv.transport };
        writeGolden(file, cell, conv);
        const back = readGoldenFile(file);
        expect(lines(diffConversations(back.conversation, conv)), `${run}/${slug}`).toEqual([]);
        expect(back.cell).toMatchObject({ slug, transport: conv.transport });
      }
    }
  });

  it('is the same text whatever the number of repeated polls', () => {
    const slug = 'input-required-elicitation--ts-ts--stdio';
    const events = trace('run1', slug);
    const req = messages(events).find((e) => e.msg.method === 'tasks/get')!;
    const res = messages(events).find((e) => e.dir === 's2c' && e.msg.id === req.msg.id)!;
    events.splice(
      events.indexOf(res) + 1,
      0,
      ...[201, 202].flatMap((id) => [
        { ...req, msg: { ...req.msg, id } },
        { ...res, msg: { ...res.msg, id } },
      ]),
    );
    const cell = { id: slug, slug, scenario: 'input-required-elicitation', client: 'ts', server: 'ts', transport: 'stdio' };
    expect(goldenText(cell, normalise(resequence(events)))).toBe(goldenText(cell, normalise(trace('run1', slug))));
  });

  it('is small: one entry per message, no trace numbers, no repeated polls', () => {
    const slug = 'input-required-elicitation--ts-ts--stdio';
    const cell = { id: slug, slug, scenario: 's', client: 'ts', server: 'ts', transport: 'stdio' };
    const text = goldenText(cell, normalise(trace('run1', slug)));
    expect(text).toMatch(/^format: 1$/m);
    expect(text).not.toMatch(/seq:|pid|argv|2026-/);
    // 22 trace events: spawn, 20 messages, exit; one repeated working poll (request + answer) dropped.
    expect(trace('run1', slug).length).toBe(22);
    expect(text.split('\n').filter((l) => l.startsWith('  - ')).length).toBe(20);
  });

  it('rejects a file of another format, naming the field', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'format: 2\ncell: x\n');
    expect(() => readGoldenFile(file)).toThrow(DiffInputError);
    expect(() => readGoldenFile(file)).toThrow(/bad\.yaml: format: /);
  });
});

describe('golden save and check', () => {
  it('saves pass and known cells, and a run checks clean against its own goldens', () => {
    const goldens = tempDir();
    const run = readRun(runDir('run1'));
    const { saved, skipped } = saveGoldens(run, goldens);
    const expected = run.cells.filter((c) => c.outcome === 'pass' || c.outcome === 'known');
    expect(saved.map((s) => s.cell.slug)).toEqual(expected.map((c) => c.cell.slug));
    expect(skipped.map((s) => s.cell.slug)).toEqual(run.cells.filter((c) => !expected.includes(c)).map((c) => c.cell.slug));
    expect(existsSync(goldenPath(goldens, expected[0]!.cell))).toBe(true);
    // A second save changes nothing.
    expect(saveGoldens(run, goldens).saved.every((s) => s.status === 'unchanged')).toBe(true);

    const report = checkGoldens(run, goldens);
    expect(report.failed).toBe(false);
    expect(report.cells.filter((c) => c.status === 'different')).toEqual([]);
    expect(report.cells.filter((c) => c.status === 'no-golden').map((c) => c.cell.slug)).toEqual(skipped.map((s) => s.cell.slug));
  });

  it('keeps a golden a later run is equivalent to, even when its text for that run would differ', () => {
    const goldens = tempDir();
    saveGoldens(readRun(runDir('run1')), goldens);
    const snapshot = () => listGoldens(goldens).map((f) => [f, readFileSync(f, 'utf8')]);
    const before = snapshot();
    let reordered = 0;
    for (const later of ['run2', 'run3', 'run4', 'run5']) {
      const run = readRun(runDir(later));
      for (const rc of run.cells) {
        const file = goldenPath(goldens, rc.cell);
        if (!existsSync(file) || (rc.outcome !== 'pass' && rc.outcome !== 'known')) continue;
        const conversation = normalise(readTrace(rc.trace).records, rc.cell.transport === 'http' ? 'http' : 'stdio');
        if (goldenText(rc.cell, conversation) !== readFileSync(file, 'utf8')) reordered++;
      }
      expect(
        saveGoldens(run, goldens)
          .saved.filter((s) => s.status !== 'unchanged')
          .map((s) => s.cell.slug),
        later,
      ).toEqual([]);
    }
    // The later runs do order some unordered messages differently, yet no file was rewritten.
    expect(reordered).toBeGreaterThan(0);
    expect(snapshot()).toEqual(before);
  });

  it('checks a later run (racy cells included) without a difference, and lists goldens not in it', () => {
    const goldens = tempDir();
    saveGoldens(readRun(runDir('run1')), goldens);
    for (const later of ['run2', 'run3', 'run4', 'run5']) {
      const report = checkGoldens(readRun(runDir(later)), goldens);
      expect(
        report.cells.filter((c) => c.status !== 'same').map((c) => c.cell.slug),
        later,
      ).toEqual([]);
      expect(report.notInRun.length).toBeGreaterThan(0);
    }
  });

  it('fails on a difference, naming the cell and the first divergence', () => {
    const goldens = tempDir();
    saveGoldens(readRun(runDir('run1')), goldens);
    const dir = copyRun('run1');
    const slug = 'unlimited-ttl--ts-ts--stdio';
    const file = join(dir, 'cells', slug, 'trace.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"ttl":null', '"ttl":60000'));
    const report = checkGoldens(readRun(dir), goldens);
    expect(report.failed).toBe(true);
    const bad = report.cells.filter((c) => c.status === 'different');
    expect(bad.map((c) => c.cell.slug)).toEqual([slug]);
    expect(lines(bad[0]!.result!)[0]).toBe('▶ tools/call #1 → result.task.ttl: null on A, 60000 on B');
  });

  describe('a racy cell (racy.yaml): one golden per manifestation of the race', () => {
    // run9: the Python server answered tasks/cancel after the TS client's 10 s timeout, so the
    // client sent notifications/cancelled and no tasks/get; run1: the usual crash.
    const slug = 'cancel-working-task--ts-py--stdio';
    const racyGoldens = () => {
      const goldens = tempDir();
      saveGoldens(readRun(runDir('run1')), goldens);
      writeFileSync(join(goldens, 'racy.yaml'), `racy:\n  - cell: ${slug}\n    reason: a test of the racy list, with its reason\n`);
      return goldens;
    };
    const cellOf = (report: ReturnType<typeof checkGoldens>) => report.cells.find((c) => c.cell.slug === slug)!;

    it('a manifestation not saved yet fails, with the reason and the closest one', () => {
      const report = checkGoldens(readRun(runDir('run9')), racyGoldens());
      expect(report.failed).toBe(true);
      expect(cellOf(report)).toMatchObject({
        status: 'different',
        reason: 'a test of the racy list, with its reason',
        variants: { saved: 1 },
      });
      expect(cellOf(report).result!.differences.map((d) => `${d.kind} ${d.where}`)).toEqual([
        'extra notifications/cancelled #1',
        'sequence tasks/get',
      ]);
    });

    it('`save --variant` adds it beside the first; then both runs match, each its own', () => {
      const goldens = racyGoldens();
      const { saved } = saveGoldens(readRun(runDir('run9')), goldens, { variant: true });
      expect(saved.find((s) => s.cell.slug === slug)).toMatchObject({ status: 'variant', file: expect.stringMatching(/\.2\.yaml$/) });
      // Every other cell of run9 matched its golden: unchanged.
      expect(saved.filter((s) => s.status !== 'unchanged').map((s) => s.cell.slug)).toEqual([slug]);
      expect(readGoldenFile(join(goldens, 'cancel-working-task', `${slug}.2.yaml`)).cell.slug).toBe(slug);
      expect(cellOf(checkGoldens(readRun(runDir('run9')), goldens))).toMatchObject({ status: 'same', variants: { saved: 2, matched: 2 } });
      expect(cellOf(checkGoldens(readRun(runDir('run1')), goldens))).toMatchObject({ status: 'same', variants: { saved: 2, matched: 1 } });
      // A third conversation still fails, shown against the closest manifestation.
      const dir = copyRun('run9');
      const file = join(dir, 'cells', slug, 'trace.jsonl');
      writeFileSync(file, readFileSync(file, 'utf8').replaceAll('"pollInterval":50', '"pollInterval":75'));
      const third = cellOf(checkGoldens(readRun(dir), goldens));
      expect(third).toMatchObject({ status: 'different', variants: { saved: 2 }, file: expect.stringMatching(/\.2\.yaml$/) });
      expect(checkGoldens(readRun(dir), goldens).notInRun).not.toContain(join('cancel-working-task', `${slug}.2.yaml`));
    });

    it('a plain save of a conversation that matches none replaces every manifestation', () => {
      const goldens = racyGoldens();
      saveGoldens(readRun(runDir('run9')), goldens, { variant: true });
      const dir = copyRun('run9');
      const file = join(dir, 'cells', slug, 'trace.jsonl');
      writeFileSync(file, readFileSync(file, 'utf8').replaceAll('"pollInterval":50', '"pollInterval":75'));
      const { saved } = saveGoldens(readRun(dir), goldens);
      expect(saved.find((s) => s.cell.slug === slug)?.status).toBe('updated');
      expect(existsSync(join(goldens, 'cancel-working-task', `${slug}.2.yaml`))).toBe(false);
      expect(cellOf(checkGoldens(readRun(dir), goldens))).toMatchObject({ status: 'same', variants: { saved: 1, matched: 1 } });
    });
  });

  it('the project\u2019s goldens: each racy cell has a golden and a reason, and only racy cells keep extra manifestations', () => {
    const project = join(ROOT, 'goldens');
    const racy = readRacy(project);
    for (const [slug, reason] of racy) expect(reason.trim().length, slug).toBeGreaterThan(20);
    for (const slug of racy.keys()) expect(existsSync(join(project, slug.split('--')[0]!, `${slug}.yaml`)), slug).toBe(true);
    const extras = readdirSync(project, { recursive: true, encoding: 'utf8' })
      .map((file) => /([^/]+)\.\d+\.yaml$/.exec(file)?.[1])
      .filter((slug): slug is string => slug !== undefined);
    expect(extras.filter((slug) => !racy.has(slug))).toEqual([]);
  });

  it('a cell with a golden but no trace in this run is a difference', () => {
    const goldens = tempDir();
    saveGoldens(readRun(runDir('run1')), goldens);
    const dir = copyRun('run1');
    const json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    const target = json.outcomes.find(
      (o: { verdict: { cell: { slug: string } } }) => o.verdict.cell.slug === 'unlimited-ttl--ts-ts--stdio',
    );
    target.outcome = 'unsupported';
    target.verdict.files = { trace: '' };
    writeFileSync(join(dir, 'run.json'), JSON.stringify(json));
    const report = checkGoldens(readRun(dir), goldens);
    expect(report.cells.filter((c) => c.status === 'different').map((c) => [c.cell.slug, c.reason])).toEqual([
      ['unlimited-ttl--ts-ts--stdio', 'the cell has a golden but no trace in this run (unsupported)'],
    ]);
  });
});
