/**
 * Implementation names as run.json gives them (`verdict.cell.client` / `.server`): `ts`, `py`,
 * a flavor such as `ts-mcp`, or a release such as `ts@1.31.0`. Never split on `-` (flavors have
 * one); a release is what follows `@`, and a name without `@` is the pinned release.
 */

/** The implementation without its release: `ts@1.31.0` → `ts`, `ts-mcp` → `ts-mcp`. */
export function withoutRelease(impl: string): string {
  const at = impl.indexOf('@');
  return at < 0 ? impl : impl.slice(0, at);
}

/** Whether two names are the same implementation, possibly at different releases. */
export function sameImplementation(a: string, b: string): boolean {
  return withoutRelease(a) === withoutRelease(b);
}
