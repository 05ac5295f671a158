/**
 * What a run asks for on an SDK's release axis (`--ts 1.24.1,latest`, `--py ./dist/mcp-1.31.0-py3-none-any.whl`,
 * `ts-mcp@1.29.0` in a filter): parsed here, without any network access.
 */
import semver from 'semver';

export type ReleaseSpec =
  | { kind: 'pinned' }
  | { kind: 'latest' }
  | { kind: 'all' }
  | { kind: 'version'; version: string }
  | { kind: 'local'; path: string };

export class ReleaseSpecError extends Error {}

const LOCAL_SUFFIX = /\.(tgz|tar\.gz|whl|zip)$/;

/** A local build is a path: it contains a slash, starts with a dot or a tilde, or names an archive. */
export function looksLikePath(text: string): boolean {
  return text.includes('/') || text.startsWith('.') || text.startsWith('~') || LOCAL_SUFFIX.test(text);
}

export function parseReleaseSpec(text: string): ReleaseSpec {
  const value = text.trim();
  if (value === 'pinned') return { kind: 'pinned' };
  if (value === 'latest') return { kind: 'latest' };
  if (value === 'all') return { kind: 'all' };
  if (looksLikePath(value)) return { kind: 'local', path: value };
  // `raw` keeps build metadata (`1.32.2+local.3fa2b1c0`, a local build's version in a cell id).
  const version = semver.parse(value)?.raw;
  if (!version)
    throw new ReleaseSpecError(
      `"${value}" is not a release: expected a version such as 1.29.0, "latest", "all", "pinned", or a path to a local build`,
    );
  return { kind: 'version', version };
}

/** A comma-separated list (`1.24.1,1.28.0,latest`); duplicates are kept once. */
export function parseReleaseList(text: string): ReleaseSpec[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length) throw new ReleaseSpecError('expected at least one release (a version, latest, all, pinned or a path)');
  const specs = items.map(parseReleaseSpec);
  const seen = new Set<string>();
  return specs.filter((s) => {
    const key = specKey(s);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function specKey(spec: ReleaseSpec): string {
  return spec.kind === 'version' ? spec.version : spec.kind === 'local' ? `local:${spec.path}` : spec.kind;
}

/**
 * `ts-mcp@1.29.0` → { name: 'ts-mcp', spec }; `ts` → { name: 'ts' } (no release named).
 * The part after `@` may be a version, latest, pinned or a path (`ts@../typescript-sdk`).
 */
export function parseImplRef(text: string): { name: string; spec?: ReleaseSpec } {
  const at = text.indexOf('@');
  if (at < 0) return { name: text.trim() };
  const name = text.slice(0, at).trim();
  const release = text.slice(at + 1).trim();
  if (!name || !release)
    throw new ReleaseSpecError(`"${text}" is not an implementation: expected a name such as "ts" or "name@version" such as "ts@1.29.0"`);
  const spec = parseReleaseSpec(release);
  if (spec.kind === 'all') throw new ReleaseSpecError(`"${text}": "all" selects several releases; use --${name.split('-')[0]} all instead`);
  return { name, spec };
}
