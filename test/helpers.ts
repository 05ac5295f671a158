/** Test helpers: temporary folders and scenario text. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix = 'mcp-interop-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeFile(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** A minimal valid scenario; `patch` replaces whole top-level sections by YAML text. */
export function scenarioYaml(id: string, patch: { server?: string; client?: string; extra?: string } = {}): string {
  return [
    `id: ${id}`,
    'title: A test scenario',
    'spec: [creating-tasks]',
    patch.extra ?? '',
    patch.server ??
      `server:
  tools:
    - name: t
      execution: { taskSupport: optional }
      actions:
        - complete: [{ type: text, text: ok }]`,
    patch.client ??
      `client:
  steps:
    - callTask: t
      ttl: 1000
      as: a
    - poll: a`,
  ].join('\n');
}
