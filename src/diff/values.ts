/**
 * Value comparison of two aligned units, by microdiff (a maintained structural diff: objects by
 * key, so key order never matters; arrays by index). Each change becomes one path.
 */
import microdiff from 'microdiff';

export interface ValueChange {
  kind: 'changed' | 'missing' | 'extra';
  /** microdiff's path, e.g. ['response', 'result', 'ttl']. */
  path: (string | number)[];
  a?: unknown;
  b?: unknown;
}

export function compareValues(a: Record<string, unknown>, b: Record<string, unknown>): ValueChange[] {
  return microdiff(a, b, { cyclesFix: false }).map((d) => {
    if (d.type === 'REMOVE') return { kind: 'missing', path: d.path, a: d.oldValue };
    if (d.type === 'CREATE') return { kind: 'extra', path: d.path, b: d.value };
    return { kind: 'changed', path: d.path, a: d.oldValue, b: d.value };
  });
}

const PLAIN_KEY = /^[A-Za-z_$][\w$]*$/;

/**
 * `result.task.ttl`, `params._meta["io.modelcontextprotocol/related-task"].taskId`, `content[0]`.
 * A unit keeps its response under `response`; its result and error read as the message's own
 * (`result.ttl`), while its other fields keep the prefix (`response.via.stream`).
 */
export function formatPath(path: readonly (string | number)[]): string {
  const parts = path[0] === 'response' && (path[1] === 'result' || path[1] === 'error') ? path.slice(1) : path;
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (PLAIN_KEY.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}
