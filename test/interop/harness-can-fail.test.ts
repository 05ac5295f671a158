/**
 * The harness must be able to fail: a scratch scenario with a deliberately wrong expectation
 * fails in every pairing that runs it, through the real CLI (exit code 1, a FAIL line and a
 * rerun command per cell).
 */
import { execFile } from 'node:child_process';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/paths.js';
import { tempDir, writeFile } from '../helpers.js';

const run = promisify(execFile);

describe('a deliberately wrong expectation', () => {
  it('fails every pairing that runs it', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    writeFile(
      dir,
      'wrong-answer.yaml',
      `id: wrong-answer
title: Expects a result the tool never gives
spec: [result-retrieval]
server:
  pollInterval: 50
  tools:
    - name: answer
      execution: { taskSupport: optional }
      actions:
        - sleep: 50
        - complete: [{ type: text, text: "42" }]
client:
  steps:
    - callTask: answer
      ttl: 30000
      as: a
    - poll: a
    - result: a
      expect:
        content: [{ type: text, text: "43" }]
`,
    );
    let code = 0;
    let stdout = '';
    try {
      await run(
        process.execPath,
        [join(ROOT, 'dist/src/cli/main.js'), 'run', '--scenarios', dir, '--transport', 'stdio', '--reports', join(dir, 'reports')],
        { cwd: ROOT },
      );
    } catch (err) {
      code = (err as { code: number }).code;
      stdout = (err as { stdout: string }).stdout;
    }
    expect(code).toBe(1);
    for (const pairing of ['py→py', 'py→ts', 'py→ts-mcp', 'ts→py', 'ts→ts', 'ts→ts-mcp']) {
      expect(stdout).toMatch(new RegExp(`FAIL\\s+wrong-answer · ${pairing} · stdio`));
      // The rerun repeats the scenario folder it came from (a relative path), then the cell's filters.
      const [client, server] = pairing.split('→');
      expect(stdout).toMatch(
        new RegExp(
          `npm start -- --scenarios \\S*${basename(dir)} --scenario wrong-answer --client ${client} --server ${server} --transport stdio`,
        ),
      );
    }
    expect(stdout).toContain('expect:s3-result.content [server] content[0].text: expected "43", got "42"');
  });
});
