// The floor: every workload's question on the plain `mariadb` driver behind node:http, with no
// framework, auth, validation, events or audits. It creates its own schema and tables (same columns
// and keys as collection tables), seeds them, listens on loopback and prints one line
// `{"ready":true,"port":N}` on stdout. The runner drops the schema when it is done.
//
//   GET    /documents/:id                  one document
//   GET    /documents?…                    25 documents plus the capped total (a 1.3 list always counts):
//            gt=N | lt=N | tag=T | search=W   filter;  order=asc|desc|tag (tag asc, rank desc);
//            offset=K; after=<id> (keyset after that document, rank asc); select=1 (title and rank only)
//   GET    /private?gt=N&user=U            25 of the documents user U may read (per-document permissions)
//   GET    /books/:id                      a book with its author
//   POST   /documents  {documentId,data}   insert
//   PATCH  /documents/:id {data}           update the given fields, answer the stored document
//   DELETE /trash/:id                      delete
//
// Env: FLOOR_SCHEMA (required), FLOOR_COUNT (10000), FLOOR_DELETES (0), FLOOR_POOL (10), _APP_DB_HOST/PORT/USER/PASS.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import mariadb from 'mariadb';

import {
  AUTHOR_COUNT,
  authorOf,
  BOOK_COUNT,
  bookData,
  bookIdOf,
  DOCUMENT_COUNT,
  documentData,
  floorTableSql,
  idOf,
  LIST_LIMIT,
  PRIVATE_COUNT,
  privateData,
  privateIdOf,
  TOTAL_CAP,
  trashIdOf,
} from './data.mjs';

const schema = process.env.FLOOR_SCHEMA;
if (!schema || !/^[A-Za-z0-9_]{1,64}$/.test(schema)) throw new Error('FLOOR_SCHEMA must be a safe schema name');
const count = Number(process.env.FLOOR_COUNT ?? DOCUMENT_COUNT);
const deletes = Number(process.env.FLOOR_DELETES ?? 0);
const READER = 'reader';
const COLUMNS = '_uid, _createdAt, _updatedAt, _permissions, `title`, `rank`, `tag`';
const connection = {
  host: process.env._APP_DB_HOST ?? '127.0.0.1',
  port: Number(process.env._APP_DB_PORT ?? 3306),
  user: process.env._APP_DB_USER ?? 'root',
  password: process.env._APP_DB_PASS ?? '',
};

const apiDate = (date) => date.toISOString().replace('Z', '+00:00');
const uniqueId = () => Date.now().toString(16) + randomBytes(3).toString('hex').slice(0, 5);

function toDocument(row, collection = 'documents') {
  const permissions = typeof row._permissions === 'string' ? JSON.parse(row._permissions) : row._permissions;
  const doc = { $id: row._uid, $collectionId: collection, $databaseId: 'bench' };
  if (row._createdAt) Object.assign(doc, { $createdAt: apiDate(row._createdAt), $updatedAt: apiDate(row._updatedAt), $permissions: permissions ?? [] });
  for (const key of ['title', 'rank', 'tag', 'name']) if (key in row) doc[key] = row[key];
  return doc;
}

async function insertRows(conn, table, columns, n, rowOf) {
  const marks = columns.split(',').map(() => '?').join(', ');
  for (let start = 0; start < n; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(n, start + 1000); i++) rows.push(rowOf(i));
    await conn.batch(`INSERT INTO ${table} (${columns}) VALUES (${marks})`, rows);
  }
}

async function prepare() {
  const conn = await mariadb.createConnection(connection);
  try {
    await conn.query(`CREATE DATABASE \`${schema}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await conn.query(`USE \`${schema}\``);
    for (const table of ['docs', 'trash', 'private']) for (const sql of floorTableSql(table)) await conn.query(sql);
    // Like a collection's perms table (docs/architecture.md §4).
    await conn.query(`CREATE TABLE private_perms (
      _id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      _type ENUM('read','create','update','delete') NOT NULL,
      _permission VARCHAR(255) NOT NULL,
      _document VARCHAR(255) NOT NULL,
      UNIQUE KEY _document_type_permission (_document, _type, _permission),
      KEY _permission_type_document (_permission, _type, _document)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await conn.query(`CREATE TABLE authors (_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, _uid VARCHAR(36) NOT NULL UNIQUE,
      _createdAt DATETIME(3) NOT NULL, _updatedAt DATETIME(3) NOT NULL, _permissions JSON NOT NULL DEFAULT '[]', name VARCHAR(64) NULL) ENGINE=InnoDB`);
    await conn.query(`CREATE TABLE books (_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, _uid VARCHAR(36) NOT NULL UNIQUE,
      _createdAt DATETIME(3) NOT NULL, _updatedAt DATETIME(3) NOT NULL, _permissions JSON NOT NULL DEFAULT '[]', title VARCHAR(64) NULL,
      author VARCHAR(255) NULL, KEY author (author)) ENGINE=InnoDB`);
    const now = new Date();
    const docRow = (id, d) => [id, now, now, '[]', d.title, d.rank ?? null, d.tag ?? null];
    await insertRows(conn, 'docs', COLUMNS, count, (i) => docRow(idOf(i), documentData(i, count)));
    await insertRows(conn, 'trash', COLUMNS, deletes, (i) => docRow(trashIdOf(i), documentData(i, count)));
    await insertRows(conn, 'private', COLUMNS, PRIVATE_COUNT, (i) => {
      const owner = i % 2 === 0 ? READER : 'other';
      return [privateIdOf(i), now, now, JSON.stringify([`read("user:${owner}")`]), privateData(i).title, privateData(i).rank, null];
    });
    await insertRows(conn, 'private_perms', '_type, _permission, _document', PRIVATE_COUNT, (i) => [
      'read',
      `user:${i % 2 === 0 ? READER : 'other'}`,
      privateIdOf(i),
    ]);
    await insertRows(conn, 'authors', '_uid, _createdAt, _updatedAt, name', AUTHOR_COUNT, (i) => [`author${i}`, now, now, authorOf(i)]);
    await insertRows(conn, 'books', '_uid, _createdAt, _updatedAt, title, author', BOOK_COUNT, (i) => [bookIdOf(i), now, now, bookData(i).title, bookData(i).author]);
    await conn.query('ANALYZE TABLE docs, trash, private, private_perms, authors, books');
  } finally {
    await conn.end();
  }
}

const pool = () =>
  mariadb.createPool({
    ...connection,
    database: schema,
    connectionLimit: Number(process.env.FLOOR_POOL ?? 10),
    timezone: 'Z',
    bigIntAsNumber: true,
    insertIdAsNumber: true,
  });

function send(res, status, body) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {});
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

const ORDERS = { asc: '`rank` ASC, _id ASC', desc: '`rank` DESC, _id DESC', tag: '`tag` ASC, `rank` DESC, _id DESC' };

/** The WHERE/ORDER of a /documents list from its search params; the page and its capped count run in parallel. */
async function listDocuments(db, params) {
  const conditions = [];
  const values = [];
  const add = (sql, ...bound) => {
    conditions.push(sql);
    values.push(...bound);
  };
  if (params.has('gt')) add('`rank` > ?', Number(params.get('gt')));
  if (params.has('lt')) add('`rank` < ?', Number(params.get('lt')));
  if (params.has('tag')) add('`tag` = ?', params.get('tag'));
  if (params.has('search')) add('MATCH(`title`) AGAINST (? IN BOOLEAN MODE)', `${params.get('search')}*`);
  if (params.has('after')) {
    const [cursor] = await db.query('SELECT `rank`, _id FROM docs WHERE _uid = ?', [params.get('after')]);
    if (!cursor) throw Object.assign(new Error('cursor not found'), { status: 400 });
    add('(`rank` > ? OR (`rank` = ? AND _id > ?))', cursor.rank, cursor.rank, cursor._id);
  }
  const whereSql = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  const order = params.has('search') ? '_id ASC' : ORDERS[params.get('order') ?? 'asc'];
  const columns = params.get('select') === '1' ? '_uid, `title`, `rank`' : COLUMNS;
  const offset = Number(params.get('offset') ?? 0);
  const page = db.query(`SELECT ${columns} FROM docs${whereSql} ORDER BY ${order} LIMIT ${LIST_LIMIT} OFFSET ${offset}`, values);
  const total = db.query(`SELECT COUNT(1) AS total FROM (SELECT 1 FROM docs${whereSql} LIMIT ${TOTAL_CAP}) capped`, values);
  const [rows, [counted]] = await Promise.all([page, total]);
  return { total: Number(counted.total), documents: rows.map((row) => toDocument(row)) };
}

/** The list a user may read, with the EXISTS permission check a collection with documentSecurity needs. */
async function listPrivate(db, params) {
  const roles = ['any', 'users', `user:${params.get('user')}`];
  const check = `EXISTS (SELECT 1 FROM private_perms p WHERE p._document = main._uid AND p._type = 'read' AND p._permission IN (?, ?, ?))`;
  const values = [Number(params.get('gt') ?? -1), ...roles];
  const whereSql = ` WHERE main.\`rank\` > ? AND ${check}`;
  const page = db.query(`SELECT ${COLUMNS} FROM private AS main${whereSql} ORDER BY main.\`rank\` ASC, main._id ASC LIMIT ${LIST_LIMIT}`, values);
  const total = db.query(`SELECT COUNT(1) AS total FROM (SELECT 1 FROM private AS main${whereSql} LIMIT ${TOTAL_CAP}) capped`, values);
  const [rows, [counted]] = await Promise.all([page, total]);
  return { total: Number(counted.total), documents: rows.map((row) => toDocument(row, 'private')) };
}

async function getBook(db, id) {
  const [book] = await db.query('SELECT _uid, _createdAt, _updatedAt, _permissions, title, author FROM books WHERE _uid = ?', [id]);
  if (!book) return undefined;
  const [author] = await db.query('SELECT _uid, _createdAt, _updatedAt, _permissions, name FROM authors WHERE _uid = ?', [book.author]);
  const { author: _, ...rest } = book;
  return { ...toDocument(rest, 'books'), author: author ? toDocument(author, 'authors') : null };
}

function handler(db) {
  const one = async (id) => (await db.query(`SELECT ${COLUMNS} FROM docs WHERE _uid = ? LIMIT 1`, [id]))[0];
  return async (req, res) => {
    try {
      const url = new URL(req.url, 'http://floor');
      const match = /^\/(documents|private|books|trash)(?:\/([^/]+))?$/.exec(url.pathname);
      if (!match) return send(res, 404, { message: 'route not found' });
      const [, resource, rawId] = match;
      const id = rawId && decodeURIComponent(rawId);
      if (req.method === 'GET' && resource === 'documents' && id) {
        const row = await one(id);
        return row ? send(res, 200, toDocument(row)) : send(res, 404, { message: 'document not found' });
      }
      if (req.method === 'GET' && resource === 'documents') return send(res, 200, await listDocuments(db, url.searchParams));
      if (req.method === 'GET' && resource === 'private') return send(res, 200, await listPrivate(db, url.searchParams));
      if (req.method === 'GET' && resource === 'books' && id) {
        const book = await getBook(db, id);
        return book ? send(res, 200, book) : send(res, 404, { message: 'document not found' });
      }
      if (req.method === 'POST' && resource === 'documents' && !id) {
        const body = await readJson(req);
        const documentId = !body.documentId || body.documentId === 'unique()' ? uniqueId() : body.documentId;
        const data = body.data ?? {};
        const now = new Date();
        const row = { _uid: documentId, _createdAt: now, _updatedAt: now, _permissions: [], title: data.title ?? null, rank: data.rank ?? null, tag: data.tag ?? null };
        await db.query(`INSERT INTO docs (${COLUMNS}) VALUES (?, ?, ?, '[]', ?, ?, ?)`, [documentId, now, now, row.title, row.rank, row.tag]);
        return send(res, 201, toDocument(row));
      }
      if (req.method === 'PATCH' && resource === 'documents' && id) {
        const data = (await readJson(req)).data ?? {};
        const fields = Object.keys(data).filter((k) => ['title', 'rank', 'tag'].includes(k));
        const sets = [...fields.map((k) => `\`${k}\` = ?`), '_updatedAt = ?'].join(', ');
        const result = await db.query(`UPDATE docs SET ${sets} WHERE _uid = ?`, [...fields.map((k) => data[k]), new Date(), id]);
        if (!result.affectedRows) return send(res, 404, { message: 'document not found' });
        return send(res, 200, toDocument(await one(id)));
      }
      if (req.method === 'DELETE' && resource === 'trash' && id) {
        const result = await db.query('DELETE FROM trash WHERE _uid = ?', [id]);
        return result.affectedRows ? send(res, 204) : send(res, 404, { message: 'document not found' });
      }
      return send(res, 405, { message: 'method not allowed' });
    } catch (error) {
      return send(res, error.status ?? 500, { message: String(error && error.message) });
    }
  };
}

async function main() {
  await prepare();
  const db = pool();
  const server = createServer(handler(db));
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve) => server.listen(Number(process.env.FLOOR_PORT ?? 0), '127.0.0.1', resolve));
  process.stdout.write(`${JSON.stringify({ ready: true, port: server.address().port, readerId: READER })}\n`);
  const stop = () => {
    server.close();
    server.closeAllConnections();
    db.end().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
