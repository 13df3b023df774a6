import * as mariadb from 'mariadb';
import * as sdk from 'node-appwrite';

import { bootstrapConsole, ConsoleSession } from '../../support/console';
import { eventually, keyClient, signedInUser, web, webClient, WebUser } from '../../support/identity-clients';

/**
 * Shared pieces of the Databases e2e suites: a console project with a key (schema through
 * node-appwrite), signed-in web SDK users (documents through appwrite@11), and polling of the
 * asynchronous attribute/index lifecycle that worker-databases drives.
 */
export interface DbProject {
  console: ConsoleSession;
  projectId: string;
  key: sdk.Client;
  db: sdk.Databases;
  teams: sdk.Teams;
  users: sdk.Users;
}

export async function dbProject(name: string): Promise<DbProject> {
  const session = await bootstrapConsole(name);
  const key = keyClient(session.projectId, session.key);
  return { console: session, projectId: session.projectId, key, db: new sdk.Databases(key), teams: new sdk.Teams(key), users: new sdk.Users(key) };
}

export type DbUser = WebUser & { userId: string; databases: InstanceType<typeof web.Databases> };

/** A signed-up, signed-in web SDK user with a Databases service. */
export async function dbUser(projectId: string, tag: string): Promise<DbUser> {
  const user = await signedInUser(projectId, tag);
  return { ...user, databases: new web.Databases(user.client) };
}

/** A web SDK client without a session (role `guests`). */
export function guestDatabases(projectId: string): InstanceType<typeof web.Databases> {
  return new web.Databases(webClient(projectId).client);
}

type Lifecycle = 'available' | 'failed' | 'processing' | 'deleting' | 'stuck';

/** Polls getAttribute until it reaches `status` (throws on a different final state). */
export async function attributeStatus(db: sdk.Databases, databaseId: string, collectionId: string, key: string, want: Lifecycle = 'available', timeoutMs = 20000): Promise<Record<string, unknown>> {
  let last: Record<string, unknown> | undefined;
  try {
    return await eventually(async () => {
      last = (await db.getAttribute(databaseId, collectionId, key)) as Record<string, unknown>;
      if (last.status === want) return last;
      if (last.status !== 'processing') throw new Error(`attribute ${key} ended ${String(last.status)} (${String(last.error)})`);
      return undefined;
    }, `attribute ${key} → ${want}`, timeoutMs);
  } catch (e) {
    throw new Error(`${(e as Error).message}; last seen ${JSON.stringify(last)}`);
  }
}

/** Polls getIndex until it reaches `status`. */
export async function indexStatus(db: sdk.Databases, databaseId: string, collectionId: string, key: string, want: Lifecycle = 'available', timeoutMs = 20000): Promise<Record<string, unknown>> {
  let last: Record<string, unknown> | undefined;
  try {
    return await eventually(async () => {
      last = (await db.getIndex(databaseId, collectionId, key)) as unknown as Record<string, unknown>;
      if (last.status === want) return last;
      if (last.status !== 'processing') throw new Error(`index ${key} ended ${String(last.status)} (${String(last.error)})`);
      return undefined;
    }, `index ${key} → ${want}`, timeoutMs);
  } catch (e) {
    throw new Error(`${(e as Error).message}; last seen ${JSON.stringify(last)}`);
  }
}

/** Waits until every attribute of the collection is available. */
export async function allAvailable(db: sdk.Databases, databaseId: string, collectionId: string, timeoutMs = 30000): Promise<void> {
  await eventually(async () => {
    const list = await db.listAttributes(databaseId, collectionId);
    const states = list.attributes.map((a) => (a as unknown as { status: string }).status);
    if (states.some((s) => s === 'failed' || s === 'stuck')) throw new Error(`an attribute failed: ${JSON.stringify(list.attributes)}`);
    return states.every((s) => s === 'available');
  }, `attributes of ${collectionId} available`, timeoutMs);
}

/** Polls until the call rejects with `code` (for deletions done by the workers). */
export async function eventuallyGone(call: () => Promise<unknown>, what: string, code = 404, timeoutMs = 20000): Promise<string> {
  return eventually(async () => {
    try {
      await call();
      return undefined;
    } catch (e) {
      const err = e as { code?: number; type?: string };
      return err.code === code ? (err.type ?? 'unknown') : undefined;
    }
  }, what, timeoutMs);
}

/** A connection to the deployment's schema (to see what worker-deletes left behind). */
export function connectDb(): Promise<mariadb.Connection> {
  return mariadb.createConnection({
    host: process.env._APP_DB_HOST ?? '127.0.0.1',
    user: process.env._APP_DB_USER ?? 'root',
    password: process.env._APP_DB_PASS ?? '',
    database: process.env.APPCONDA_E2E_SCHEMA,
  });
}

/** Names of the tables of the schema that start with `prefix`. */
export async function tablesLike(conn: mariadb.Connection, prefix: string): Promise<string[]> {
  const rows = (await conn.query('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE ?', [`${prefix.replace(/_/g, '\\_')}%`])) as { t: string }[];
  return rows.map((r) => r.t).sort();
}

/** `projects._id` of a project: the first part of its document table names (`_<seq>_<db>_<col>`). */
export async function projectSeq(conn: mariadb.Connection, projectId: string): Promise<number> {
  const rows = (await conn.query('SELECT _id AS id FROM projects WHERE _uid = ?', [projectId])) as { id: number | bigint }[];
  if (!rows.length) throw new Error(`project ${projectId} not found in the schema`);
  return Number(rows[0].id);
}

/** The real table of a collection: `_<projectSeq>_<databaseSeq>_<collectionSeq>`. */
export async function collectionTable(conn: mariadb.Connection, projectId: string, databaseId: string, collectionId: string): Promise<string> {
  const rows = (await conn.query(
    'SELECT p._id AS p, d._id AS d, c._id AS c FROM projects p JOIN `databases` d ON d._project = p._uid AND d._uid = ? JOIN collections c ON c._project = p._uid AND c.databaseInternalId = d._id AND c._uid = ? WHERE p._uid = ?',
    [databaseId, collectionId, projectId],
  )) as { p: bigint; d: bigint; c: bigint }[];
  if (!rows.length) throw new Error(`no table for ${databaseId}/${collectionId}`);
  return `_${rows[0].p}_${rows[0].d}_${rows[0].c}`;
}

export { web };
