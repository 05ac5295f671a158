/**
 * `mcp-interop sdks`: the task-capable releases of each SDK, which are installed and which is
 * pinned; `mcp-interop sdks install ts@1.25.0 py@latest` installs ahead of time (CI caching).
 */
import type { Command } from 'commander';
import { DRIVERS_DIR } from '../paths.js';
import { loadDrivers } from '../plan/drivers.js';
import { PlanError } from '../plan/plan.js';
import { cacheRoot } from '../sdks/cache.js';
import { installedReleases } from '../sdks/install.js';
import { publishedVersions, taskCapable } from '../sdks/registry.js';
import { parseImplRef, type ReleaseSpec } from '../sdks/release-spec.js';
import { resolveReleases } from '../sdks/resolve.js';

const say = (line: string) => console.log(`sdks: ${line}`);

export function registerSdksCommand(program: Command): void {
  const sdks = program
    .command('sdks')
    .description('List the task-capable releases of each SDK (installed ones marked), or install some ahead of time')
    .option('--refresh', 'ask the registries again instead of using the list cached for an hour')
    .action(async (opts: { refresh?: boolean }) => {
      const cache = cacheRoot();
      console.log(`release cache: ${cache}`);
      for (const { manifest } of loadDrivers([DRIVERS_DIR])) {
        const sdk = manifest.sdk;
        if (!sdk) continue;
        const installed = installedReleases(sdk, cache);
        let capable: string[];
        try {
          capable = taskCapable(sdk, await publishedVersions(sdk, { cache, refresh: opts.refresh, note: say }));
        } catch (err) {
          console.log(`\n${sdk.id}: ${sdk.package} — ${(err as Error).message}`);
          capable = [];
        }
        const latest = capable[capable.length - 1];
        console.log(`\n${sdk.id}: ${sdk.package} (${sdk.registry}), task-capable ${sdk.tasks}: ${capable.length} release(s)`);
        for (const v of capable) {
          const marks = [
            v === sdk.pinned && 'pinned',
            v === latest && 'latest',
            (installed.has(v) || v === sdk.pinned) && 'installed',
          ].filter(Boolean);
          console.log(`  ${v}${marks.length ? `  (${marks.join(', ')})` : ''}`);
        }
        for (const [key, info] of installed) if (key.startsWith('local-')) console.log(`  ${info.version}  (installed local build)`);
      }
      console.log('\nInstall ahead of time: mcp-interop sdks install ts@1.25.0 py@latest   (or ts@all)');
    });

  sdks
    .command('install')
    .description('Install releases into the release cache: <sdk>@<version|latest|all|path> ...')
    .argument('<releases...>', 'e.g. ts@1.25.0 py@1.27.2 ts@latest py@all py@./dist/mcp-1.31.0-py3-none-any.whl')
    .action(async (items: string[]) => {
      const drivers = loadDrivers([DRIVERS_DIR]);
      const declared = drivers.flatMap((d) => (d.manifest.sdk ? [d.manifest.sdk] : []));
      const asked = new Map<string, ReleaseSpec[]>();
      for (const item of items) {
        const at = item.indexOf('@');
        const id = at < 0 ? item : item.slice(0, at);
        if (!declared.some((s) => s.id === id))
          throw new PlanError(`${item}: no driver declares an SDK "${id}" (known: ${declared.map((s) => s.id).join(', ')})`);
        // `ts@all` is fine here (unlike in a filter): it names releases to install.
        const spec: ReleaseSpec =
          at >= 0 && item.slice(at + 1) === 'all' ? { kind: 'all' } : (parseImplRef(item).spec ?? { kind: 'pinned' });
        asked.set(id, [...(asked.get(id) ?? []), spec]);
      }
      const started = Date.now();
      const releases = await resolveReleases(
        declared.filter((s) => asked.has(s.id)),
        asked,
        { say },
      );
      const all = [...releases.values()].flat();
      console.log(
        `${all.length} release(s) ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${all.map((r) => `${r.sdk.id}@${r.version}`).join(', ')}`,
      );
    });
}
