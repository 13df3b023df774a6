import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as tar from 'tar';

/** Writes `files` (path → content) into a fresh folder and packs it as a `.tar.gz`; returns the archive path. */
export async function codeArchive(files: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'appconda-fn-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, 'src', name)), { recursive: true });
    writeFileSync(path.join(dir, 'src', name), content);
  }
  const archive = path.join(dir, 'code.tar.gz');
  await tar.c({ gzip: true, file: archive, cwd: path.join(dir, 'src') }, Object.keys(files));
  return archive;
}

export function removeArchive(archive: string): void {
  rmSync(path.dirname(archive), { recursive: true, force: true });
}

/** A v2 node function answering everything it was given: payload, variables (APPWRITE_* included) and `process.env` sightings. */
export const ECHO = `
module.exports = async (req, res) => {
  console.log('echo stdout', req.payload);
  console.error('echo stderr');
  res.json({ payload: req.payload, variables: req.variables, headers: req.headers, env: process.env.GREETING || '' });
};
`;

/** Answers with the status its payload names (`res.send(text, status)`). */
export const STATUS = `
module.exports = async (req, res) => {
  const { status, text } = JSON.parse(req.payload || '{}');
  res.send(text, status);
};
`;

/** Sleeps longer than any short timeout. */
export const SLEEPER = `
module.exports = async (req, res) => {
  await new Promise((resolve) => setTimeout(resolve, Number(req.payload || 5000)));
  res.send('woke up');
};
`;

/** Uses a dependency its build installs (a local package, so the build needs no network). */
export const WITH_DEPENDENCY: Record<string, string> = {
  'index.js': `const shout = require('shouter');\nmodule.exports = async (req, res) => res.send(shout(req.payload));\n`,
  'package.json': JSON.stringify({ name: 'with-dependency', version: '1.0.0', dependencies: { shouter: 'file:./vendor/shouter' } }),
  'vendor/shouter/package.json': JSON.stringify({ name: 'shouter', version: '1.0.0', main: 'index.js' }),
  'vendor/shouter/index.js': "module.exports = (text) => String(text).toUpperCase() + '!';\n",
};
