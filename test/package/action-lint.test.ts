/**
 * actionlint on the composite action's own steps. actionlint reads action.yml only through a
 * workflow that uses it (`npm run check` lints .github/workflows, whose `action` job uses ./:
 * input names and required keys); it never lints a composite's steps. Here they are wrapped in a
 * workflow (the action's inputs as workflow_call inputs, its steps as one job's, its outputs as
 * that job's) so that actionlint checks their expressions, the step ids they read, and with
 * shellcheck on PATH their scripts. Skipped when actionlint is not on PATH, like `npm run check`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ROOT } from '../../src/paths.js';
import { tempDir } from '../helpers.js';

interface ActionFile {
  name: string;
  inputs?: Record<string, { description?: string; default?: string }>;
  outputs?: Record<string, { description?: string; value: string }>;
  runs: { using: string; steps: unknown[] };
}

const probe = spawnSync('actionlint', ['-version'], { encoding: 'utf8' });
const HAVE_ACTIONLINT = !probe.error && probe.status === 0;

/** The composite action as a reusable workflow with one job, for actionlint. */
function actionAsWorkflow(action: ActionFile): string {
  const inputs = Object.fromEntries(
    Object.entries(action.inputs ?? {}).map(([k, v]) => [k, { type: 'string', required: false, default: v.default ?? '' }]),
  );
  const outputs = Object.fromEntries(Object.entries(action.outputs ?? {}).map(([k, v]) => [k, v.value]));
  return YAML.stringify(
    {
      name: `action.yml (${action.name})`,
      on: { workflow_call: { inputs } },
      jobs: { action: { 'runs-on': 'ubuntu-24.04', outputs, steps: action.runs.steps } },
    },
    { blockQuote: 'literal' },
  );
}

function lint(text: string): { code: number | null; output: string } {
  const dir = tempDir('mcp-interop-actionlint-');
  const file = join(dir, 'action-as-workflow.yml');
  writeFileSync(file, text);
  const r = spawnSync('actionlint', ['-no-color', file], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, output: `${r.stdout}${r.stderr}${r.error ? r.error.message : ''}` };
}

describe.skipIf(!HAVE_ACTIONLINT)('actionlint on the steps of action.yml', () => {
  const text = readFileSync(join(ROOT, 'action.yml'), 'utf8');
  const action = YAML.parse(text) as ActionFile;

  it('is a composite action whose steps actionlint accepts', () => {
    expect(action.runs.using).toBe('composite');
    const r = lint(actionAsWorkflow(action));
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  });

  it('reports an input the action does not declare (the wrapping keeps what actionlint checks)', () => {
    const broken = YAML.parse(text.replace('inputs.scenarios }}', 'inputs.scenario_folder }}')) as ActionFile;
    const r = lint(actionAsWorkflow(broken));
    expect(r.code).toBe(1);
    expect(r.output).toContain('scenario_folder');
  });
});
