/**
 * Every catalogue check on small recorded-looking traces: each check has at least one trace it
 * passes and one it fails (enforced below), with the blamed side and the evidence seqs.
 */
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../src/judge/spec/catalogue.js';
import { runCheck } from '../../../src/judge/spec/index.js';
import { capabilityCases } from './cases/capabilities.cases.js';
import { clientReceiverCases } from './cases/client-receiver.cases.js';
import { errorCases } from './cases/errors.cases.js';
import { lifecycleCases } from './cases/lifecycle.cases.js';
import { moreCases } from './cases/more.cases.js';
import { newCheckCases } from './cases/new-checks.cases.js';
import { relatedTaskCases } from './cases/related-task.cases.js';
import { resultCases } from './cases/results.cases.js';
import { taskObjectCases } from './cases/task-object.cases.js';
import type { CheckCase } from './cases/types.js';

const CASES: CheckCase[] = [
  ...capabilityCases,
  ...taskObjectCases,
  ...lifecycleCases,
  ...resultCases,
  ...relatedTaskCases,
  ...errorCases,
  ...moreCases,
  ...newCheckCases,
  ...clientReceiverCases,
];

describe('every check has a passing and a failing trace', () => {
  it.each(CATALOGUE.map((c) => c.id))('%s', (id) => {
    const outcomes = new Set(CASES.filter((c) => c.check === id).map((c) => c.outcome));
    expect(outcomes.has('pass'), `${id} has no passing case`).toBe(true);
    expect(outcomes.has('fail'), `${id} has no failing case`).toBe(true);
  });

  it('every check of a receiver or requestor rule is judged on a client receiver too (issue 12.3)', () => {
    const roles = CATALOGUE.filter((c) => c.serverToClient);
    const missing = roles.filter((c) => !clientReceiverCases.some((k) => k.check === c.id && k.outcome === 'fail')).map((c) => c.id);
    expect(missing, 'checks without a failing client-receiver case').toEqual([]);
    for (const k of clientReceiverCases.filter((x) => x.outcome === 'fail')) {
      const party = CATALOGUE.find((c) => c.id === k.check)!.party;
      // Receivers are the client here, requestors the server; a driver's own tool runner is the harness's.
      const expected = party === 'requestor' ? 'server' : k.check === 'cancelled-task-stops' ? 'harness' : 'client';
      expect(`${k.check}: ${k.blame}`).toBe(`${k.check}: ${expected}`);
    }
  });

  it('cases name only catalogue checks', () => {
    const ids = new Set(CATALOGUE.map((c) => c.id));
    expect(CASES.map((c) => c.check).filter((id) => !ids.has(id))).toEqual([]);
  });
});

for (const id of CATALOGUE.map((c) => c.id)) {
  const check = CATALOGUE.find((c) => c.id === id)!;
  describe(`check:${id}`, () => {
    for (const c of CASES.filter((x) => x.check === id)) {
      it(`${c.outcome}: ${c.name}`, () => {
        const { record, evidence } = c.build();
        const result = runCheck(check, record);
        const summary = result.findings.map((f) => `${f.blame}: ${f.message} [${f.evidence.trace?.join(',')}]`).join('\n');
        expect(result.outcome, summary).toBe(c.outcome);
        expect(result.level).toBe(check.level);
        if (c.outcome !== 'fail') {
          expect(result.findings).toEqual([]);
          return;
        }
        expect(result.findings.length).toBeGreaterThan(0);
        for (const f of result.findings) {
          expect(f.id).toBe(`check:${id}`);
          expect(f.requirement).toBe(check.requirement);
        }
        if (c.blame) expect(result.findings.map((f) => f.blame)).toContain(c.blame);
        if (c.message) expect(summary).toMatch(c.message);
        if (evidence) {
          const cited = new Set(result.findings.flatMap((f) => f.evidence.trace ?? []));
          for (const seq of evidence) expect(cited.has(seq), `evidence should cite seq ${seq}:\n${summary}`).toBe(true);
        }
      });
    }
  });
}
