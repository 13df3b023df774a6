import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

import { lazyRequire } from './lazy-require';

const root = path.resolve(__dirname, '../../..');

/** Packages that only some code paths need, deferred with lazyRequire (bench/README.md, "Memory of appconda all"). */
const DEFERRED = ['acme-client', 'node-forge', '@aws-sdk/client-s3', 'sharp', '@mongodb-js/zstd', 'qrcode', 'country-flag-icons', 'nodemailer'];
/** Only the API's locale catalog needs every country name at once. */
const DEFERRED_OFF_API = ['i18n-iso-countries'];

/**
 * Requires `files` (TypeScript, compiled on the fly with the build's SWC options) in a fresh Node
 * process and returns the packages of DEFERRED and DEFERRED_OFF_API that ended up in its require.cache.
 */
function packagesLoadedBy(files: string[]): string[] {
  const script = `
    const fs = require('node:fs');
    const swc = require('@swc/core');
    const { swcOptions } = require(${JSON.stringify(path.join(root, 'tools/swc.cjs'))});
    const options = swcOptions({ sourceMaps: false });
    require.extensions['.ts'] = (module, filename) => module._compile(swc.transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename }).code, filename);
    for (const file of ${JSON.stringify(files)}) require(file);
    const wanted = ${JSON.stringify([...DEFERRED, ...DEFERRED_OFF_API])};
    const loaded = new Set();
    for (const file of Object.keys(require.cache)) for (const name of wanted) if (file.includes('/node_modules/' + name + '/')) loaded.add(name);
    process.stdout.write(JSON.stringify([...loaded]));
  `;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'test' } }));
}

/** Every app's Nest modules (`apps/<app>/src/*.module.ts`). */
function appModules(filter: (app: string) => boolean): string[] {
  const apps = readdirSync(path.join(root, 'apps')).filter((app) => !app.endsWith('-e2e') && filter(app));
  return apps.flatMap((app) => {
    const dir = path.join(root, 'apps', app, 'src');
    return readdirSync(dir).filter((f) => f.endsWith('.module.ts')).map((f) => path.join(dir, f));
  });
}

describe('lazyRequire', () => {
  it('loads the module on the first call only and returns the same module after', () => {
    const load = lazyRequire<typeof import('node:path')>('node:path');
    expect(load()).toBe(path);
    expect(load()).toBe(load());
  });

  it('throws on a missing package when called, not when declared', () => {
    const load = lazyRequire('appconda-no-such-package');
    expect(() => load()).toThrow(/Cannot find module/);
  });

  // Guards the memory of `appconda all`: every thread that wires a module would hold these from start.
  it('the background services (the services thread of `appconda all`) load none of the deferred packages at start', () => {
    expect(packagesLoadedBy(appModules((app) => app !== 'api'))).toEqual([]);
  }, 120_000);

  it('the API loads none of them but the locale catalog country names at start', () => {
    expect(packagesLoadedBy(appModules((app) => app === 'api'))).toEqual(['i18n-iso-countries']);
  }, 120_000);
});
