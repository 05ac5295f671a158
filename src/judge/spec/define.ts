/**
 * How a catalogue check is declared: it names the requirement(s) it enforces by id, and takes its
 * section, quoted requirement and level from that list (requirements.ts), so a check can never
 * quote text that is not the spec's, and the requirements table can say which checks cover what.
 */

import type { Side } from '../trace-index.js';
import type { Blame, CellRecord, Finding, Level, SpecCheck } from '../types.js';
import { type Party, type RequirementLevel, requirementById } from './requirements.js';

export type CheckFinding = Omit<Finding, 'id' | 'level' | 'section' | 'requirement'>;
export type CheckOutput = CheckFinding[] | 'n/a';

/** A SpecCheck plus the ids of the requirements it covers (the first one is quoted). */
export interface CatalogueCheck extends SpecCheck {
  requirements: readonly [string, ...string[]];
  /** The party a finding blames, for the requirements table (a role: receiver, requestor, ...). */
  party: Party;
  /** False for a check bound to one direction (tools, the HTTP server, sessions, the client's own flow): it never judges server→client tasks. */
  serverToClient: boolean;
}

export interface CheckDefinition {
  id: string;
  /** Requirement ids; the first gives section, quoted text and (unless `level` is set) level. */
  requirements: readonly [string, ...string[]];
  /** Overrides the level derived from the first requirement (used for schema-backed checks). */
  level?: Level;
  /** Default blame, for reports; findings carry their own (a receiver may be either side). */
  blame: Blame;
  /** The party blamed, when not the one the first requirement binds. */
  party?: Party;
  /** Set to false when the check is bound to one direction and never judges server→client tasks (default true). */
  serverToClient?: boolean;
  run(record: CellRecord): CheckOutput;
}

export function levelOf(level: RequirementLevel): Level {
  if (level === 'MUST' || level === 'MUST NOT') return 'MUST';
  if (level === 'SHOULD' || level === 'SHOULD NOT') return 'SHOULD';
  return 'MAY';
}

export function defineCheck(def: CheckDefinition): CatalogueCheck {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(def.id)) throw new Error(`check id "${def.id}" is not kebab-case`);
  const primary = requirementById(def.requirements[0]);
  for (const id of def.requirements.slice(1)) requirementById(id);
  return {
    id: def.id,
    section: primary.section,
    requirement: primary.text,
    level: def.level ?? levelOf(primary.level),
    blame: def.blame,
    requirements: def.requirements,
    party: def.party ?? primary.binds,
    serverToClient: def.serverToClient ?? true,
    run: def.run,
  };
}

/** One finding; evidence = the trace seqs, deduplicated and sorted. */
export function finding(blame: Side | Blame, message: string, seqs: readonly (number | undefined)[]): CheckFinding {
  const trace = [...new Set(seqs.filter((s): s is number => s !== undefined))].sort((a, b) => a - b);
  return { blame, message, evidence: { trace } };
}

/**
 * Collects a check's findings while counting the cases it applied to, so that a check that found
 * nothing to judge says 'n/a' rather than a vacuous pass.
 */
export class Verdict {
  private applicable = 0;
  readonly findings: CheckFinding[] = [];

  /** Marks one case as judged. */
  applies(): void {
    this.applicable++;
  }

  fail(blame: Side | Blame, message: string, seqs: readonly (number | undefined)[]): void {
    this.findings.push(finding(blame, message, seqs));
  }

  result(): CheckOutput {
    return this.applicable === 0 && this.findings.length === 0 ? 'n/a' : this.findings;
  }
}

/** Short JSON for messages: values quoted the way they appeared on the wire. */
export function show(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return 'absent';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
