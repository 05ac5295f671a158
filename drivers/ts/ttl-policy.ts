/**
 * The TTL policy of the contract, for any receiver (the server of tools/call tasks, the client of
 * elicitation/sampling tasks): the requested ttl capped at `max` when requests are honoured and a
 * ttl was requested, otherwise the policy's default (null = unlimited).
 */
import type { DriverInput } from '../../src/vocabulary/index.js';

export type TtlPolicy = DriverInput['server']['ttl'];

/**
 * `requested` is the SDK's `extra.taskRequestedTtl`: a number, undefined for `task: {}`, and
 * null only on 1.24.x (the one release line that accepts `ttl: null`; 1.25.0+ answer -32603), where it
 * asks for unlimited and is therefore capped at `max` like any long request.
 */
export function chooseTtl(policy: TtlPolicy, requested: number | null | undefined): number | null {
  if (!policy.honourRequested || requested === undefined) return policy.default;
  if (requested === null) return policy.max ?? null;
  return policy.max !== undefined ? Math.min(requested, policy.max) : requested;
}
