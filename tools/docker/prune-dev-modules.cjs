#!/usr/bin/env node
// Removes the devDependencies from an installed node_modules, offline: every package-lock.json entry
// flagged `dev` (needed only by devDependencies) is deleted, as `npm prune --omit=dev` would do, but
// without npm's need to resolve (and so possibly fetch) anything that is missing on disk.
// Usage (in the image build): node prune-dev-modules.cjs [project dir]
'use strict';
const { existsSync, readdirSync, readFileSync, rmSync } = require('node:fs');
const path = require('node:path');

const dir = path.resolve(process.argv[2] || '.');
const lock = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
if (!lock.packages) throw new Error('package-lock.json has no "packages" (lockfileVersion 2 or 3 is needed)');

let removed = 0;
for (const [location, entry] of Object.entries(lock.packages)) {
  if (!location.startsWith('node_modules/') || !entry.dev) continue;
  const target = path.join(dir, location);
  if (!existsSync(target)) continue;
  rmSync(target, { recursive: true, force: true });
  removed += 1;
}
// Links in node_modules/.bin that now point nowhere.
const bin = path.join(dir, 'node_modules', '.bin');
if (existsSync(bin)) {
  for (const name of readdirSync(bin)) if (!existsSync(path.join(bin, name))) rmSync(path.join(bin, name), { force: true });
}
// Scope folders left empty.
for (const name of readdirSync(path.join(dir, 'node_modules'))) {
  const scope = path.join(dir, 'node_modules', name);
  if (name.startsWith('@') && readdirSync(scope).length === 0) rmSync(scope, { recursive: true });
}
for (const name of ['.cache', '.package-lock.json']) rmSync(path.join(dir, 'node_modules', name), { recursive: true, force: true });
console.log(`prune-dev-modules: removed ${removed} dev-only packages`);
