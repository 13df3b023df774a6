// Compiles TypeScript sources to dist/ with SWC, one project root per call (or every project with --all);
// the web console (apps/console) is a Vite build, run with --all when it is missing or stale.
// The output keeps the source tree (dist/libs/core/src/index.js …) so an app's compiled main.js
// requires its libs by relative path and the one-process mode shares one copy of each lib.
import { createRequire } from 'node:module';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const swc = require('@swc/core');
const { root, swcOptions } = require('./swc.cjs');
const { buildConsole, consoleDir, consoleStale } = require('./console-build.cjs');

const SKIP = /\.(spec|int-spec|e2e-spec)\.ts$|\.d\.ts$/;

function sources(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(full));
    else if (entry.name.endsWith('.ts') && !SKIP.test(entry.name)) out.push(full);
  }
  return out;
}

function projectRoots() {
  const roots = [];
  const walk = (dir, depth) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      try {
        statSync(path.join(full, 'project.json'));
        // The web console is built by Vite (tools/console-build.cjs), not SWC.
        if (full !== consoleDir) roots.push(path.relative(root, full));
      } catch {
        if (depth < 2) walk(full, depth + 1);
      }
    }
  };
  walk(path.join(root, 'apps'), 0);
  walk(path.join(root, 'libs'), 0);
  return roots;
}

export async function build(projectRoot) {
  if (path.resolve(root, projectRoot) === consoleDir) {
    buildConsole();
    return 0;
  }
  const srcDir = path.join(root, projectRoot, 'src');
  const files = sources(srcDir);
  const options = swcOptions();
  await Promise.all(
    files.map(async (file) => {
      const rel = path.relative(root, file);
      const outFile = path.join(root, 'dist', rel.replace(/\.ts$/, '.js'));
      const { code, map } = await swc.transformFile(file, { ...options, filename: file, sourceFileName: path.relative(path.dirname(outFile), file) });
      mkdirSync(path.dirname(outFile), { recursive: true });
      writeFileSync(outFile, map ? `${code}\n//# sourceMappingURL=${path.basename(outFile)}.map\n` : code);
      if (map) writeFileSync(`${outFile}.map`, map);
    }),
  );
  return files.length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const targets = args.includes('--all') ? projectRoots() : args.filter((arg) => !arg.startsWith('--'));
  if (targets.length === 0) {
    console.error('usage: node tools/build.mjs <projectRoot…> | --all');
    process.exit(2);
  }
  let count = 0;
  for (const target of targets) count += await build(target);
  if (args.includes('--all')) {
    writeFileSync(path.join(root, 'dist', '.build-stamp'), new Date().toISOString());
    // The console only when its sources changed: a Vite build takes seconds, SWC's well under one.
    if (!args.includes('--no-console') && consoleStale()) buildConsole();
  }
  console.log(`built ${count} files in ${targets.length} project(s)`);
}
