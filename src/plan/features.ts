/**
 * What a scenario needs from each side, in the feature names drivers use in their `cannot`
 * declarations (drivers/README.md, "Registration").
 */
import type { Role, Transport } from '../vocabulary/driver.js';
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
    for (const step of scenario.client.steps) features.add(`step:${step.kind}`);
    if (scenario.client.sampling.length) features.add('answer:sampling');
  }
  return [...features];
}
