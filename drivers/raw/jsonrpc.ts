/**
 * JSON-RPC 2.0 messages as the raw client builds and reads them: no validation beyond telling a
 * request, a notification and a response apart, so that whatever a server sends is recorded as it
 * came (the judge's wire checks say whether it was valid).
 */

export type JsonRpcId = string | number | null;
export type JsonObject = Record<string, unknown>;

export interface JsonRpcErrorObject {
  code: unknown;
  message: unknown;
  data?: unknown;
}

export type Incoming =
  | { kind: 'request'; id: JsonRpcId; method: string; params: unknown; msg: JsonObject }
  | { kind: 'notification'; method: string; params: unknown; msg: JsonObject }
  | { kind: 'response'; id: JsonRpcId; result?: unknown; error?: JsonRpcErrorObject; msg: JsonObject }
  | { kind: 'other'; msg: unknown };

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A key that keeps ids of different JSON types apart (1 and "1" are different ids). */
export function idKey(id: unknown): string {
  return JSON.stringify(id ?? null);
}

export function classify(msg: unknown): Incoming {
  if (!isObject(msg)) return { kind: 'other', msg };
  if (typeof msg.method === 'string') {
    if ('id' in msg) return { kind: 'request', id: msg.id as JsonRpcId, method: msg.method, params: msg.params, msg };
    return { kind: 'notification', method: msg.method, params: msg.params, msg };
  }
  if ('result' in msg || 'error' in msg) {
    const id = (msg.id ?? null) as JsonRpcId;
    if ('error' in msg) {
      const error = isObject(msg.error) ? (msg.error as unknown as JsonRpcErrorObject) : { code: null, message: String(msg.error) };
      return { kind: 'response', id, error, msg };
    }
    return { kind: 'response', id, result: msg.result, msg };
  }
  return { kind: 'other', msg };
}

/** A JSON body or SSE data may be one message or a batch; a batch is handled element by element. */
export function messagesOf(parsed: unknown): unknown[] {
  return Array.isArray(parsed) ? parsed : [parsed];
}

export function request(id: JsonRpcId, method: string, params: unknown): JsonObject {
  return { jsonrpc: '2.0', id, method, ...(params !== undefined && { params }) };
}

export function notification(method: string, params: unknown): JsonObject {
  return { jsonrpc: '2.0', method, ...(params !== undefined && { params }) };
}

export function resultResponse(id: JsonRpcId, result: unknown): JsonObject {
  return { jsonrpc: '2.0', id, result };
}

export function errorResponse(id: JsonRpcId, code: number, message: string, data?: unknown): JsonObject {
  return { jsonrpc: '2.0', id, error: { code, message, ...(data !== undefined && { data }) } };
}

export function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
