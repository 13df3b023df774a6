// The peer: Parse Server (pinned) on PostgreSQL, holding the same data set as the floor and Appconda.
// Installs parse-server into a cache folder outside the repository on first use, creates its own
// PostgreSQL database, starts Parse Server on a loopback port, seeds it through its own REST API, adds the indexes a Parse user would add for these queries (in PostgreSQL, as Parse has no
// index API), and prints one line `{"ready":true,"port":N,...}` on stdout. Dropped by the runner.
//
// Env: PARSE_DATABASE (required), PARSE_COUNT (10000), PARSE_DELETES (rows of the Trash class),
//      PARSE_PRIVATE (rows of the Private class), PARSE_VERSION, PG_URL (postgres://postgres@127.0.0.1:5432).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';

import { AUTHOR_COUNT, authorOf, BOOK_COUNT, bookData, bookIdOf, DOCUMENT_COUNT, documentData, idOf, privateData, privateIdOf, trashIdOf } from './data.mjs';

export const PARSE_VERSION = process.env.PARSE_VERSION ?? '9.10.0';
export const APP_ID = 'bench';
export const MASTER_KEY = 'bench-master-key';

/** The folder parse-server is installed in (outside the repository, reused across runs). */
export function parseHome() {
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'appconda-bench', `parse-${PARSE_VERSION}`);
}

/** Installs parse-server@PARSE_VERSION (and express) into parseHome() unless it is there. */
export function ensureParseInstalled(log = () => {}) {
  const home = parseHome();
  if (existsSync(path.join(home, 'node_modules', 'parse-server', 'package.json'))) return home;
  mkdirSync(home, { recursive: true });
  writeFileSync(path.join(home, 'package.json'), JSON.stringify({ name: 'appconda-bench-parse', private: true }));
  log(`installing parse-server@${PARSE_VERSION} into ${home} (once)`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `parse-server@${PARSE_VERSION}`, 'express@5'], { cwd: home, stdio: 'inherit' });
  return home;
}

async function main() {
  const database = process.env.PARSE_DATABASE;
  if (!database || !/^[a-z0-9_]{1,60}$/.test(database)) throw new Error('PARSE_DATABASE must be a safe database name');
  const count = Number(process.env.PARSE_COUNT ?? DOCUMENT_COUNT);
  const deletes = Number(process.env.PARSE_DELETES ?? 0);
  const privates = Number(process.env.PARSE_PRIVATE ?? 0);
  const pgUrl = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const home = ensureParseInstalled((m) => process.stderr.write(`[parse] ${m}\n`));
  const require = createRequire(path.join(home, 'package.json'));
  const { Client } = require('pg');
  const admin = new Client({ connectionString: `${pgUrl}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();

  const express = require('express');
  const { ParseServer } = require('parse-server');
  const app = express();
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = server.address().port;
  const serverURL = `http://127.0.0.1:${port}/parse`;
  const parse = new ParseServer({
    databaseURI: `${pgUrl}/${database}`,
    appId: APP_ID,
    masterKey: MASTER_KEY,
    masterKeyIps: ['127.0.0.1', '::1', '::ffff:127.0.0.1'],
    serverURL,
    allowCustomObjectId: true,
    enableInsecureAuthAdapters: false,
    logLevel: 'error',
    silent: true,
  });
  await parse.start();
  app.use('/parse', parse.app);
  server.keepAliveTimeout = 65_000;

  const master = { 'content-type': 'application/json', 'x-parse-application-id': APP_ID, 'x-parse-master-key': MASTER_KEY };
  const call = async (method, p, body, headers = master) => {
    const res = await fetch(`${serverURL}${p}`, { method, headers, body: body && JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p} answered ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  // One create per object, 16 in flight (Parse 9's /batch route fails under express 5 here).
  const batch = async (className, n, bodyOf) => {
    let next = 0;
    const worker = async () => {
      while (next < n) await call('POST', `/classes/${className}`, bodyOf(next++));
    };
    await Promise.all(Array.from({ length: 16 }, worker));
  };

  // A signed-in user for the per-document-permission workload, and the owner of the other half.
  const user = await call('POST', '/users', { username: 'reader', password: 'reader-password-1' });
  const other = await call('POST', '/users', { username: 'other', password: 'other-password-1' });
  const { sessionToken } = await call('POST', '/login', { username: 'reader', password: 'reader-password-1' }, { 'content-type': 'application/json', 'x-parse-application-id': APP_ID });
  await batch('Document', count, (i) => ({ objectId: idOf(i), ...documentData(i, count) }));
  await batch('Trash', deletes, (i) => ({ objectId: trashIdOf(i), ...documentData(i, count) }));
  await batch('Private', privates, (i) => {
    const owner = i % 2 === 0 ? user.objectId : other.objectId;
    return { objectId: privateIdOf(i), ...privateData(i, privates), ACL: { [owner]: { read: true } } };
  });
  await batch('Author', AUTHOR_COUNT, (i) => ({ objectId: `author${i}`, name: authorOf(i) }));
  await batch('Book', BOOK_COUNT, (i) => {
    const { title, author } = bookData(i);
    return { objectId: bookIdOf(i), title, author: { __type: 'Pointer', className: 'Author', objectId: author } };
  });

  // The indexes a Parse user adds for these queries (Parse itself creates only the objectId key).
  const pg = new Client({ connectionString: `${pgUrl}/${database}` });
  await pg.connect();
  for (const sql of [
    'CREATE INDEX document_rank ON "Document" ("rank")',
    'CREATE INDEX document_tag_rank ON "Document" ("tag", "rank")',
    `CREATE INDEX document_title_fts ON "Document" USING GIN (to_tsvector('english', "title"))`,
    'CREATE INDEX private_rank ON "Private" ("rank")',
    'ANALYZE',
  ])
    await pg.query(sql);
  await pg.end();

  process.stdout.write(`${JSON.stringify({ ready: true, port, userId: user.objectId, sessionToken })}\n`);
  const stop = () => {
    server.close();
    server.closeAllConnections?.();
    Promise.resolve(parse.handleShutdown?.()).finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
