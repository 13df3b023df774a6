// Builds the web console (apps/console, SvelteKit + Vite) into dist/apps/console, and says whether the
// build is older than the console's sources. Shared by tools/build.mjs and the CLI's start-up check, so
// `npm start` and `npm test` build the console when it is missing or stale and skip it when it is fresh.
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const consoleDir = path.join(root, 'apps', 'console');
const consoleOut = path.join(root, 'dist', 'apps', 'console');
const stamp = path.join(consoleOut, '.build-stamp');

/** Newest modification time under `dir`, skipping installed and generated folders (node_modules, .svelte-kit). */
function newest(dir) {
  let time = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    time = Math.max(time, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return time;
}

function hasConsole() {
  return existsSync(path.join(consoleDir, 'svelte.config.js'));
}

/** True when there are console sources and no build of them, or one older than them or the lockfile. */
function consoleStale() {
  if (!hasConsole()) return false;
  if (!existsSync(stamp) || !existsSync(path.join(consoleOut, 'index.html'))) return true;
  const lock = path.join(root, 'package-lock.json');
  const sources = Math.max(newest(consoleDir), existsSync(lock) ? statSync(lock).mtimeMs : 0);
  return statSync(stamp).mtimeMs < sources;
}

function buildConsole() {
  const vite = path.join(path.dirname(require.resolve('vite/package.json', { paths: [root] })), 'bin', 'vite.js');
  const started = Date.now();
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: consoleDir, stdio: 'inherit' });
  writeFileSync(stamp, new Date().toISOString());
  console.log(`built the console into ${path.relative(root, consoleOut)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

module.exports = { consoleDir, consoleOut, hasConsole, consoleStale, buildConsole };
