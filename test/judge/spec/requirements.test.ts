/**
 * The requirements list, the catalogue's citations of it, and docs/requirements.md generated from
 * both (run `npm run build && node dist/scripts/gen-requirements.js` when this fails as stale).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../src/judge/spec/catalogue.js';
import { defineCheck, levelOf } from '../../../src/judge/spec/define.js';
import { REQUIREMENTS, requirementById } from '../../../src/judge/spec/requirements.js';
import { coverage, REQUIREMENTS_DOC, renderRequirementsDoc } from '../../../src/judge/spec/requirements-doc.js';
import { SCENARIOS_DIR } from '../../../src/paths.js';
import { loadScenarios } from '../../../src/scenario/load.js';

describe('requirements list', () => {
  it('has unique kebab-case ids', () => {
    const ids = REQUIREMENTS.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('quotes a sentence carrying its own keyword', () => {
    for (const r of REQUIREMENTS.filter((x) => x.source === 'keyword')) expect(r.text, r.id).toContain(r.level);
    for (const r of REQUIREMENTS.filter((x) => x.source === 'lowercase')) expect(r.text, r.id).toMatch(/\bshould\b/);
  });

  it('says, for each requirement no check covers, why it is not testable (and only then)', () => {
    const covered = coverage(CATALOGUE);
    for (const r of REQUIREMENTS) {
      const by = covered.get(r.id) ?? [];
      if (by.length) expect(r.untestable, `${r.id} is covered by ${by.join(', ')} but marked untestable`).toBeUndefined();
      else expect(r.untestable, `${r.id} has no check and no reason`).toBeTruthy();
    }
  });

  it('leaves uncovered only what is genuinely untestable (or out of scope by choice), each with its kind of reason', () => {
    const covered = coverage(CATALOGUE);
    const uncovered = REQUIREMENTS.filter((r) => !(covered.get(r.id) ?? []).length);
    for (const r of uncovered) {
      expect(r.why, `${r.id} says why not in words but not of which kind`).toBeDefined();
      expect(r.why === 'permission', `${r.id}: only a MAY granting a freedom is a permission`).toBe(r.permission === true);
    }
    // The transport reminders are the only rows left out by choice.
    expect(uncovered.filter((r) => r.why === 'out-of-scope').map((r) => r.id)).toEqual([
      'get-transport-compliance',
      'result-transport-compliance',
      'input-transport-compliance',
    ]);
  });

  it('quotes the sentence added to the 2025-11-25 page after release, word for word', () => {
    expect(requirementById('iso-list-unidentified').text).toBe(
      'Furthermore, receivers that cannot identify requestors SHOULD NOT declare the `tasks.list` capability, as listing tasks would expose task metadata to any requestor regardless of task ID entropy.',
    );
  });
});

describe('catalogue citations', () => {
  it.each(CATALOGUE.map((c) => [c.id, c] as const))('%s quotes a listed requirement', (_id, check) => {
    const primary = requirementById(check.requirements[0]);
    expect(check.requirement).toBe(primary.text);
    expect(check.section).toBe(primary.section);
    for (const id of check.requirements)
      expect(
        REQUIREMENTS.some((r) => r.id === id),
        id,
      ).toBe(true);
    if (check.id !== 'model-immediate-response-string') expect(check.level).toBe(levelOf(primary.level));
  });

  it('refuses a check citing a requirement that is not in the list', () => {
    expect(() => defineCheck({ id: 'made-up', requirements: ['no-such-requirement'], blame: 'server', run: () => 'n/a' })).toThrow(
      /unknown requirement id "no-such-requirement"/,
    );
  });
});

describe('docs/requirements.md', () => {
  const scenarios = loadScenarios(SCENARIOS_DIR);
  const expected = renderRequirementsDoc(CATALOGUE, scenarios);

  it('is up to date (regenerate: npm run build && node dist/scripts/gen-requirements.js)', () => {
    expect(readFileSync(REQUIREMENTS_DOC, 'utf8')).toBe(expected);
  });

  it('lists every requirement and every check', () => {
    for (const r of REQUIREMENTS) expect(expected).toContain(`<a id="${r.id}"></a>`);
    for (const c of CATALOGUE) expect(expected).toContain(`| \`${c.id}\` |`);
  });

  it('names the scenarios exercising a section', () => {
    const withSpec = scenarios.find((s) => s.spec.length > 0);
    if (!withSpec) return expect(scenarios).toEqual([]);
    const section = withSpec.spec[0]!;
    const doc = renderRequirementsDoc(CATALOGUE, [{ id: 'probe-scenario', spec: [section] }]);
    expect(doc).toMatch(/scenarios: `probe-scenario`/);
  });
});
