// The floor: the four document operations on the plain `mariadb` driver behind node:http, with no
// framework, auth, validation, permissions, events or audits. It creates its own schema and table
// (same columns and keys as a collection table), seeds it, listens on loopback and prints one line
// `{"ready":true,"port":N}` on stdout. The runner drops the schema when it is done.
//
//   GET    /documents/:id                 one document
//   GET    /documents?gt=N[&total=1]      25 documents with rank > N ordered by rank (plus capped total)
//   POST   /documents  {documentId,data}  insert
//   PATCH  /documents/:id {data}          update the given fields, answer the stored document
//
// Env: FLOOR_SCHEMA (required), FLOOR_COUNT (10000), FLOOR_POOL (10), _APP_DB_HOST/PORT/USER/PASS.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import mariadb from 'mariadb';

import { DOCUMENT_COUNT, documentData, floorTableSql, idOf, LIST_LIMIT, TOTAL_CAP } from './data.mjs';

const schema = process.env.FLOOR_SCHEMA;
if (!schema || !/^[A-Za-z0-9_]{1,64}$/.test(schema)) throw new Error('FLOOR_SCHEMA must be a safe schema name');
const count = Number(process.env.FLOOR_COUNT ?? DOCUMENT_COUNT);
const TABLE = 'docs';
const COLUMNS = '_uid, _createdAt, _updatedAt, _permissions, `title`, `rank`, `tag`';
const connection = {
  host: process.env._APP_DB_HOST ?? '127.0.0.1',
  port: Number(process.env._APP_DB_PORT ?? 3306),
  user: process.env._APP_DB_USER ?? 'root',
  password: process.env._APP_DB_PASS ?? '',
};

const apiDate = (date) => date.toISOString().replace('Z', '+00:00');
const uniqueId = () => Date.now().toString(16) + randomBytes(3).toString('hex').slice(0, 5);

function toDocument(row) {
  const permissions = typeof row._permissions === 'string' ? JSON.parse(row._permissions) : row._permissions;
  return {
    $id: row._uid,
    $collectionId: 'bench',
    $databaseId: 'bench',
    $createdAt: apiDate(row._createdAt),
    $updatedAt: apiDate(row._updatedAt),
    $permissions: permissions ?? [],
    title: row.title,
    rank: row.rank,
    tag: row.tag,
  };
}

async function prepare() {
  const conn = await mariadb.createConnection(connection);
  try {
    await conn.query(`CREATE DATABASE \`${schema}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await conn.query(`USE \`${schema}\``);
    for (const sql of floorTableSql(TABLE)) await conn.query(sql);
    const now = new Date();
    for (let start = 0; start < count; start += 1000) {
      const rows = [];
      for (let i = start; i < Math.min(count, start + 1000); i++) {
        const d = documentData(i, count);
        rows.push([idOf(i), now, now, '[]', d.title, d.rank, d.tag]);
      }
      await conn.batch(`INSERT INTO ${TABLE} (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`, rows);
    }
    await conn.query(`ANALYZE TABLE ${TABLE}`);
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
  const text = JSON.stringify(body);
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

function handler(db) {
  const one = async (id) => {
    const rows = await db.query(`SELECT ${COLUMNS} FROM ${TABLE} WHERE _uid = ? LIMIT 1`, [id]);
    return rows[0];
  };
  return async (req, res) => {
    try {
      const url = new URL(req.url, 'http://floor');
      const match = /^\/documents(?:\/([^/]+))?$/.exec(url.pathname);
      if (!match) return send(res, 404, { message: 'route not found' });
      const id = match[1] && decodeURIComponent(match[1]);
      if (req.method === 'GET' && id) {
        const row = await one(id);
        return row ? send(res, 200, toDocument(row)) : send(res, 404, { message: 'document not found' });
      }
      if (req.method === 'GET') {
        const gt = Number(url.searchParams.get('gt') ?? -1);
        const list = db.query(`SELECT ${COLUMNS} FROM ${TABLE} WHERE \`rank\` > ? ORDER BY \`rank\` ASC, _id ASC LIMIT ${LIST_LIMIT}`, [gt]);
        if (url.searchParams.get('total') !== '1') return send(res, 200, { documents: (await list).map(toDocument) });
        const total = db.query(`SELECT COUNT(1) AS total FROM (SELECT 1 FROM ${TABLE} WHERE \`rank\` > ? LIMIT ${TOTAL_CAP}) capped`, [gt]);
        const [rows, [counted]] = await Promise.all([list, total]);
        return send(res, 200, { total: Number(counted.total), documents: rows.map(toDocument) });
      }
      if (req.method === 'POST' && !id) {
        const body = await readJson(req);
        const documentId = !body.documentId || body.documentId === 'unique()' ? uniqueId() : body.documentId;
        const data = body.data ?? {};
        const now = new Date();
        await db.query(`INSERT INTO ${TABLE} (${COLUMNS}) VALUES (?, ?, ?, '[]', ?, ?, ?)`, [
          documentId,
          now,
          now,
          data.title ?? null,
          data.rank ?? null,
          data.tag ?? null,
        ]);
        return send(
          res,
          201,
          toDocument({
            _uid: documentId,
            _createdAt: now,
            _updatedAt: now,
            _permissions: [],
            title: data.title ?? null,
            rank: data.rank ?? null,
            tag: data.tag ?? null,
          }),
        );
      }
      if (req.method === 'PATCH' && id) {
        const data = (await readJson(req)).data ?? {};
        const fields = Object.keys(data).filter((k) => ['title', 'rank', 'tag'].includes(k));
        const sets = [...fields.map((k) => `\`${k}\` = ?`), '_updatedAt = ?'].join(', ');
        const result = await db.query(`UPDATE ${TABLE} SET ${sets} WHERE _uid = ?`, [...fields.map((k) => data[k]), new Date(), id]);
        if (!result.affectedRows) return send(res, 404, { message: 'document not found' });
        return send(res, 200, toDocument(await one(id)));
      }
      return send(res, 405, { message: 'method not allowed' });
    } catch (error) {
      return send(res, 500, { message: String(error && error.message) });
    }
  };
}

async function main() {
  await prepare();
  const db = pool();
  const server = createServer(handler(db));
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve) => server.listen(Number(process.env.FLOOR_PORT ?? 0), '127.0.0.1', resolve));
  process.stdout.write(`${JSON.stringify({ ready: true, port: server.address().port })}\n`);
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
