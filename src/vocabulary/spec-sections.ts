/**
 * Sections of the Tasks page of the MCP specification, revision 2025-11-25
 * (docs/specification/2025-11-25/basic/utilities/tasks.mdx), by their heading anchors.
 * Scenarios name the sections they exercise; checks cite them.
 */
export const SPEC_PAGE = 'https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities/tasks';

export const SPEC_SECTIONS = {
  capabilities: 'Capabilities',
  'server-capabilities': 'Capabilities › Server Capabilities',
  'client-capabilities': 'Capabilities › Client Capabilities',
  'capability-negotiation': 'Capabilities › Capability Negotiation',
  'tool-level-negotiation': 'Capabilities › Tool-Level Negotiation',
  'creating-tasks': 'Protocol Messages › Creating Tasks',
  'getting-tasks': 'Protocol Messages › Getting Tasks',
  'retrieving-task-results': 'Protocol Messages › Retrieving Task Results',
  'task-status-notification': 'Protocol Messages › Task Status Notification',
  'listing-tasks': 'Protocol Messages › Listing Tasks',
  'cancelling-tasks': 'Protocol Messages › Cancelling Tasks',
  'task-support-and-handling': 'Behavior Requirements › Task Support and Handling',
  'task-id-requirements': 'Behavior Requirements › Task ID Requirements',
  'task-status-lifecycle': 'Behavior Requirements › Task Status Lifecycle',
  'input-required-status': 'Behavior Requirements › Input Required Status',
  'ttl-and-resource-management': 'Behavior Requirements › TTL and Resource Management',
  'result-retrieval': 'Behavior Requirements › Result Retrieval',
  'associating-task-related-messages': 'Behavior Requirements › Associating Task-Related Messages',
  'task-notifications': 'Behavior Requirements › Task Notifications',
  'task-progress-notifications': 'Behavior Requirements › Task Progress Notifications',
  'task-listing': 'Behavior Requirements › Task Listing',
  'task-cancellation': 'Behavior Requirements › Task Cancellation',
  task: 'Data Types › Task',
  'task-status': 'Data Types › Task Status',
  'task-parameters': 'Data Types › Task Parameters',
  'related-task-metadata': 'Data Types › Related Task Metadata',
  'protocol-errors': 'Error Handling › Protocol Errors',
  'task-execution-errors': 'Error Handling › Task Execution Errors',
  'task-isolation-and-access-control': 'Security Considerations › Task Isolation and Access Control',
  'resource-management': 'Security Considerations › Resource Management',
  'audit-and-logging': 'Security Considerations › Audit and Logging',
} as const;

export type SpecSectionId = keyof typeof SPEC_SECTIONS;
export const SPEC_SECTION_IDS = Object.keys(SPEC_SECTIONS) as [SpecSectionId, ...SpecSectionId[]];

export function specUrl(section: SpecSectionId): string {
  return `${SPEC_PAGE}#${section}`;
}
