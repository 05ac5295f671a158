/**
 * What the harness gives a driver, and what a driver declares about itself.
 * The contract in prose is drivers/README.md.
 */
import { z } from 'zod';
import { ClientSection, type Scenario, ServerSection } from './scenario.js';

/**
 * The driver input file (--scenario): the validated scenario with defaults filled in and
 * `kind` on every action and step, minus the step expectations (drivers never judge).
 */
export const DriverInput = z.strictObject({
  id: z.string(),
  server: ServerSection,
  client: ClientSection,
});
export type DriverInput = z.output<typeof DriverInput>;

export function toDriverInput(scenario: Scenario): DriverInput {
  return {
    id: scenario.id,
    server: scenario.server,
    client: { ...scenario.client, steps: scenario.client.steps.map(({ expect: _expect, ...step }) => step) },
  } as DriverInput;
}

export const Role = z.enum(['client', 'server']);
export type Role = z.infer<typeof Role>;
export const Transport = z.enum(['stdio', 'http']);
export type Transport = z.infer<typeof Transport>;

/**
 * Features a scenario can need from a side; a driver lists those its SDK cannot express under
 * `cannot`, with the reason. Cells needing one are `unsupported`, not failed.
 *   server: action:<kind>, capability:no-list, capability:no-cancel, capability:no-tools-call,
 *           ttl:unlimited, transport:<t>
 *   client: step:<kind>, answer:sampling, transport:<t>
 */
const Feature = z
  .string()
  .regex(/^(action|step|capability|ttl|answer|transport):[\w-]+$/, 'expected a feature such as "action:sample" or "transport:http"');

export const DriverSide = z.strictObject({
  /** argv; "{root}" is replaced with the project root. The harness appends the contract's arguments. */
  command: z.array(z.string()).min(1),
  cannot: z.record(Feature, z.string().min(1)).default({}),
});

export const DriverManifest = z.strictObject({
  $schema: z.string().optional(),
  /** Short id used on the command line and in cell ids (ts, py, ...). */
  id: z.string().regex(/^[a-z][a-z0-9]*$/),
  name: z.string(),
  language: z.string(),
  sdk: z.strictObject({ package: z.string(), version: z.string() }),
  server: DriverSide,
  client: DriverSide,
});
export type DriverManifest = z.output<typeof DriverManifest>;

/** Exit codes of the driver contract. */
export const EXIT = { ok: 0, driverError: 1, usage: 2, unsupported: 127 } as const;

/** Line a driver prints on stderr before exiting 127 (and a server on stdout when ready, over HTTP). */
export const UNSUPPORTED_PREFIX = 'unsupported:';
export const READY_PREFIX = 'ready:';
