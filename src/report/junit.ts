/** junit.xml: one test case per cell, grouped in a suite per pairing and transport. */
import junitModule, { type Builder } from 'junit-report-builder';
import type { CellOutcome } from '../judge/baseline.js';
import { findingLine, knownReason, problemLines, unsupportedLine } from './format.js';
import { pairingOf } from './matrix-model.js';

// The package is CommonJS (`module.exports = builder`) but its types declare an ES default
// export, so under NodeNext the default import is typed as the module namespace: cast it.
const junit = junitModule as unknown as Builder;

export function junitXml(outcomes: CellOutcome[], runDir: string): string {
  const builder = junit.newBuilder().name('mcp-tasks-interop');
  const suites = new Map<string, ReturnType<typeof builder.testSuite>>();
  for (const o of outcomes) {
    const v = o.verdict;
    const suiteName = `${pairingOf(o)} · ${v.cell.transport}`;
    let suite = suites.get(suiteName);
    if (!suite) {
      suite = builder.testSuite().name(suiteName);
      suites.set(suiteName, suite);
    }
    const tc = suite
      .testCase()
      .className(`mcp-interop.${v.cell.client}-${v.cell.server}.${v.cell.transport}`)
      .name(v.cell.id)
      .time(v.durationMs / 1000);
    const out = [
      `outcome: ${o.outcome}`,
      `trace: ${runDir}/${v.files.trace || '(none)'}`,
      `cell files: ${runDir}/${v.files.dir || '(none)'}`,
      `rerun: ${v.rerun}`,
      ...o.known.map((k) => `known: ${findingLine(k.finding)} — ${knownReason(k.entry)}`),
      ...v.warnings.map((w) => `warning: ${findingLine(w)}`),
      ...v.info.map((i) => `info: ${findingLine(i)}`),
    ];
    if (o.outcome === 'fail' || o.outcome === 'stale') {
      const problems = problemLines(o);
      tc.failure(problems.join('; '), o.outcome === 'stale' ? 'stale-baseline' : 'interop-failure');
      out.unshift(...problems.map((p) => `failure: ${p}`));
    } else if (o.outcome === 'unsupported') {
      tc.skipped();
      out.unshift(`unsupported: ${unsupportedLine(o)}`);
    }
    tc.standardOutput(out.join('\n'));
  }
  return builder.build();
}
