/**
 * `mcp-interop validate`: each mistake a scenario author can make is rejected before anything
 * runs, with the file, the line, the path and what was expected (issue: no silent mistakes), and
 * the command exits 2; the project's own files validate.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/paths.js';
import { validatePaths } from '../../src/scenario/validate.js';
import { scenarioYaml, tempDir, writeFile } from '../helpers.js';

const CLI = join(ROOT, 'dist/src/cli/main.js');

function problemsOf(yaml: string): string[] {
  const dir = tempDir();
  writeFile(dir, 'x.yaml', yaml);
  return validatePaths([join(dir, 'x.yaml')]).problems.map((p) => p.replace(/^.*x\.yaml/, 'x.yaml'));
}

const tool = (actions: string, extra = '') =>
  `server:\n  tools:\n    - name: t\n      execution: { taskSupport: optional }\n${extra}      actions:\n${actions}`;

describe('validate', () => {
  it('passes on the project (scenarios, baseline, driver manifests) and exits 0', () => {
    const out = execFileSync(process.execPath, [CLI, 'validate'], { cwd: ROOT, encoding: 'utf8' });
    expect(out).toMatch(/^ok: \d+ scenario file\(s\), 1 baseline\(s\), \d+ driver manifest\(s\)/);
  });

  it('rejects a cell timeoutMs of 0 or less, and a step timeoutMs of 0', () => {
    expect(problemsOf(scenarioYaml('x', { extra: 'timeoutMs: 0' }))).toEqual(['x.yaml:4: timeoutMs: Too small: expected number to be >0']);
    expect(problemsOf(scenarioYaml('x', { extra: 'timeoutMs: -5' }))).toEqual(['x.yaml:4: timeoutMs: Too small: expected number to be >0']);
    expect(problemsOf(scenarioYaml('x', { client: 'client:\n  steps:\n    - listTools\n    - wait: 5\n      timeoutMs: 0' }))).toEqual([
      'x.yaml:15: client.steps[1].timeoutMs: Too small: expected number to be >0',
    ]);
  });

  it('rejects the same `as` alias given twice', () => {
    const problems = problemsOf(
      scenarioYaml('x', { client: 'client:\n  steps:\n    - callTask: t\n      as: a\n    - callTask: t\n      as: a' }),
    );
    expect(problems).toEqual(['x.yaml:16: client.steps[1].as: the alias "a" is already given by an earlier step']);
  });

  it('rejects a template that does not parse, and one naming an alias no earlier action defines', () => {
    const broken = problemsOf(scenarioYaml('x', { server: tool('        - complete: [{ type: text, text: "Hi {{nope" }]\n') }));
    expect(broken).toEqual([
      'x.yaml:10: server.tools[0].actions[0].complete[0].text: a template does not parse: "Hi {{nope" (expected {{name.path}})',
    ]);
    const early = problemsOf(
      scenarioYaml('x', {
        server: tool(
          '        - complete: [{ type: text, text: "Hi {{who.content.name}}" }]\n        - elicit: "Name?"\n          requestedSchema: { type: object }\n          as: who\n',
        ),
      }),
    );
    expect(early).toEqual([
      'x.yaml:10: server.tools[0].actions[0].complete[0].text: {{who.content.name}} names "who", which no earlier elicit/sample action of this tool keeps (`as`) and is not `arguments` (known: arguments)',
    ]);
    expect(problemsOf(scenarioYaml('x', { server: tool('        - complete: [{ type: text, text: "{{arguments.city}}" }]\n') }))).toEqual(
      [],
    );
  });

  it('rejects a send step naming a task alias before any step gives it', () => {
    const problems = problemsOf(
      scenarioYaml('x', {
        client: 'client:\n  steps:\n    - send: tasks/get\n      params: { taskId: "{{t}}" }\n    - callTask: t\n      as: t',
      }),
    );
    expect(problems).toEqual([
      'x.yaml:14: client.steps[0].params.taskId: {{t}} names "t", which no earlier step gives as a task alias (known: none)',
    ]);
  });

  it('rejects a scenario whose sleeps and waits alone exceed its timeoutMs, naming the numbers', () => {
    const problems = problemsOf(
      scenarioYaml('x', {
        extra: 'timeoutMs: 1000',
        server: tool('        - sleep: 800\n        - complete: []\n'),
        client: 'client:\n  steps:\n    - callTask: t\n      as: a\n    - wait: 300\n    - result: a',
      }),
    );
    expect(problems).toEqual([
      "x.yaml:4: timeoutMs: the client's waits (300 ms) and the sleeps of the tools it blocks on (800 ms) add up to 1100 ms, more than the scenario's timeoutMs (1000 ms): the cell would always time out",
    ]);
  });

  it('rejects an expectation key that does not apply to its step', () => {
    const problems = problemsOf(
      scenarioYaml('x', {
        client: 'client:\n  steps:\n    - callTask: t\n      as: a\n    - getTask: a\n      expect: { statuses: [working] }',
      }),
    );
    expect(problems).toEqual([
      'x.yaml:16: client.steps[1].expect.statuses: `statuses` does not apply to a getTask step (it takes error, mayFail, status, task)',
    ]);
  });

  it('checks a baseline and a driver manifest, and the CLI exits 2 listing every problem', () => {
    const dir = tempDir();
    writeFile(dir, 'known-failures.yaml', 'known:\n  - scenario: nope\n    failure: check:x\n    reason: a good reason here\n');
    writeFile(dir, 'bad.yaml', scenarioYaml('bad', { extra: 'timeoutMs: 0' }));
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, [CLI, 'validate', dir], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      status = (err as { status: number }).status;
      stderr = (err as { stderr: string }).stderr;
    }
    expect(status).toBe(2);
    expect(stderr).toContain('bad.yaml:4: timeoutMs: Too small: expected number to be >0');
    expect(stderr).toContain('known-failures.yaml:2: known[0].scenario: unknown scenario "nope"');
    expect(stderr).toMatch(/2 problem\(s\) in 1 scenario file\(s\), 1 baseline\(s\), 0 driver manifest\(s\)/);
  });
});
