import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, SCENARIOS_DIR } from '../../src/paths.js';
import { loadScenarioFile, loadScenarios, ScenarioError } from '../../src/scenario/load.js';
import { toDriverInput } from '../../src/vocabulary/driver.js';
import { scenarioYaml, tempDir, writeFile } from '../helpers.js';

function problemsOf(yaml: string, name = 'x'): string[] {
  const dir = tempDir();
  const file = writeFile(dir, `${name}.yaml`, yaml);
  try {
    loadScenarioFile(file, dir);
  } catch (err) {
    if (err instanceof ScenarioError) return err.problems;
    throw err;
  }
  return [];
}

describe('scenario loader', () => {
  it('loads every scenario in scenarios/ and fills defaults', () => {
    const scenarios = loadScenarios(SCENARIOS_DIR);
    expect(scenarios.map((s) => s.id)).toEqual(expect.arrayContaining(['task-creation', 'ttl-expiry', 'input-required-elicitation']));
    const ttl = scenarios.find((s) => s.id === 'ttl-expiry')!;
    expect(ttl.server.capabilities).toEqual({ list: true, cancel: true, toolsCall: true });
    expect(ttl.client.steps[0]).toMatchObject({ kind: 'callTask', callTask: 'quick', ttl: 400, arguments: {} });
    expect(ttl.client.steps[1]).toMatchObject({ kind: 'poll', until: ['completed', 'failed', 'cancelled'] });
  });

  it('accepts bare step names and an empty kind key with a literal taskId', () => {
    expect(
      problemsOf(
        scenarioYaml('x', {
          client: 'client:\n  steps:\n    - listTools\n    - getTask:\n      taskId: nope\n      expect: { error: -32602 }',
        }),
      ),
    ).toEqual([]);
  });

  it('names the file, the path and the expected type', () => {
    const problems = problemsOf(
      scenarioYaml('x', { client: 'client:\n  steps:\n    - listTools\n    - listTools\n    - callTask: t\n      ttl: "soon"' }),
    );
    expect(problems).toEqual(['x.yaml:16: client.steps[2].ttl: expected number, received string']);
  });

  it('reports an unknown action kind with the kinds it knows', () => {
    const problems = problemsOf(scenarioYaml('x', { server: 'server:\n  tools:\n    - name: t\n      actions:\n        - slep: 100' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^x\.yaml:\d+: server\.tools\[0\]\.actions\[0\]: expected exactly one action kind of sleep, .*\(found keys slep\)$/,
    );
  });

  it('fills waitForCancel\u2019s cleanupMs (0 unless given) and rejects a negative one with its path', () => {
    const cancel = loadScenarios(SCENARIOS_DIR).find((s) => s.id === 'flow-cancelled-task')!;
    expect(cancel.server.tools[0]!.actions[0]).toEqual({ kind: 'waitForCancel', waitForCancel: 5000, cleanupMs: 1000 });
    const tool = (action: string) => scenarioYaml('x', { server: `server:\n  tools:\n    - name: t\n      actions:\n${action}` });
    expect(problemsOf(tool('        - waitForCancel: 100'))).toEqual([]);
    expect(problemsOf(tool('        - waitForCancel: 100\n          cleanupMs: -5'))).toEqual([
      expect.stringMatching(/^x\.yaml:\d+: server\.tools\[0\]\.actions\[0\]\.cleanupMs: .*>=0/),
    ]);
  });

  it('reports two kinds in one step', () => {
    const problems = problemsOf(scenarioYaml('x', { client: 'client:\n  steps:\n    - listTools: \n      wait: 10' }));
    expect(problems[0]).toMatch(/client\.steps\[0\]: expected exactly one step kind .*found listTools and wait/);
  });

  it('reports unexpected fields, unknown tools, unknown aliases and a mismatched id', () => {
    const problems = problemsOf(
      scenarioYaml('other', {
        client: 'client:\n  steps:\n    - callTask: nosuch\n      tll: 5\n    - callTask: t\n      as: a\n    - poll: b',
      }),
      'x',
    );
    expect(problems).toContain('x.yaml:13: client.steps[0]: unexpected field "tll"');
    const fixed = problemsOf(scenarioYaml('other', { client: 'client:\n  steps:\n    - callTask: nosuch\n    - poll: b' }), 'x');
    expect(fixed).toContain("x.yaml:13: client.steps[0].callTask: expected one of the server's tools (t)");
    expect(fixed).toContain(
      'x.yaml:14: client.steps[1].poll: expected a task alias given by an earlier callTask/awaitTask `as` (known: none)',
    );
    expect(problemsOf(scenarioYaml('other'), 'x')).toEqual(['x.yaml:1: id: expected "x" (the file name), found "other"']);
  });

  it('reports YAML syntax errors with a line number', () => {
    expect(problemsOf('id: x\ntitle: [unclosed\n')[0]).toMatch(/^x\.yaml:\d+: YAML: /);
  });

  it('reports the problems of every file at once', () => {
    const dir = tempDir();
    writeFile(dir, 'a.yaml', scenarioYaml('a', { extra: 'timeoutMs: -1' }));
    writeFile(dir, 'b.yaml', scenarioYaml('b', { extra: 'spec: [no-such-section]' }).replace('spec: [creating-tasks]\n', ''));
    writeFile(dir, 'c.yaml', scenarioYaml('c'));
    expect(() => loadScenarios(dir, dir)).toThrow(ScenarioError);
    try {
      loadScenarios(dir, dir);
    } catch (err) {
      const problems = (err as ScenarioError).problems;
      expect(problems.some((p) => /^a\.yaml:\d+: timeoutMs:/.test(p))).toBe(true);
      expect(problems.some((p) => /^b\.yaml:\d+: spec\[0\]:/.test(p))).toBe(true);
      expect(problems.some((p) => p.startsWith('c.yaml'))).toBe(false);
    }
  });

  it('strips expectations from the driver input', () => {
    const scenario = loadScenarios(SCENARIOS_DIR).find((s) => s.id === 'ttl-expiry')!;
    const input = toDriverInput(scenario);
    expect(JSON.stringify(input)).not.toContain('"expect"');
    expect(input.client.steps).toHaveLength(scenario.client.steps.length);
  });

  it('makes the CLI exit 2 with the problem, before running anything', () => {
    const dir = tempDir();
    writeFile(
      dir,
      'x.yaml',
      scenarioYaml('x', { client: 'client:\n  steps:\n    - listTools\n    - listTools\n    - callTask: t\n      ttl: "soon"' }),
    );
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), 'run', '--scenarios', dir], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      status = (err as { status: number }).status;
      stderr = (err as { stderr: string }).stderr;
    }
    expect(status).toBe(2);
    expect(stderr).toContain('x.yaml:16: client.steps[2].ttl: expected number, received string');
  });
});
