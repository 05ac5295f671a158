/**
 * use-sdk.ts: a TS driver loads the SDK release the harness chose, and registers the resolution
 * hooks (a loader thread, a third of a driver's start-up CPU) only when they change something.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolutionUnchanged } from '../../drivers/ts/sdk-resolution.js';
import { DIST_DIR, ROOT } from '../../src/paths.js';
import { DRIVER_ENV } from '../../src/vocabulary/driver.js';
import { tempDir } from '../helpers.js';

const DRIVERS = join(DIST_DIR, 'drivers/ts');

/** A release folder holding a stand-in SDK package whose client module says which copy it is. */
function fakeRelease(): string {
  const modules = join(tempDir(), 'node_modules');
  const pkg = join(modules, '@modelcontextprotocol/sdk');
  mkdirSync(join(pkg, 'client'), { recursive: true });
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({
      name: '@modelcontextprotocol/sdk',
      version: '0.0.1',
      type: 'module',
      exports: { './client/index.js': './client/index.js' },
    }),
  );
  writeFileSync(join(pkg, 'client/index.js'), "export const COPY = 'fake release';\n");
  return modules;
}

/** Which SDK copy a module in the drivers folder sees: the fake release's, or the real one (`undefined`). */
function loaded(sdkDir: string): string {
  const script = `
    const { COPY } = await import('@modelcontextprotocol/sdk/client/index.js');
    console.log(String(COPY));`;
  // Run from inside the compiled drivers folder so that resolution starts where a driver's does.
  const probe = join(DRIVERS, `probe-${process.pid}-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(probe, script);
  try {
    return execFileSync(process.execPath, ['--import', join(DRIVERS, 'use-sdk.js'), probe], {
      env: { ...process.env, [DRIVER_ENV.sdkDir]: sdkDir },
      encoding: 'utf8',
    }).trim();
  } finally {
    rmSync(probe, { force: true });
  }
}

describe('use-sdk (TS drivers on a chosen SDK release)', () => {
  it('needs no hooks for the pinned release in the project\u2019s node_modules, and does for any other folder', () => {
    expect(resolutionUnchanged(join(ROOT, 'node_modules'), DRIVERS)).toBe(true);
    expect(resolutionUnchanged(fakeRelease(), DRIVERS)).toBe(false);
  });

  it('loads the SDK from the release folder it is given', () => {
    expect(loaded(fakeRelease())).toBe('fake release');
    expect(loaded(join(ROOT, 'node_modules'))).toBe('undefined');
  });
});
