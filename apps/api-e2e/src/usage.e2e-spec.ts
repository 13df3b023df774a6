import * as sdk from 'node-appwrite';

import { bootstrapConsole, ConsoleSession } from '../support/console';
import { eventually, failure, keyClient, signedInUser } from '../support/identity-clients';

interface Metric {
  value: number;
  date: string;
}
type Usage = Record<string, Metric[]> & { range: string };

/**
 * Usage statistics end to end: what the SDK does in a project (documents, files, users) is counted by
 * the API, added to MariaDB by the usage service (and written to InfluxDB when one runs) and read back
 * by the console's usage routes. The pipeline is asynchronous (1 s flushes, table counts every second
 * in this suite), so every check polls. first-run.e2e-spec.ts covers the same routes without InfluxDB.
 */
describe('usage statistics', () => {
  let console: ConsoleSession;
  let key: sdk.Client;
  const ids = { database: 'usagedb', collection: 'notes', bucket: 'usagebucket' };

  /**
   * A console admin's call, as the console charts it: on the project in admin mode, or on the
   * console project itself for `/projects/{projectId}/usage`.
   */
  async function admin(path: string, onConsole = false): Promise<{ status: number; body: Usage }> {
    if (onConsole) return console.call<Usage>('GET', path);
    const res = await fetch(`${console.endpoint}${path}`, { headers: { cookie: console.cookie, 'x-appwrite-project': console.projectId, 'x-appwrite-mode': 'admin' } });
    return { status: res.status, body: (await res.json()) as Usage };
  }

  const last = (series: Metric[] | undefined) => series?.[series.length - 1]?.value ?? 0;
  const total = (series: Metric[] | undefined) => (series ?? []).reduce((sum, point) => sum + point.value, 0);

  /** Polls a usage route until `ready` holds, then returns its answer. */
  function usageOf(path: string, ready: (usage: Usage) => boolean, onConsole = false): Promise<Usage> {
    return eventually(
      async () => {
        const { status, body } = await admin(path, onConsole);
        expect(status).toBe(200);
        return ready(body) ? body : undefined;
      },
      `usage ${path}`,
      30_000,
    );
  }

  beforeAll(async () => {
    console = await bootstrapConsole('usage');
    key = keyClient(console.projectId, console.key);
    const databases = new sdk.Databases(key);
    await databases.create(ids.database, 'Usage');
    await databases.createCollection(ids.database, ids.collection, 'Notes', [sdk.Permission.read(sdk.Role.any())]);
    await databases.createStringAttribute(ids.database, ids.collection, 'title', 64, false);
    await eventually(async () => (await databases.getAttribute(ids.database, ids.collection, 'title')).status === 'available', 'attribute available', 20_000);
    const first = await databases.createDocument(ids.database, ids.collection, 'first', { title: 'one' });
    await databases.createDocument(ids.database, ids.collection, 'second', { title: 'two' });
    await databases.getDocument(ids.database, ids.collection, first.$id);
    await databases.listDocuments(ids.database, ids.collection);

    const storage = new sdk.Storage(key);
    await storage.createBucket(ids.bucket, 'Usage', [sdk.Permission.read(sdk.Role.any())], false, true, undefined, undefined, 'none', false, false);
    const file = await storage.createFile(ids.bucket, 'report', sdk.InputFile.fromPlainText('usage statistics', 'report.txt'));
    await storage.getFile(ids.bucket, file.$id);

    const users = new sdk.Users(key);
    await users.create(sdk.ID.unique(), 'counted@example.test', undefined, 'password-123', 'Counted');
    await users.list();
  }, 60_000);

  it('counts document requests and documents per project, database and collection', async () => {
    const all = await usageOf('/databases/usage?range=24h', (u) => total(u.documentsCreate) >= 2 && last(u.documentsCount) >= 2 && last(u.databasesCount) >= 1);
    expect(all.range).toBe('24h');
    expect(all.documentsCreate).toHaveLength(24);
    expect(Date.parse(all.documentsCreate[0].date)).toBeLessThan(Date.parse(all.documentsCreate[23].date));
    expect(total(all.documentsCreate)).toBe(2);
    expect(total(all.documentsRead)).toBe(2);
    expect(total(all.databasesCreate)).toBe(1);
    expect(total(all.collectionsCreate)).toBe(1);
    expect(last(all.collectionsCount)).toBe(1);

    const database = await usageOf(`/databases/${ids.database}/usage?range=30d`, (u) => last(u.documentsCount) === 2);
    expect(database.documentsCreate).toHaveLength(30);
    expect(total(database.documentsCreate)).toBe(2);
    expect(total(database.collectionsCreate)).toBe(1);

    const collection = await usageOf(`/databases/${ids.database}/collections/${ids.collection}/usage?range=7d`, (u) => last(u.documentsCount) === 2);
    expect(collection.documentsCreate).toHaveLength(7);
    expect(total(collection.documentsRead)).toBe(2);
    expect(total(collection.documentsUpdate)).toBe(0);
  }, 60_000);

  it('counts buckets, files and stored bytes', async () => {
    const storage = await usageOf('/storage/usage?range=24h', (u) => last(u.filesCount) === 1 && last(u.bucketsCount) === 1);
    expect(last(storage.storage)).toBeGreaterThan(0);
    expect(total(storage.filesCreate)).toBe(1);
    expect(total(storage.filesRead)).toBe(1);
    expect(total(storage.bucketsCreate)).toBe(1);

    const bucket = await usageOf(`/storage/${ids.bucket}/usage?range=24h`, (u) => last(u.filesCount) === 1);
    expect(last(bucket.filesStorage)).toBe(last(storage.storage));
    expect(total(bucket.filesCreate)).toBe(1);
  }, 60_000);

  it('counts users and the project requests and traffic', async () => {
    const users = await usageOf('/users/usage?range=24h', (u) => last(u.usersCount) === 1 && total(u.usersCreate) === 1);
    expect(total(users.usersRead)).toBeGreaterThanOrEqual(1);

    const project = await usageOf(`/projects/${console.projectId}/usage?range=30d`, (u) => last(u.requests) > 10 && last(u.users) === 1 && last(u.documents) === 2, true);
    expect(last(project.network)).toBeGreaterThan(0);
    expect(last(project.databases)).toBe(1);
    expect(last(project.buckets)).toBe(1);
    expect(last(project.storage)).toBeGreaterThan(0);
    expect(total(project.executions)).toBe(0);
  }, 60_000);

  it('counts sessions per provider (web SDK email session), and attribute requests as collection reads and updates (1.3)', async () => {
    await signedInUser(console.projectId, 'usage-session');
    const users = await usageOf('/users/usage?range=24h&provider=email', (u) => total(u.sessionsProviderCreate) >= 1);
    expect(total(users.sessionsCreate)).toBeGreaterThanOrEqual(total(users.sessionsProviderCreate));
    const anonymous = await admin('/users/usage?range=24h&provider=anonymous');
    expect(total(anonymous.body.sessionsProviderCreate)).toBe(0);

    // beforeAll created one attribute (an update of its collection) and polled it (reads).
    const database = await usageOf(`/databases/${ids.database}/usage?range=24h`, (u) => total(u.collectionsUpdate) >= 1 && total(u.collectionsRead) >= 1);
    expect(total(database.collectionsUpdate)).toBe(1);
  }, 60_000);

  it('refuses the usage routes to a project user session (1.3 scopes)', async () => {
    const user = await signedInUser(console.projectId, 'usage-deny');
    for (const path of ['/users/usage', '/databases/usage', '/storage/usage']) {
      // The user's own session (X-Fallback-Cookies) through the web SDK's transport.
      const refused = await failure(user.client.call('get', new URL(`${console.endpoint}${path}`), { 'content-type': 'application/json' }, {}));
      expect([path, refused.code]).toEqual([path, 401]);
      expect(refused.type).toBe('general_unauthorized_scope');
    }
  });
});
