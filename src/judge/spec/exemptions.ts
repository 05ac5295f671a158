/**
 * What the scenario itself asked the client to do. Some scenarios make the requestor break a rule
 * on purpose, to see how the receiver answers (a literal unknown `taskId:`, a bogus `cursor:`, a
 * required tool called without a task, a task on a server told not to declare `tools.call`). The
 * client then only did what it was told; requestor-side checks leave those messages out, and the
 * receiver-side checks still judge the answer.
 */
import type { Scenario } from '../../vocabulary/scenario.js';

type Steps = Scenario['client']['steps'];

function steps(scenario: Scenario | undefined): Steps {
  return scenario?.client?.steps ?? [];
}

/** Literal cursors the scenario gives `listTasks` steps. */
export function literalCursors(scenario: Scenario | undefined): Set<string> {
  const cursors = new Set<string>();
  for (const step of steps(scenario)) if (step.kind === 'listTasks' && step.cursor !== undefined) cursors.add(step.cursor);
  return cursors;
}

function scenarioTool(scenario: Scenario | undefined, name: string) {
  return scenario?.server?.tools?.find((t) => t.name === name);
}

/** taskSupport as the scenario declares the tool (undefined = absent = forbidden). */
export function scenarioTaskSupport(scenario: Scenario | undefined, name: string): string | undefined {
  return scenarioTool(scenario, name)?.execution?.taskSupport;
}

export function hasTool(scenario: Scenario | undefined, name: string): boolean {
  return scenarioTool(scenario, name) !== undefined;
}

/** The scenario calls this tool without a task although it declares the tool `required`. */
export function deliberatePlainCall(scenario: Scenario | undefined, tool: string): boolean {
  return scenarioTaskSupport(scenario, tool) === 'required' && steps(scenario).some((s) => s.kind === 'callTool' && s.callTool === tool);
}

/** The scenario calls this tool as a task although it declares the tool forbidden (or leaves it out). */
export function deliberateTaskCallOnForbidden(scenario: Scenario | undefined, tool: string): boolean {
  const support = scenarioTaskSupport(scenario, tool);
  return (
    hasTool(scenario, tool) &&
    (support === undefined || support === 'forbidden') &&
    steps(scenario).some((s) => s.kind === 'callTask' && s.callTask === tool)
  );
}

/** The scenario tells the server not to declare `tasks.requests.tools.call` and still calls a task. */
export function deliberateTaskCallWithoutCapability(scenario: Scenario | undefined, tool: string): boolean {
  return scenario?.server?.capabilities?.toolsCall === false && steps(scenario).some((s) => s.kind === 'callTask' && s.callTask === tool);
}

/** Whether the server is told to send task-augmented `method` requests to a client that does not declare them. */
export function deliberateUndeclaredAugment(scenario: Scenario | undefined, method: string): boolean {
  const kind = method === 'elicitation/create' ? 'elicitTask' : method === 'sampling/createMessage' ? 'sampleTask' : undefined;
  if (!kind || !scenario?.server?.tools?.some((t) => t.actions.some((a) => a.kind === kind))) return false;
  const tasks = scenario.client?.tasks;
  return !tasks || (kind === 'elicitTask' ? !tasks.elicitation : !tasks.sampling);
}
