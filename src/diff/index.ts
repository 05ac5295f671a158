/** The trace diff's public surface (see README.md in this folder). */
export type { Conversation, Step, Via } from './conversation.js';
export { type Difference, type DifferenceKind, type DiffResult, diffConversations } from './diff.js';
export { normalise } from './normalise.js';
