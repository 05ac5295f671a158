/**
 * {{path}} templates in `complete` / `fail` / `structuredContent` (driver contract, "Templates"):
 * resolved against `arguments` and each elicitation/sampling answer kept under its `as` name.
 * An unresolved path becomes `<missing:path>` so that a mistake shows in the result.
 */

export type TemplateContext = Record<string, unknown>;

function lookup(ctx: TemplateContext, path: string): unknown {
  let value: unknown = ctx;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function renderString(text: string, ctx: TemplateContext): string {
  return text.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (_match, path: string) => {
    const value = lookup(ctx, path);
    if (value === undefined) return `<missing:${path}>`;
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

/** Renders every string inside a JSON value (keys are left alone). */
export function render<T>(value: T, ctx: TemplateContext): T {
  if (typeof value === 'string') return renderString(value, ctx) as T;
  if (Array.isArray(value)) return value.map((v) => render(v, ctx)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, ctx)])) as T;
  }
  return value;
}
