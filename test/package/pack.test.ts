/**
 * SLOW (about 2–3 minutes: npm pack, `npm install` of the tarball from the npm registry, a
 * Python environment for the pinned mcp, a few cells). The package as another project uses it:
 * `npm pack` output installed in a scratch project outside the checkout, which runs its own
 * scenario folder and baseline with `npx mcp-interop`; reports land in the scratch project, SDK
 * installs in the cache it names ($MCP_INTEROP_CACHE), and nothing is written inside the
 * installed package.
 *
 * It packs the current dist/ (`npm test` and `npm run test:unit` build first) with
 * --ignore-scripts: the pack's own `prepare` would rebuild dist/ while other test files run
 * drivers from it.
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../src/paths.js';
import { tempDir } from '../helpers.js';
import { type Ran, runIn, scratchEnv, snapshot, snapshotChanges } from './scratch-project.js';

/** What a run from the package needs (driver commands, schemas, the default scenarios and baseline, the HTML report's sources). */
const REQUIRED = [
  'package.json',
  'README.md',
  'dist/src/cli/main.js',
  'dist/src/record/stdio-tap.js',
  'dist/drivers/ts/use-sdk.js',
  'dist/drivers/ts/server-lowlevel.js',
  'dist/drivers/ts/client-lowlevel.js',
  'dist/drivers/raw/client.js',
  'drivers/ts/driver.json',
  'drivers/raw/driver.json',
  'drivers/python/driver.json',
  'drivers/python/server.py',
  'drivers/python/client.py',
  'drivers/python/driver_common.py',
  'drivers/python/requirements.txt',
  'drivers/vocabulary.schema.json',
  'schemas/scenario.schema.json',
  'schemas/known-failures.schema.json',
  'scenarios/task-creation.yaml',
  'known-failures.yaml',
  'src/report/html/client/main.ts',
  'src/report/html/client/report.css',
];
/** What only a checkout has. */
const FORBIDDEN = [/^node_modules\//, /^\.venv\//, /^\.cache\//, /^reports\//, /^test\//, /(^|\/)__pycache__\//, /\.map$/, /^\.github\//];

/** What is wrong with a tarball's file list: required files missing, checkout files present. */
function packProblems(files: string[]): string[] {
  const have = new Set(files);
  return [
    ...REQUIRED.filter((f) => !have.has(f)).map((f) => `missing ${f}`),
    ...files.filter((f) => FORBIDDEN.some((re) => re.test(f))).map((f) => `should not be packed: ${f}`),
  ];
}

const MY_ECHO = `id: my-echo
title: A user's own scenario, a task that echoes its text
spec: [creating-tasks, result-retrieval]
server:
  pollInterval: 50
  tools:
    - name: echo
      execution: { taskSupport: optional }
      inputSchema:
        type: object
        properties: { text: { type: string } }
        required: [text]
      actions:
        - sleep: 100
        - complete: [{ type: text, text: "echo: {{arguments.text}}" }]
client:
  steps:
    - callTask: echo
      arguments: { text: hi }
      ttl: 30000
      as: t
      expect: { status: working }
    - result: t
      expect:
        content: [{ type: text, text: "echo: hi" }]
`;

/** Fails on purpose (the expectation asks for other text); the user's baseline lists it. */
const MY_WRONG_TEXT = `id: my-wrong-text
title: A user's scenario whose expectation no SDK meets, listed in the user's baseline
spec: [result-retrieval]
server:
  pollInterval: 50
  tools:
    - name: echo
      execution: { taskSupport: optional }
      actions:
        - sleep: 100
        - complete: [{ type: text, text: "echo hi" }]
client:
  steps:
    - callTask: echo
      ttl: 30000
      as: t
    - result: t
      expect:
        content: [{ type: text, text: "something else" }]
`;

const MY_BASELINE = `known:
  - scenario: my-wrong-text
    failure: expect:s2-result.content
    reason: The scratch scenario asks for text the tool never returns (a stand-in for an SDK defect).
`;

const BROKEN = `id: broken
title: Broken
spec: [creating-tasks]
server:
  tools:
    - name: t
      actions:
        - complete: [{ type: text, text: ok }]
client:
  steps:
    - callTask: t
      ttl: soon
`;

interface RunFile {
  outcomes: { outcome: string; verdict: { cell: { id: string; scenario: string; transport: string } } }[];
}

const started = Date.now();
const phases: string[] = [];
let last = started;
/** Timings for the log: this test is slow, and where the time goes is worth seeing. */
const phase = (name: string) => {
  phases.push(`${name} ${((Date.now() - last) / 1000).toFixed(0)} s`);
  last = Date.now();
};
let tmp: string;
let project: string;
let pkgDir: string;
let cache: string;
let files: string[];
let before: string[];
let env: NodeJS.ProcessEnv;

const npx = (args: string[], timeoutMs = 150_000): Promise<Ran> => runIn(project, 'npx', ['--no', 'mcp-interop', ...args], env, timeoutMs);

/** The run folder a command just wrote: reports/latest in the scratch project. */
function latestRun(): RunFile & { dir: string } {
  const dir = realpathSync(join(project, 'reports', 'latest'));
  return { dir, ...(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunFile) };
}

const outcomes = (run: RunFile) => run.outcomes.map((o) => `${o.verdict.cell.scenario} ${o.verdict.cell.transport} ${o.outcome}`).sort();

describe('the npm package, installed in another project (slow: npm pack + npm install)', () => {
  beforeAll(async () => {
    tmp = realpathSync(tempDir('mcp-interop-pack-'));
    expect(relative(ROOT, tmp).startsWith('..'), `${tmp} must be outside the checkout ${ROOT}`).toBe(true);
    project = join(tmp, 'project');
    cache = join(tmp, 'interop-cache');
    mkdirSync(join(project, 'my-scenarios'), { recursive: true });
    mkdirSync(join(project, 'bad-scenarios'), { recursive: true });
    // A user with uv on PATH (the checkout's, alone: not its python): the Python environment then
    // takes seconds instead of a minute of pip. The action's CI job covers the pip path.
    const uv = join(ROOT, '.venv', 'bin', 'uv');
    const bin = join(tmp, 'bin');
    mkdirSync(bin);
    if (existsSync(uv)) symlinkSync(uv, join(bin, 'uv'));
    env = scratchEnv({ MCP_INTEROP_CACHE: cache, PATH: `${bin}:${process.env.PATH ?? ''}` });

    const pack = await runIn(ROOT, 'npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], env, 60_000);
    expect(pack.code, pack.text).toBe(0);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    files = info!.files.map((f) => f.path);
    phase('npm pack');

    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'scratch-sdk-project', private: true }, null, 2)}\n`);
    writeFileSync(join(project, 'my-scenarios', 'my-echo.yaml'), MY_ECHO);
    writeFileSync(join(project, 'my-scenarios', 'my-wrong-text.yaml'), MY_WRONG_TEXT);
    writeFileSync(join(project, 'my-known-failures.yaml'), MY_BASELINE);
    writeFileSync(join(project, 'bad-scenarios', 'broken.yaml'), BROKEN);
    const install = await runIn(project, 'npm', ['install', '--no-audit', '--no-fund', join(tmp, info!.filename)], env, 180_000);
    expect(install.code, install.text).toBe(0);
    phase('npm install');
    pkgDir = join(project, 'node_modules', 'mcp-tasks-interop');
    before = snapshot(pkgDir);
  }, 260_000);

  afterAll(() => {
    phase('runs');
    console.log(`package test: ${phases.join(', ')}; ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
    // The scratch project holds a node_modules and a Python environment: a few hundred MB.
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('packs what a run needs and nothing only a checkout has', () => {
    expect(packProblems(files)).toEqual([]);
    // The check itself: a list without the CLI and with checkout files is refused.
    expect(packProblems(['package.json', 'node_modules/x/index.js', 'dist/src/paths.js.map', 'drivers/python/__pycache__/a.pyc'])).toEqual(
      expect.arrayContaining([
        'missing dist/src/cli/main.js',
        'should not be packed: node_modules/x/index.js',
        'should not be packed: dist/src/paths.js.map',
        'should not be packed: drivers/python/__pycache__/a.pyc',
      ]),
    );
  });

  it("validates the user's scenario folder and baseline, and names the file and field of a bad one", async () => {
    const ok = await npx(['validate', './my-scenarios', './my-known-failures.yaml'], 60_000);
    expect(ok.code, ok.text).toBe(0);
    expect(ok.stdout).toContain('ok: 2 scenario file(s), 1 baseline(s)');
    const bad = await npx(['validate', './bad-scenarios'], 60_000);
    expect(bad.code, bad.text).toBe(2);
    expect(bad.stderr).toMatch(/bad-scenarios\/broken\.yaml:\d+: client\.steps\[0\]\.ttl: /);
  }, 130_000);

  it("runs the user's scenarios with the user's baseline: reports in the project, exit 0", async () => {
    const r = await npx([
      'run',
      '--scenarios',
      './my-scenarios',
      '--baseline',
      './my-known-failures.yaml',
      '--client',
      'ts',
      '--server',
      'ts',
      '--concurrency',
      '1',
    ]);
    expect(r.code, r.text).toBe(0);
    const run = latestRun();
    expect(relative(join(project, 'reports'), run.dir).startsWith('..')).toBe(false);
    expect(outcomes(run)).toEqual(['my-echo http pass', 'my-echo stdio pass', 'my-wrong-text http known', 'my-wrong-text stdio known']);
    // index.html: the HTML report's browser code is bundled from the package's src/report/html/client/.
    for (const f of ['summary.md', 'junit.xml', 'index.html', 'assets/report.js']) expect(existsSync(join(run.dir, f)), f).toBe(true);
  }, 200_000);

  it("fails the same cell without the user's baseline (exit 1)", async () => {
    const r = await npx([
      'run',
      '--scenarios',
      './my-scenarios',
      '--scenario',
      'my-wrong-text',
      '--client',
      'ts',
      '--server',
      'ts',
      '--transport',
      'stdio',
    ]);
    expect(r.code, r.text).toBe(1);
    expect(outcomes(latestRun())).toEqual(['my-wrong-text stdio fail']);
    // The rerun line a user copies names the command of an installed package.
    expect(r.stdout).toMatch(/npx mcp-interop run .*--scenario my-wrong-text/);
  }, 200_000);

  it('runs the Python SDK from an environment in the cache, not in the package', async () => {
    const r = await npx([
      'run',
      '--scenarios',
      './my-scenarios',
      '--scenario',
      'my-echo',
      '--client',
      'ts',
      '--server',
      'py',
      '--transport',
      'stdio',
    ]);
    expect(r.code, r.text).toBe(0);
    expect(outcomes(latestRun())).toEqual(['my-echo stdio pass']);
    const pinned = (JSON.parse(readFileSync(join(pkgDir, 'drivers', 'python', 'driver.json'), 'utf8')) as { sdk: { pinned: string } }).sdk
      .pinned;
    expect(existsSync(join(cache, 'sdks', 'py', pinned, 'bin', 'python')), `the pinned mcp ${pinned} in ${cache}/sdks/py`).toBe(true);
  }, 200_000);

  // Last: after every command above.
  it('wrote nothing inside the installed package', () => {
    expect(existsSync(join(pkgDir, '.venv'))).toBe(false);
    expect(existsSync(join(pkgDir, '.cache'))).toBe(false);
    expect(existsSync(join(pkgDir, 'reports'))).toBe(false);
    expect(snapshotChanges(before, snapshot(pkgDir))).toEqual([]);
    // The comparison itself: a file added to the package shows.
    expect(snapshotChanges(before, [...before, 'drivers/python/__pycache__/'])).toEqual(['+ drivers/python/__pycache__/']);
  });
});
