/**
 * Entry point of the spec referee: runs every catalogue check on one cell's record and turns
 * each check's raw findings into CheckResults (id `check:<id>`, level, section, requirement).
 */
import type { CellRecord, CheckResult, Finding } from '../types.js';
import { CATALOGUE } from './catalogue.js';
import type { CatalogueCheck } from './define.js';

export function runCheck(check: CatalogueCheck, record: CellRecord): CheckResult {
  let raw: ReturnType<CatalogueCheck['run']>;
  try {
    raw = check.run(record);
  } catch (err) {
    // A crashing check is the harness's fault, never a pass: report it and keep judging.
    raw = [{ blame: 'harness', message: `check crashed: ${(err as Error).stack ?? String(err)}`, evidence: {} }];
  }
  if (raw === 'n/a') return { id: check.id, level: check.level, section: check.section, outcome: 'n/a', findings: [] };
  const findings: Finding[] = raw.map((f) => ({
    ...f,
    id: `check:${check.id}`,
    level: check.level,
    section: check.section,
    requirement: check.requirement,
  }));
  return { id: check.id, level: check.level, section: check.section, outcome: findings.length ? 'fail' : 'pass', findings };
}

export function runSpecChecks(record: CellRecord): CheckResult[] {
  return CATALOGUE.map((check) => runCheck(check, record));
}

export { CATALOGUE } from './catalogue.js';
