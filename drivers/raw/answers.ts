/**
 * Answers to the server's requests (driver contract, "Client driver"): elicitation/create with the
 * next canned answer ({action: "cancel"} when none is left), sampling/createMessage with the next
 * canned text (a JSON-RPC error when none is left), ping with {}. The raw client follows the spec
 * exactly: an answer to a request that carries related-task metadata carries it too ("all
 * requests, notifications, and responses related to a task MUST include" it). Anything else the
 * client does not offer gets -32601.
 */
import { CONTRACT, type DriverInput } from '../../src/vocabulary/index.js';
import { isObject } from './jsonrpc.js';
import type { Answer } from './peer.js';

const RELATED = CONTRACT.relatedTaskKey;
export const METHOD_NOT_FOUND = -32601;

/** The related-task `_meta` of a request's params, to put on its answer. */
export function relatedMeta(params: unknown): Record<string, unknown> | undefined {
  if (!isObject(params) || !isObject(params._meta)) return undefined;
  const related = params._meta[RELATED];
  return related === undefined ? undefined : { [RELATED]: related };
}

/** The answer with the request's related-task `_meta` added to its result (errors carry none). */
export function withRelatedMeta(answer: Answer, params: unknown): Answer {
  const meta = relatedMeta(params);
  return 'result' in answer && meta && isObject(answer.result) ? { result: { ...answer.result, _meta: meta } } : answer;
}

export class CannedAnswers {
  private readonly elicitation: DriverInput['client']['elicitation'];
  private readonly sampling: DriverInput['client']['sampling'];

  constructor(client: DriverInput['client']) {
    // One list for the whole client, used in order whichever session asks.
    this.elicitation = [...client.elicitation];
    this.sampling = [...client.sampling];
  }

  /** The answer the user gives to an elicitation (without `_meta`). */
  nextElicitation(): Record<string, unknown> {
    const next = this.elicitation.shift();
    return next ? { action: next.action, ...(next.content !== undefined && { content: next.content }) } : { action: 'cancel' };
  }

  /** The sampling answer, or the refusal when none is left. */
  nextSampling(): Answer {
    const next = this.sampling.shift();
    if (!next) return { error: { code: CONTRACT.samplingRefusedCode, message: 'User rejected sampling request (no canned answer left)' } };
    return { result: { role: 'assistant', content: { type: 'text', text: next.text }, model: next.model, stopReason: 'endTurn' } };
  }

  /** Answers one server request the client answers without a task of its own. */
  answer(method: string, params: unknown): Answer {
    switch (method) {
      case 'ping':
        return { result: {} };
      case 'elicitation/create':
        return withRelatedMeta({ result: this.nextElicitation() }, params);
      case 'sampling/createMessage':
        return withRelatedMeta(this.nextSampling(), params);
      default:
        return { error: { code: METHOD_NOT_FOUND, message: `Method not found: ${method}` } };
    }
  }
}
