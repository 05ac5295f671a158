/**
 * What a scenario needs from each side, in the feature names drivers use in their `cannot`
 * declarations (drivers/README.md, "Registration"), and what the harness itself cannot do over a
 * transport (a fault that needs HTTP, several sessions over stdio).
 */
import type { Role, Transport } from '../vocabulary/driver.js';
import { FAULT_TRANSPORTS } from '../vocabulary/faults.js';
import type { Scenario } from '../vocabulary/scenario.js';

export function requiredFeatures(scenario: Scenario, role: Role, transport: Transport): string[] {
  const features = new Set<string>([`transport:${transport}`]);
  if (role === 'server') {
    const { capabilities, ttl, tools } = scenario.server;
    for (const tool of tools) for (const action of tool.actions) features.add(`action:${action.kind}`);
    if (!capabilities.list) features.add('capability:no-list');
    if (!capabilities.cancel) features.add('capability:no-cancel');
    if (!capabilities.toolsCall) features.add('capability:no-tools-call');
    if (ttl.default === null) features.add('ttl:unlimited');
  } else {
    const { client } = scenario;
    for (const step of client.steps) {
      features.add(`step:${step.kind}`);
      if (step.kind === 'awaitTask' && step.augment === 'auto') features.add('option:augment-auto');
      if (step.kind === 'listTasks' && step.all) features.add('option:list-all');
    }
    if (client.sampling.length) features.add('answer:sampling');
    if (client.tasks?.elicitation) features.add('receiver:elicitation');
    if (client.tasks?.sampling) features.add('receiver:sampling');
    if (client.sessions.length > 1) features.add('option:sessions');
    if (client.handshake === 'manual') features.add('option:manual-handshake');
  }
  return [...features];
}

/** Why the harness cannot run the scenario over this transport, if it cannot (feature, reason). */
export function harnessLimits(scenario: Scenario, transport: Transport): { feature: string; reason: string }[] {
  const out: { feature: string; reason: string }[] = [];
  for (const fault of scenario.faults) {
    if (!FAULT_TRANSPORTS[fault.kind].includes(transport)) {
      out.push({
        feature: `fault:${fault.kind}`,
        reason:
          fault.kind === 'restartServer'
            ? 'over stdio the client SDK owns the server process it spawned; a fresh process would be a new connection the client never initialized, not a restart of the same server'
            : `the ${fault.kind} fault acts on HTTP streams and bodies; ${transport} has none`,
      });
    }
  }
  if (transport === 'stdio' && scenario.client.sessions.length > 1) {
    out.push({
      feature: 'option:sessions',
      reason: 'over stdio each client session spawns its own server process, so two sessions never share a receiver to isolate',
    });
  }
  return out;
}
