import { Process, Processor } from '@nestjs/bull';
import { Inject, INestApplicationContext, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { encodeSession, generateSecret, hashSecret } from '@appconda/auth';
import { ConfigModule } from '@appconda/config';
import { DatabaseJob, QueueName } from '@appconda/contracts';
import { generateId } from '@appconda/core';
import { AuditRepository, DatabaseModule, MembershipRepository, SessionRepository, TeamRepository, UserEntity, UserRepository } from '@appconda/database';
import { CollectionSchemaService, DatabasesApiModule, DatabasesModule } from '@appconda/databases';
import { JobHandler, jobHandlerToken, QueueModule, QueueProcessor } from '@appconda/queue';
import { createTestApi, TestApi, UserFactory } from '@appconda/testing';
import { eventsPattern, RedisModule } from '@appconda/transport';
import type { Job } from 'bull';
import Redis from 'ioredis';

import { DocumentsApiModule } from './documents-api.module';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS SDKs, loaded as the apps load them
const web = require('appwrite') as typeof import('appwrite');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS SDK without bundled types for this import style
const server = require('node-appwrite');

type Doc = Record<string, unknown> & { $id: string; $permissions: string[] };
type DocList = { total: number; documents: Doc[] };

/** worker-databases as it is composed: the Bull processor adapting jobs to DatabasesModule's handler. */
@Processor(QueueName.Databases)
class TestDatabasesProcessor extends QueueProcessor<QueueName.Databases> {
  constructor(@Inject(jobHandlerToken(QueueName.Databases)) handler: JobHandler<QueueName.Databases>) {
    super(QueueName.Databases, handler);
  }

  @Process()
  process(job: Job<DatabaseJob>): Promise<unknown> {
    return this.run(job);
  }
}

@Module({ imports: [ConfigModule, DatabaseModule.forRoot(), RedisModule, QueueModule.forWorker(QueueName.Databases), DatabasesModule], providers: [TestDatabasesProcessor] })
class TestWorkerModule {}

const DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;
const DB = 'main';

describe('Documents API (node-appwrite@9 key, appwrite@11 sessions, real worker-built tables)', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let projectId: string;
  let key: string;
  let db: any;
  let alice: { user: UserEntity; session: string };
  let bob: { user: UserEntity; session: string };
  let carol: { user: UserEntity; session: string };
  let subscriber: Redis;
  const events: string[] = [];
  let nextIp = 1;

  const repo = <T>(type: new (...args: never[]) => T): T => api.app.get(type, { strict: false });
  const failure = (promise: Promise<unknown>) => promise.then(() => ({ code: 0, type: 'resolved', message: '' }), (error: { code: number; type: string; message: string }) => error);

  const seedUser = async (name: string) => {
    const user = await UserFactory.from({ name, status: true, emailVerification: false, phoneVerification: false, reset: false }).create(repo(UserRepository), projectId);
    const secret = generateSecret();
    await repo(SessionRepository).create(projectId, { uid: generateId(), userInternalId: user.internalId, userId: user.uid, provider: 'email', secret: hashSecret(secret), expire: new Date(Date.now() + 3600_000) });
    return { user, session: encodeSession({ id: user.uid, secret }) };
  };

  /** The web SDK for a session (or a guest when none), each from its own IP. */
  const webDb = (session?: string) => {
    const client = new web.Client().setEndpoint(api.endpoint).setProject(projectId);
    const headers = (client as unknown as { headers: Record<string, string> }).headers;
    headers['X-Forwarded-For'] = `10.3.0.${nextIp++}`;
    if (session) headers['X-Fallback-Cookies'] = JSON.stringify({ [`a_session_${projectId}`]: session });
    return new web.Databases(client);
  };

  const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${api.endpoint}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-appwrite-project': projectId, 'x-appwrite-key': key, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function waitFor<T>(probe: () => Promise<T | undefined | false>, what: string, ms = 20_000): Promise<T> {
    const until = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Waits until every attribute and index of the collections is `available`. */
  const ready = (...collections: string[]) =>
    Promise.all(
      collections.map((collection) =>
        waitFor(async () => {
          const [attributes, indexes] = await Promise.all([db.listAttributes(DB, collection), db.listIndexes(DB, collection)]);
          const all = [...attributes.attributes, ...indexes.indexes] as { status: string; key: string; error?: string }[];
          const failed = all.find((item) => item.status === 'failed');
          if (failed) throw new Error(`${collection}.${failed.key} failed: ${failed.error}`);
          return all.every((item) => item.status === 'available');
        }, `schema of ${collection}`),
      ),
    );

  const auditJobs = async (event: string, resource: string) => {
    return waitFor(async () => {
      const entries = (await api.queuedAudits()).filter((entry) => entry.event === event && entry.resource === resource);
      return entries.length ? entries : undefined;
    }, `audit ${event} ${resource}`, 3000);
  };

  beforeAll(async () => {
    api = await createTestApi([DatabasesApiModule, DocumentsApiModule], { env: { _APP_OPTIONS_ABUSE: 'disabled' } });
    const seeded = await api.seedProject(['databases.read', 'databases.write', 'collections.read', 'collections.write', 'attributes.read', 'attributes.write', 'indexes.read', 'indexes.write', 'documents.read', 'documents.write']);
    projectId = seeded.projectId;
    key = seeded.key;
    db = new server.Databases(new server.Client().setEndpoint(api.endpoint).setProject(projectId).setKey(key));
    worker = await Test.createTestingModule({ imports: [TestWorkerModule] }).compile();
    await worker.init();

    subscriber = new Redis({ host: process.env._APP_REDIS_HOST || '127.0.0.1', port: Number(process.env._APP_REDIS_PORT || 6379), lazyConnect: true });
    await subscriber.connect();
    subscriber.on('message', (_channel: string, message: string) => {
      const packet = JSON.parse(message) as { data?: { events?: string[] } };
      events.push(...(packet.data?.events ?? []));
    });
    await subscriber.subscribe(eventsPattern(api.redisPrefix));

    alice = await seedUser('Alice');
    bob = await seedUser('Bob');
    carol = await seedUser('Carol');
    const team = await repo(TeamRepository).create(projectId, { uid: 'editors', name: 'Editors', total: 1, prefs: {}, search: null });
    await repo(MembershipRepository).create(projectId, {
      uid: generateId(),
      userInternalId: carol.user.internalId,
      userId: carol.user.uid,
      teamInternalId: team.internalId,
      teamId: 'editors',
      roles: ['editor'],
      invited: new Date(),
      joined: new Date(),
      confirm: true,
      secret: '',
      search: null,
    } as never);

    await db.create(DB, 'Main');
    await db.createCollection(DB, 'books', 'Books', ['read("any")', 'create("users")', 'update("users")', 'delete("users")'], false);
    await Promise.all([
      db.createStringAttribute(DB, 'books', 'title', 64, true),
      db.createStringAttribute(DB, 'books', 'body', 20000, false, 'empty'),
      db.createStringAttribute(DB, 'books', 'summary', 200, false),
      db.createStringAttribute(DB, 'books', 'tags', 16, false, undefined, true),
      db.createIntegerAttribute(DB, 'books', 'pages', false, 0, 5000, 10),
      db.createIntegerAttribute(DB, 'books', 'views', false),
      db.createFloatAttribute(DB, 'books', 'rating', false, 0, 5),
      db.createBooleanAttribute(DB, 'books', 'published', false, false),
      db.createEmailAttribute(DB, 'books', 'contact', false),
      db.createEnumAttribute(DB, 'books', 'kind', ['novel', 'essay'], false, 'novel'),
      db.createIpAttribute(DB, 'books', 'ip', false),
      db.createUrlAttribute(DB, 'books', 'site', false),
      db.createDatetimeAttribute(DB, 'books', 'released', false),
      db.createDatetimeAttribute(DB, 'books', 'dates', false, undefined, true),
    ]);
    await ready('books');
    await db.createIndex(DB, 'books', 'ft_title', 'fulltext', ['title']);
    await db.createIndex(DB, 'books', 'by_pages', 'key', ['pages'], ['ASC']);

    await db.createCollection(DB, 'notes', 'Notes', ['create("users")', 'create("any")'], true);
    await db.createStringAttribute(DB, 'notes', 'text', 100, false);
    await db.createCollection(DB, 'vault', 'Vault', ['create("users")'], false);
    await db.createStringAttribute(DB, 'vault', 'text', 100, false);
    await ready('books', 'notes', 'vault');
  }, 90_000);

  afterAll(async () => {
    await subscriber?.quit();
    await worker?.close();
    await api?.close();
  });

  describe('attributes and validation', () => {
    it('round-trips every attribute type, applies defaults, accepts data as a JSON string', async () => {
      const full = (await db.createDocument(DB, 'books', 'full', {
        title: 'Dune',
        body: 'Spice',
        tags: ['sf', 'classic'],
        pages: 412,
        views: -3000000000 + 2999999999,
        rating: 4.5,
        published: true,
        contact: 'frank@example.com',
        kind: 'essay',
        ip: '10.0.0.7',
        site: 'https://example.com/dune',
        released: '1965-08-01T10:20:30.123+02:00',
        dates: ['2020-01-01T00:00:00.000+00:00', '2021-06-15 12:00:00'],
      })) as Doc;
      expect(full).toMatchObject({
        $id: 'full',
        $collectionId: 'books',
        $databaseId: DB,
        $permissions: [],
        title: 'Dune',
        tags: ['sf', 'classic'],
        pages: 412,
        views: -1,
        rating: 4.5,
        published: true,
        contact: 'frank@example.com',
        kind: 'essay',
        ip: '10.0.0.7',
        site: 'https://example.com/dune',
        released: '1965-08-01T08:20:30.123+00:00',
        dates: ['2020-01-01T00:00:00.000+00:00', '2021-06-15T12:00:00.000+00:00'],
      });
      expect(full.$createdAt).toMatch(DATE);
      expect(await db.getDocument(DB, 'books', 'full')).toEqual(full);

      const minimal = (await db.createDocument(DB, 'books', server.ID.unique(), JSON.stringify({ title: 'Tiny' }))) as Doc;
      expect(minimal.$id).toMatch(/^[0-9a-f]{20}$/);
      expect(minimal).toMatchObject({ title: 'Tiny', body: 'empty', pages: 10, published: false, kind: 'novel', tags: [], dates: [], views: null, rating: null, contact: null, released: null });
      expect(await db.getDocument(DB, 'books', minimal.$id)).toEqual(minimal);

      const updated = (await db.updateDocument(DB, 'books', 'full', { pages: 500 })) as Doc;
      expect(updated).toMatchObject({ pages: 500, title: 'Dune', rating: 4.5 });
      expect((updated.$updatedAt as string) > (full.$updatedAt as string)).toBe(true);
      expect(await db.getDocument(DB, 'books', 'full')).toEqual(updated);
      expect((await db.updateDocument(DB, 'books', 'full', undefined, ['read("any")'])).$permissions).toEqual(['read("any")']);
    });

    it.each([
      [{ title: 'x', nope: 1 }, 'Unknown attribute: "nope"'],
      [{ pages: 3 }, 'Missing required attribute "title"'],
      [{ title: 5 }, 'Attribute "title" has invalid type. Value must be a valid string and no longer than 64 chars'],
      [{ title: 'x'.repeat(65) }, 'no longer than 64 chars'],
      [{ title: 'x', pages: 5001 }, 'Attribute "pages" has invalid format. Value must be a valid range between 0 and 5,000'],
      [{ title: 'x', pages: 1.5 }, 'Attribute "pages" has invalid type. Value must be a valid integer'],
      [{ title: 'x', pages: '5' }, 'Value must be a valid integer'],
      [{ title: 'x', rating: 7.5 }, 'Attribute "rating" has invalid format. Value must be a valid range between 0 and 5'],
      [{ title: 'x', published: 'yes' }, 'Value must be a valid boolean'],
      [{ title: 'x', contact: 'not-mail' }, 'Value must be a valid email address'],
      [{ title: 'x', site: 'nope' }, 'Value must be a valid URL'],
      [{ title: 'x', ip: '999.1.1.1' }, 'Value must be a valid IP address'],
      [{ title: 'x', kind: 'poem' }, 'Value must be one of (novel, essay)'],
      [{ title: 'x', released: 'yesterday' }, 'Attribute "released" has invalid type'],
      [{ title: 'x', tags: 'sf' }, 'Attribute "tags" must be an array'],
      [{ title: ['x'] }, 'Attribute "title" has invalid type'],
      [{ title: 'x', tags: ['ok', 5] }, `Attribute "tags['1']" has invalid type`],
    ])('refuses %j with document_invalid_structure', async (data, message) => {
      const error = await failure(db.createDocument(DB, 'books', server.ID.unique(), data));
      expect(error).toMatchObject({ code: 400, type: 'document_invalid_structure' });
      expect(error.message).toContain(message);
    });

    it('refuses bad ids, duplicates, empty data, $id in data and unknown collections', async () => {
      await db.createDocument(DB, 'books', 'dup', { title: 'One' });
      expect(await failure(db.createDocument(DB, 'books', 'dup', { title: 'Two' }))).toMatchObject({ code: 409, type: 'document_already_exists' });
      expect(await failure(db.createDocument(DB, 'books', '_bad', { title: 'x' }))).toMatchObject({ code: 400, type: 'general_argument_invalid' });
      expect(await failure(db.createDocument(DB, 'books', 'x1', {}))).toMatchObject({ code: 400, type: 'document_missing_payload' });
      expect(await failure(db.createDocument(DB, 'books', 'x2', { $id: 'x', title: 'x' }))).toMatchObject({ code: 400, type: 'document_invalid_structure' });
      expect(await failure(db.updateDocument(DB, 'books', 'dup', {}))).toMatchObject({ code: 400, type: 'document_missing_payload' });
      expect(await failure(db.updateDocument(DB, 'books', 'dup', { title: null }))).toMatchObject({ code: 400, type: 'document_invalid_structure' });
      expect(await failure(db.getDocument(DB, 'books', 'missing'))).toMatchObject({ code: 404, type: 'document_not_found' });
      // A unique index refuses duplicates on create and on update.
      await db.createCollection(DB, 'codes', 'Codes', [], false);
      await db.createStringAttribute(DB, 'codes', 'code', 8, false);
      await ready('codes');
      await db.createIndex(DB, 'codes', 'uniq_code', 'unique', ['code']);
      await ready('codes');
      await db.createDocument(DB, 'codes', 'c1', { code: 'A' });
      await db.createDocument(DB, 'codes', 'c2', { code: 'B' });
      expect(await failure(db.createDocument(DB, 'codes', 'c3', { code: 'A' }))).toMatchObject({ code: 409, type: 'document_already_exists' });
      expect(await failure(db.updateDocument(DB, 'codes', 'c2', { code: 'A' }))).toMatchObject({ code: 409, type: 'document_already_exists' });
      expect(await failure(db.getDocument('nope', 'books', 'x'))).toMatchObject({ code: 404, type: 'database_not_found' });
      expect(await failure(db.listDocuments(DB, 'nope'))).toMatchObject({ code: 404, type: 'collection_not_found' });
      await db.deleteDocument(DB, 'books', 'dup');
      expect(await failure(db.getDocument(DB, 'books', 'dup'))).toMatchObject({ code: 404, type: 'document_not_found' });
      expect(await failure(db.deleteDocument(DB, 'books', 'dup'))).toMatchObject({ code: 404, type: 'document_not_found' });
    });
  });

  describe('queries', () => {
    const ids = (list: DocList) => list.documents.map((d) => d.$id);
    const Q = () => server.Query;

    beforeAll(async () => {
      await db.createCollection(DB, 'shelf', 'Shelf', ['read("any")'], false);
      await db.createStringAttribute(DB, 'shelf', 'name', 32, true);
      await db.createIntegerAttribute(DB, 'shelf', 'n', false);
      await db.createFloatAttribute(DB, 'shelf', 'score', false);
      await db.createStringAttribute(DB, 'shelf', 'note', 32, false);
      await db.createDatetimeAttribute(DB, 'shelf', 'at', false);
      await ready('shelf');
      await db.createIndex(DB, 'shelf', 'ft_name', 'fulltext', ['name']);
      await db.createIndex(DB, 'shelf', 'by_n', 'key', ['n']);
      await ready('shelf');
      for (let i = 1; i <= 30; i++) {
        await db.createDocument(DB, 'shelf', `s${String(i).padStart(2, '0')}`, {
          name: i % 2 ? `alpha item ${i}` : `beta item ${i}`,
          n: i,
          score: i / 2,
          note: i % 3 === 0 ? null : `note-${i}`,
          at: new Date(Date.UTC(2024, 0, i)).toISOString(),
        });
      }
    }, 60_000);

    it('filters with every operator', async () => {
      const list = (queries: string[]) => db.listDocuments(DB, 'shelf', queries) as Promise<DocList>;
      expect(ids(await list([Q().equal('n', [3, 4])]))).toEqual(['s03', 's04']);
      expect((await list([Q().notEqual('n', 3)])).total).toBe(29);
      expect(ids(await list([Q().lessThan('n', 3)]))).toEqual(['s01', 's02']);
      expect(ids(await list([Q().lessThanEqual('n', 2)]))).toEqual(['s01', 's02']);
      expect(ids(await list([Q().greaterThan('n', 28)]))).toEqual(['s29', 's30']);
      expect(ids(await list([Q().greaterThanEqual('score', 14.5)]))).toEqual(['s29', 's30']);
      expect(ids(await list([Q().between('n', 5, 7)]))).toEqual(['s05', 's06', 's07']);
      expect(ids(await list([Q().startsWith('note', 'note-2'), Q().lessThan('n', 23)]))).toEqual(['s02', 's20', 's22']);
      expect(ids(await list([Q().endsWith('name', 'item 7')]))).toEqual(['s07']);
      expect((await list([Q().isNull('note')])).total).toBe(10);
      expect((await list([Q().isNotNull('note')])).total).toBe(20);
      expect((await list([Q().search('name', 'beta')])).total).toBe(15);
      expect(ids(await list([Q().greaterThan('at', '2024-01-29T00:00:00.000+00:00')]))).toEqual(['s30']);
      expect(ids(await list([Q().equal('$id', 's05')]))).toEqual(['s05']);
    });

    it('orders, limits (default 25), offsets, selects and counts', async () => {
      const all = (await db.listDocuments(DB, 'shelf')) as DocList;
      expect(all.total).toBe(30);
      expect(all.documents).toHaveLength(25);
      expect(ids((await db.listDocuments(DB, 'shelf', [Q().orderDesc('n'), Q().limit(3)])) as DocList)).toEqual(['s30', 's29', 's28']);
      expect(ids((await db.listDocuments(DB, 'shelf', [Q().orderAsc('n'), Q().limit(2), Q().offset(5)])) as DocList)).toEqual(['s06', 's07']);
      const selected = (await db.listDocuments(DB, 'shelf', [Q().select(['name']), Q().limit(1)])) as DocList;
      expect(Object.keys(selected.documents[0]).sort()).toEqual(['$collectionId', '$createdAt', '$databaseId', '$id', '$permissions', '$updatedAt', 'name']);
      expect(Object.keys(await db.getDocument(DB, 'shelf', 's01', [Q().select(['n'])]))).toContain('n');
    });

    it('caps total at 5000 as 1.3 does', async () => {
      await db.createCollection(DB, 'many', 'Many', ['read("any")'], false);
      await db.createIntegerAttribute(DB, 'many', 'i', false);
      await ready('many');
      const table = (await api.app.get(CollectionSchemaService, { strict: false }).get(projectId, DB, 'many')).table;
      const now = new Date();
      const rows = Array.from({ length: 5010 }, (_, i) => [`m${i}`, now, now, '[]', i]);
      await api.db.pool.query(`INSERT INTO \`${table}\` (_uid, _createdAt, _updatedAt, _permissions, i) VALUES ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}`, rows.flat());
      const list = (await db.listDocuments(DB, 'many', [Q().limit(2)])) as DocList;
      expect(list.total).toBe(5000);
      expect(((await db.listDocuments(DB, 'many', [Q().greaterThanEqual('i', 5000)])) as DocList).total).toBe(10);
    });

    it('pages with cursors both ways', async () => {
      const page = (queries: string[]) => db.listDocuments(DB, 'shelf', [Q().orderAsc('n'), Q().limit(3), ...queries]).then(ids);
      expect(await page([Q().cursorAfter('s05')])).toEqual(['s06', 's07', 's08']);
      expect(await page([Q().cursorBefore('s05')])).toEqual(['s02', 's03', 's04']);
      expect(await db.listDocuments(DB, 'shelf', [Q().orderDesc('n'), Q().limit(2), Q().cursorAfter('s05')]).then(ids)).toEqual(['s04', 's03']);
      expect(await db.listDocuments(DB, 'shelf', [Q().orderDesc('n'), Q().limit(2), Q().cursorBefore('s05')]).then(ids)).toEqual(['s07', 's06']);
      expect(await failure(db.listDocuments(DB, 'shelf', [Q().cursorAfter('gone')]))).toMatchObject({ code: 400, type: 'general_cursor_not_found' });
    });

    it.each([
      [() => server.Query.equal('missing', 'x'), 'Attribute not found in schema: missing'],
      [() => server.Query.equal('n', '5'), 'Query type does not match expected: integer'],
      [() => server.Query.greaterThan('name', 5), 'Query type does not match expected: string'],
      [() => server.Query.search('note', 'x'), 'Searching by attribute "note" requires a fulltext index.'],
      [() => server.Query.orderAsc('missing'), 'Attribute not found in schema: missing'],
      [() => server.Query.select(['missing']), 'Attribute not found in schema: missing'],
      [() => 'contains("name", ["x"])', 'Query method not valid: contains'],
      [() => 'equal("name"', 'Invalid query'],
      [() => server.Query.limit(0), 'Invalid limit'],
    ])('refuses an invalid query %#', async (query, message) => {
      const error = await failure(db.listDocuments(DB, 'shelf', [query()]));
      expect(error).toMatchObject({ code: 400, type: 'general_argument_invalid' });
      expect(error.message).toContain(message);
    });
  });

  describe('permissions', () => {
    it('guests read public collections but cannot write; users get default permissions and only grant their own roles', async () => {
      const guest = webDb();
      expect((await guest.getDocument(DB, 'books', 'full')).$id).toBe('full');
      expect((await guest.listDocuments(DB, 'books')).total).toBeGreaterThan(0);
      expect(await failure(guest.createDocument(DB, 'books', 'g1', { title: 'x' }))).toMatchObject({ code: 401, type: 'user_unauthorized' });

      const asAlice = webDb(alice.session);
      const mine = await asAlice.createDocument(DB, 'books', 'by-alice', { title: 'Mine' });
      const aliceRole = `user:${alice.user.uid}`;
      expect(mine.$permissions).toEqual([`read("${aliceRole}")`, `update("${aliceRole}")`, `delete("${aliceRole}")`]);
      const error = await failure(asAlice.createDocument(DB, 'books', 'by-alice-2', { title: 'x' }, [`read("user:${bob.user.uid}")`]));
      expect(error).toMatchObject({ code: 401, type: 'user_unauthorized' });
      expect(error.message).toContain('Permissions must be one of');
      const written = await asAlice.createDocument(DB, 'books', 'by-alice-3', { title: 'x' }, ['write("users")', `read("${aliceRole}")`]);
      expect(written.$permissions).toEqual([`read("${aliceRole}")`, 'update("users")', 'delete("users")']);
      // Collection-level update/delete for users applies whatever the document says.
      expect((await webDb(bob.session).updateDocument(DB, 'books', 'by-alice', { title: 'Bob was here' })).title).toBe('Bob was here');
    });

    it('documentSecurity: a user never sees another user\'s private document in get, list or total; team roles count', async () => {
      const asAlice = webDb(alice.session);
      const asBob = webDb(bob.session);
      const asCarol = webDb(carol.session);
      await asAlice.createDocument(DB, 'notes', 'alice-private', { text: 'secret' });
      await db.createDocument(DB, 'notes', 'team-note', { text: 'editors only' }, ['read("team:editors/editor")']);
      await db.createDocument(DB, 'notes', 'public-note', { text: 'hello' }, ['read("any")']);
      await db.createDocument(DB, 'notes', 'owners-note', { text: 'owners' }, ['read("team:editors/owner")']);

      expect((await asAlice.getDocument(DB, 'notes', 'alice-private')).text).toBe('secret');
      expect(await failure(asBob.getDocument(DB, 'notes', 'alice-private'))).toMatchObject({ code: 404, type: 'document_not_found' });
      const bobs = (await asBob.listDocuments(DB, 'notes')) as unknown as DocList;
      expect(bobs).toMatchObject({ total: 1 });
      expect(ids(bobs)).toEqual(['public-note']);
      expect(ids((await asAlice.listDocuments(DB, 'notes')) as unknown as DocList)).toEqual(['alice-private', 'public-note']);
      expect(ids((await asCarol.listDocuments(DB, 'notes')) as unknown as DocList)).toEqual(['team-note', 'public-note']);
      expect((await asCarol.getDocument(DB, 'notes', 'team-note')).text).toBe('editors only');
      expect(await failure(asCarol.getDocument(DB, 'notes', 'owners-note'))).toMatchObject({ code: 404 });
      const guests = (await webDb().listDocuments(DB, 'notes')) as unknown as DocList;
      expect(guests.total).toBe(1);
      expect((await db.listDocuments(DB, 'notes')).total).toBe(4);

      // Writes: only the document's own update/delete grants (there is no collection-level one).
      expect(await failure(asBob.updateDocument(DB, 'notes', 'alice-private', { text: 'hacked' }))).toMatchObject({ code: 401, type: 'user_unauthorized' });
      expect(await failure(asBob.deleteDocument(DB, 'notes', 'alice-private'))).toMatchObject({ code: 401, type: 'user_unauthorized' });
      expect((await asAlice.updateDocument(DB, 'notes', 'alice-private', { text: 'still mine' })).text).toBe('still mine');
      // A guest may create (create("any")) but without a user gets no permissions.
      expect((await webDb().createDocument(DB, 'notes', 'from-guest', { text: 'hi' })).$permissions).toEqual([]);
      await asAlice.deleteDocument(DB, 'notes', 'alice-private');
      expect(await failure(asAlice.getDocument(DB, 'notes', 'alice-private'))).toMatchObject({ code: 404 });
    });

    it('team roles grant writes; nested documents need the related collection\'s create permission', async () => {
      await db.createDocument(DB, 'notes', 'team-edit', { text: 'v1' }, ['read("team:editors")', 'update("team:editors/editor")']);
      expect((await webDb(carol.session).updateDocument(DB, 'notes', 'team-edit', { text: 'v2' })).text).toBe('v2');
      expect(await failure(webDb(bob.session).updateDocument(DB, 'notes', 'team-edit', { text: 'v3' }))).toMatchObject({ code: 401 });
      expect(await failure(webDb(carol.session).deleteDocument(DB, 'notes', 'team-edit'))).toMatchObject({ code: 401 });
    });

    it('documentSecurity off and no collection read: list is 401, get is 404, even with document grants', async () => {
      const asAlice = webDb(alice.session);
      await asAlice.createDocument(DB, 'vault', 'v1', { text: 'x' });
      expect(await failure(asAlice.listDocuments(DB, 'vault'))).toMatchObject({ code: 401, type: 'user_unauthorized' });
      expect(await failure(asAlice.getDocument(DB, 'vault', 'v1'))).toMatchObject({ code: 404, type: 'document_not_found' });
      expect(await failure(asAlice.updateDocument(DB, 'vault', 'v1', { text: 'y' }))).toMatchObject({ code: 401, type: 'user_unauthorized' });
      expect((await db.getDocument(DB, 'vault', 'v1')).text).toBe('x');
    });

    const ids = (list: DocList) => list.documents.map((d) => d.$id);
  });

  describe('X-Appwrite-Timestamp', () => {
    it('refuses updates and deletes of a document changed after the given instant', async () => {
      const doc = (await db.createDocument(DB, 'books', 'ts', { title: 'T' })) as Doc;
      const before = new Date(Date.parse(doc.$updatedAt as string) - 1000).toISOString();
      const path = `/databases/${DB}/collections/books/documents/ts`;
      const conflict = await request('PATCH', path, { data: { pages: 2 } }, { 'x-appwrite-timestamp': before });
      expect(conflict.status).toBe(409);
      expect(await conflict.json()).toMatchObject({ type: 'document_update_conflict' });
      expect((await request('DELETE', path, undefined, { 'x-appwrite-timestamp': before })).status).toBe(409);
      expect((await request('PATCH', path, { data: { pages: 2 } }, { 'x-appwrite-timestamp': 'garbage' })).status).toBe(400);
      const later = new Date(Date.now() + 1000).toISOString();
      expect((await request('PATCH', path, { data: { pages: 2 } }, { 'x-appwrite-timestamp': later })).status).toBe(200);
      expect((await request('DELETE', path, undefined, { 'x-appwrite-timestamp': new Date(Date.now() + 1000).toISOString() })).status).toBe(204);
    });
  });

  describe('relationships', () => {
    beforeAll(async () => {
      for (const [id, field] of [['parents', 'name'], ['kids', 'name'], ['people', 'name'], ['passports', 'number'], ['posts', 'title'], ['labels', 'name']]) {
        await db.createCollection(DB, id, id, ['read("any")', 'create("any")', 'update("any")', 'delete("any")'], false);
        await db.createStringAttribute(DB, id, field, 64, false);
      }
      await ready('parents', 'kids', 'people', 'passports', 'posts', 'labels');
      await db.createRelationshipAttribute(DB, 'parents', 'kids', 'oneToMany', true, 'kids', 'parent', 'cascade');
      await db.createRelationshipAttribute(DB, 'people', 'passports', 'oneToOne', true, 'passport', 'holder', 'setNull');
      await db.createRelationshipAttribute(DB, 'posts', 'labels', 'manyToMany', true, 'labels', 'posts', 'restrict');
      await ready('parents', 'kids', 'people', 'passports', 'posts', 'labels');
    }, 60_000);

    it('oneToMany: nested create, loads both ways, dotted select, cascade delete', async () => {
      const parent = (await db.createDocument(DB, 'parents', 'p1', { name: 'Pat', kids: [{ $id: 'k1', name: 'Kim' }, { name: 'Kai' }] })) as Doc;
      expect((parent.kids as Doc[]).map((kid) => kid.name).sort()).toEqual(['Kai', 'Kim']);
      expect((parent.kids as Doc[])[0]).toMatchObject({ $collectionId: 'kids', $databaseId: DB });
      const kid = (await db.getDocument(DB, 'kids', 'k1')) as Doc;
      expect(kid.parent).toMatchObject({ $id: 'p1', name: 'Pat' });
      expect((kid.parent as Doc).kids).toBeUndefined();
      await db.createDocument(DB, 'kids', 'k3', { name: 'Kit', parent: 'p1' });
      const list = (await db.listDocuments(DB, 'parents')) as DocList;
      expect((list.documents[0].kids as Doc[]).map((k) => k.$id).sort()).toEqual([expect.any(String), 'k1', 'k3'].sort());
      const selected = (await db.getDocument(DB, 'parents', 'p1', [server.Query.select(['name', 'kids.name'])])) as Doc;
      expect(Object.keys((selected.kids as Doc[])[0])).toContain('name');
      expect(Object.keys(await db.getDocument(DB, 'parents', 'p1', [server.Query.select(['name'])]))).not.toContain('kids');
      // Re-linking replaces the set.
      const relinked = (await db.updateDocument(DB, 'parents', 'p1', { kids: ['k1'] })) as Doc;
      expect((relinked.kids as Doc[]).map((k) => k.$id)).toEqual(['k1']);
      expect((await db.getDocument(DB, 'kids', 'k3')).parent).toBeNull();
      // Deleting a kid (the "many" side) never cascades into its parent.
      await db.createDocument(DB, 'kids', 'k4', { name: 'Kip', parent: 'p1' });
      await db.deleteDocument(DB, 'kids', 'k4');
      expect((await db.getDocument(DB, 'parents', 'p1')).$id).toBe('p1');
      await db.deleteDocument(DB, 'parents', 'p1');
      expect(await failure(db.getDocument(DB, 'kids', 'k1'))).toMatchObject({ code: 404 });
      expect((await db.getDocument(DB, 'kids', 'k3')).$id).toBe('k3');
    });

    it('oneToOne: links both sides, setNull on delete', async () => {
      await db.createDocument(DB, 'people', 'ann', { name: 'Ann', passport: { $id: 'pp1', number: 'X1' } });
      expect((await db.getDocument(DB, 'passports', 'pp1')).holder).toMatchObject({ $id: 'ann' });
      expect((await db.getDocument(DB, 'people', 'ann')).passport).toMatchObject({ $id: 'pp1', number: 'X1' });
      await db.deleteDocument(DB, 'people', 'ann');
      const passport = (await db.getDocument(DB, 'passports', 'pp1')) as Doc;
      expect(passport.holder).toBeNull();
    });

    it('refuses a nested create into a collection the caller may not create in', async () => {
      await db.createCollection(DB, 'locked', 'Locked', ['read("any")'], false);
      await db.createCollection(DB, 'open', 'Open', ['read("any")', 'create("any")'], false);
      await db.createStringAttribute(DB, 'locked', 'name', 16, false);
      await ready('locked', 'open');
      await db.createRelationshipAttribute(DB, 'open', 'locked', 'manyToOne', false, 'lock', undefined, 'setNull');
      await ready('open');
      const guest = webDb();
      expect(await failure(guest.createDocument(DB, 'open', 'o1', { lock: { name: 'nope' } }))).toMatchObject({ code: 401, type: 'user_unauthorized' });
      expect(await failure(db.getDocument(DB, 'open', 'o1'))).toMatchObject({ code: 404 });
      await db.createDocument(DB, 'locked', 'l1', { name: 'L' });
      expect((await guest.createDocument(DB, 'open', 'o2', { lock: 'l1' })).lock).toMatchObject({ $id: 'l1', name: 'L' });
    });

    it('manyToMany: junction links both ways, restrict refuses the delete while linked', async () => {
      await db.createDocument(DB, 'labels', 'red', { name: 'Red' });
      await db.createDocument(DB, 'posts', 'post1', { title: 'One', labels: ['red', { $id: 'blue', name: 'Blue' }] });
      await db.createDocument(DB, 'posts', 'post2', { title: 'Two', labels: ['red'] });
      expect(((await db.getDocument(DB, 'posts', 'post1')).labels as Doc[]).map((l) => l.$id)).toEqual(['red', 'blue']);
      expect(((await db.getDocument(DB, 'labels', 'red')).posts as Doc[]).map((p) => p.$id)).toEqual(['post1', 'post2']);
      expect(await failure(db.deleteDocument(DB, 'posts', 'post1'))).toMatchObject({ code: 403, type: 'document_delete_restricted' });
      await db.updateDocument(DB, 'posts', 'post1', { labels: [] });
      await db.deleteDocument(DB, 'posts', 'post1');
      expect(((await db.getDocument(DB, 'labels', 'red')).posts as Doc[]).map((p) => p.$id)).toEqual(['post2']);
    });
  });

  describe('legacy /v1/database routes (database "default")', () => {
    it('serves the same documents under the pre-1.0 paths, with events for database "default"', async () => {
      await db.create('default', 'Default');
      await db.createCollection('default', 'legacy', 'Legacy', ['read("any")'], false);
      await db.createStringAttribute('default', 'legacy', 'name', 16, false);
      await waitFor(async () => (await db.getAttribute('default', 'legacy', 'name')).status === 'available', 'legacy attribute');
      events.length = 0;
      const created = await request('POST', '/database/collections/legacy/documents', { documentId: 'old', data: { name: 'Old' } });
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ $id: 'old', $databaseId: 'default', $collectionId: 'legacy', name: 'Old' });
      expect(((await (await request('GET', '/database/collections/legacy/documents/old')).json()) as Doc).name).toBe('Old');
      expect(((await (await request('GET', '/database/collections/legacy/documents')).json()) as DocList).total).toBe(1);
      expect((await db.getDocument('default', 'legacy', 'old')).name).toBe('Old');
      await waitFor(async () => events.includes('databases.default.collections.legacy.documents.old.create'), 'legacy create event', 3000);
      expect((await request('DELETE', '/database/collections/legacy/documents/old')).status).toBe(204);
    });
  });

  describe('events and audits', () => {
    it('publishes the 1.3 document events and enqueues audits for create, update and delete', async () => {
      events.length = 0;
      await db.createDocument(DB, 'books', 'evt', { title: 'E' });
      await db.updateDocument(DB, 'books', 'evt', { pages: 3 });
      await db.deleteDocument(DB, 'books', 'evt');
      const base = `databases.${DB}.collections.books.documents.evt`;
      await waitFor(async () => events.includes(`${base}.delete`), 'delete event', 3000);
      expect(events).toEqual(expect.arrayContaining([`${base}.create`, `${base}.update`, `${base}.delete`, `databases.${DB}.collections.books.documents.*.create`, 'databases.*.collections.*.documents.*']));
      const resource = `database/${DB}/collection/books/document/evt`;
      expect(await auditJobs('document.create', resource)).toHaveLength(1);
      expect(await auditJobs('document.update', resource)).toHaveLength(1);
      expect(await auditJobs('document.delete', resource)).toHaveLength(1);
    });

    it('lists a document\'s logs from the audit trail (key or console only)', async () => {
      await repo(AuditRepository).insert(projectId, { id: 'audit-full-1', event: 'document.update', resource: `database/${DB}/collection/books/document/full`, mode: 'admin', ip: '127.0.0.1', userAgent: 'jest', data: {} } as never);
      const logs = await request('GET', `/databases/${DB}/collections/books/documents/full/logs`);
      expect(logs.status).toBe(200);
      expect(await logs.json()).toMatchObject({ total: 1, logs: [{ event: 'document.update' }] });
      expect((await request('GET', `/databases/${DB}/collections/books/documents/missing/logs`)).status).toBe(404);
      const asUser = await fetch(`${api.endpoint}/databases/${DB}/collections/books/documents/full/logs`, { headers: { 'x-appwrite-project': projectId, 'x-fallback-cookies': JSON.stringify({ [`a_session_${projectId}`]: alice.session }) } });
      expect(asUser.status).toBe(401);
    });
  });

  it('keeps the schema cache warm: no metadata queries per request once cached', async () => {
    const schemas = api.app.get(CollectionSchemaService, { strict: false });
    const spy = jest.spyOn(schemas as unknown as { load: () => Promise<unknown> }, 'load');
    await db.getDocument(DB, 'books', 'full');
    await db.listDocuments(DB, 'books', [server.Query.limit(1)]);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});
