/**
 * What the harness gives a driver, and what a driver folder declares about itself.
 * The contract in prose is drivers/README.md.
 */
import { z } from 'zod';
import { CONTRACT } from './contract.js';
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
 * Features a scenario can need from a side; an implementation lists those its SDK cannot express
 * under `cannot`, with the reason. Cells needing one are `unsupported`, not failed.
 *   server: action:<kind>, capability:no-list, capability:no-cancel, capability:no-tools-call,
 *           ttl:unlimited, transport:<t>
 *   client: step:<kind>, answer:sampling, receiver:elicitation, receiver:sampling (client as task
 *           receiver), option:sessions (several sessions), option:manual-handshake,
 *           option:augment-auto (awaitTask with augment auto), option:list-all, transport:<t>
 */
const Feature = z
  .string()
  .regex(
    /^(action|step|capability|ttl|answer|transport|receiver|option):[\w-]+$/,
    'expected a feature such as "action:sample" or "transport:http"',
  );

/** A reason, for every release, or only for the releases a semver range names. */
const CannotReason = z.union([
  z.string().min(1),
  z.strictObject({
    /** Semver range of the SDK releases this applies to, e.g. "<1.27.0". */
    releases: z.string().min(1),
    reason: z.string().min(1),
  }),
]);
export type CannotReason = z.infer<typeof CannotReason>;

export const DriverSide = z.strictObject({
  /**
   * argv; "{root}" is the project root, "{driver}" the driver's folder, "{sdk}" the install of the
   * SDK release the cell uses (npm: the node_modules folder holding the package; PyPI: the Python
   * environment). The harness appends the contract's arguments.
   */
  command: z.array(z.string()).min(1),
  cannot: z.record(Feature, CannotReason).default({}),
});
export type DriverSide = z.output<typeof DriverSide>;

/** The SDK a driver folder uses, and which of its releases have the tasks API. */
export const SdkDeclaration = z.strictObject({
  /** The release axis' name: `--<id> 1.29.0,latest` on the command line, `<impl>@<version>` in cell ids. */
  id: z.string().regex(/^[a-z][a-z0-9]*$/, 'expected a short lowercase name such as "ts"'),
  package: z.string().min(1),
  registry: z.enum(['npm', 'pypi']),
  /** The release a run uses unless told otherwise (installed by `npm install`). */
  pinned: z.string().min(1),
  /** Semver range of the task-capable releases (`all` and `latest` pick from these). */
  tasks: z.string().min(1),
});
export type SdkDeclaration = z.output<typeof SdkDeclaration>;

const ImplName = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'expected a lowercase name such as "ts" or "ts-mcp"');

/** One way of using the SDK (an API flavor) as a matrix implementation, for one or both roles. */
export const ImplementationDeclaration = z
  .strictObject({
    /** The name in cell ids and on the command line (`--client ts-mcp`). */
    id: ImplName,
    name: z.string().min(1),
    /** Which SDK API this implementation uses, in a sentence (for `mcp-interop list` and reports). */
    description: z.string().optional(),
    /**
     * Not part of the default matrix: it joins only scenarios that name it (`clients:`/`servers:`)
     * and runs where a filter (`--client raw`) asks for it.
     */
    optIn: z.boolean().default(false),
    server: DriverSide.optional(),
    client: DriverSide.optional(),
  })
  .refine((d) => d.server !== undefined || d.client !== undefined, { message: 'expected a `server` or a `client` side (or both)' });
export type ImplementationDeclaration = z.output<typeof ImplementationDeclaration>;

/** drivers/<folder>/driver.json */
export const DriverManifest = z.strictObject({
  $schema: z.string().optional(),
  language: z.string().min(1),
  /** Absent for implementations that use no SDK (the harness's raw JSON-RPC client). */
  sdk: SdkDeclaration.optional(),
  implementations: z.array(ImplementationDeclaration).min(1),
});
export type DriverManifest = z.output<typeof DriverManifest>;

/** Exit codes, line prefixes and environment of the driver contract (contract.ts). */
export const EXIT = CONTRACT.exit;
export const UNSUPPORTED_PREFIX = CONTRACT.prefixes.unsupported;
export const READY_PREFIX = CONTRACT.prefixes.ready;
export const DRIVER_ENV = CONTRACT.env;
