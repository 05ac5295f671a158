/** The harness's node options are the same wherever it is started (src/cli/main.ts says why). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/paths.js';

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('node options of the harness', () => {
  const shebang = read('src/cli/main.ts').split('\n')[0]!;
  const flags = /^#!\/usr\/bin\/env -S node (.+)$/.exec(shebang)?.[1];

  it('the command line starts node with the young-generation size', () => {
    expect(flags).toBe('--max-semi-space-size=4');
  });

  it('every npm script that runs the harness and action.yml pass the same options', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['start', 'list', 'soak', 'bench:memory']) expect(scripts[name], name).toContain(`node ${flags} dist/`);
    const runs = read('action.yml').match(/node [^\n]*"\$cli"/g) ?? [];
    expect(runs.length).toBeGreaterThan(0);
    for (const line of runs) expect(line).toContain(`node ${flags} "$cli"`);
  });
});
