/**
 * Templates in the params of a `send` step, resolved just before it is sent:
 *  - `{{alias}}`: the id of the task an earlier callTask/awaitTask kept under that alias (for a
 *    repeated callTask, the last one it created);
 *  - `{{step.path}}`: a value from the JSON-RPC result an earlier step (by its name, `s3-listTasks`
 *    or its `name:`) recorded, e.g. `{{page1.nextCursor}}`, `{{create.task.taskId}}`.
 * A string that is exactly one template becomes the value itself (a number stays a number);
 * a template inside a longer string is replaced by its text. Keys are left alone. An unresolved
 * template is an error: the step fails locally and nothing is sent.
 */
import { isObject } from './jsonrpc.js';

export interface TemplateScope {
  /** The task id kept under an alias, if any. */
  taskId(alias: string): string | undefined;
  /** The result an earlier step recorded, by step name; `found: false` when no such step ran. */
  stepResult(name: string): { found: boolean; value?: unknown };
}

export class TemplateError extends Error {}

const TEMPLATE = /\{\{\s*([^{}]+?)\s*\}\}/g;
const WHOLE = /^\{\{\s*([^{}]+?)\s*\}\}$/;

function lookup(value: unknown, path: string[]): { found: boolean; value?: unknown } {
  let at = value;
  for (const key of path) {
    if (!isObject(at) && !Array.isArray(at)) return { found: false };
    if (!Object.hasOwn(at, key)) return { found: false };
    at = (at as Record<string, unknown>)[key];
  }
  return { found: true, value: at };
}

function resolve(expr: string, scope: TemplateScope): unknown {
  const [head, ...path] = expr.split('.');
  if (path.length === 0) {
    const id = scope.taskId(head!);
    if (id === undefined) throw new TemplateError(`{{${expr}}}: no task id is kept under the alias "${head}"`);
    return id;
  }
  const step = scope.stepResult(head!);
  if (!step.found) throw new TemplateError(`{{${expr}}}: no earlier step named "${head}" recorded a result`);
  const got = lookup(step.value, path);
  if (!got.found) throw new TemplateError(`{{${expr}}}: the result of step "${head}" has no ${path.join('.')}`);
  return got.value;
}

function renderString(text: string, scope: TemplateScope): unknown {
  const whole = WHOLE.exec(text);
  if (whole) return resolve(whole[1]!, scope);
  return text.replace(TEMPLATE, (_m, expr: string) => {
    const value = resolve(expr, scope);
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

/** Resolves every template in the strings of a JSON value. */
export function substitute(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === 'string') return renderString(value, scope);
  if (Array.isArray(value)) return value.map((v) => substitute(v, scope));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, scope)]));
  return value;
}
