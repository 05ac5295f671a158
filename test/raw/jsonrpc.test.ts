import { describe, expect, it } from 'vitest';
import { classify, errorResponse, idKey, messagesOf, notification, request, tryParse } from '../../drivers/raw/jsonrpc.js';

describe('raw client JSON-RPC messages', () => {
  it('tells requests, notifications and responses apart', () => {
    expect(classify({ jsonrpc: '2.0', id: 0, method: 'elicitation/create', params: {} }).kind).toBe('request');
    expect(classify({ jsonrpc: '2.0', method: 'notifications/progress' }).kind).toBe('notification');
    expect(classify({ jsonrpc: '2.0', id: 3, result: {} })).toMatchObject({ kind: 'response', id: 3, result: {} });
    expect(classify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } })).toMatchObject({
      kind: 'response',
      id: null,
      error: { code: -32700 },
    });
    expect(classify([1]).kind).toBe('other');
    expect(classify({ jsonrpc: '2.0' }).kind).toBe('other');
  });

  it('keys ids by JSON type, so 1 and "1" stay apart', () => {
    expect(idKey(1)).not.toBe(idKey('1'));
    expect(idKey(null)).toBe(idKey(undefined));
  });

  it('builds requests and notifications with params only when given', () => {
    expect(request(5, 'tasks/list', undefined)).toEqual({ jsonrpc: '2.0', id: 5, method: 'tasks/list' });
    expect(request(null, 'x', { a: 1 })).toEqual({ jsonrpc: '2.0', id: null, method: 'x', params: { a: 1 } });
    expect(notification('notifications/initialized', undefined)).toEqual({ jsonrpc: '2.0', method: 'notifications/initialized' });
    expect(errorResponse('s-1', -32601, 'nope')).toEqual({ jsonrpc: '2.0', id: 's-1', error: { code: -32601, message: 'nope' } });
  });

  it('splits batches and reports unparsable text', () => {
    expect(messagesOf([{ a: 1 }, { b: 2 }])).toHaveLength(2);
    expect(messagesOf({ a: 1 })).toEqual([{ a: 1 }]);
    expect(tryParse('{"jsonrpc":')).toMatchObject({ ok: false });
    expect(tryParse('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
  });
});
