import { Process, Processor } from '@nestjs/bull';
import { Inject, INestApplicationContext, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Job } from 'bull';
import * as sdk from 'node-appwrite';
import { ConfigModule } from '@appconda/config';
import { DatabaseJobType, DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { AttributeRepository, AuditRepository, CollectionTableRepository, CONSOLE_PROJECT_ID, DatabaseModule, IndexRepository, ProjectRepository, schemaRowUid } from '@appconda/database';
import { CollectionSchemaService, DatabasesApiModule, DatabasesJobHandler, DatabasesModule } from '@appconda/databases';
import { JobHandler, jobHandlerToken, JobQueue, jobQueueToken, QueueModule, QueueProcessor } from '@appconda/queue';
import { createTestApi, TestApi } from '@appconda/testing';
import { EventBus, RedisModule } from '@appconda/transport';

import { WorkerDatabasesModule } from './worker-databases.module';

/** worker-deletes as it is composed (job-type dispatch), with DatabasesModule's @HandlesJob handler. */
@Processor(QueueName.Deletes)
class TestDeletesProcessor extends QueueProcessor<QueueName.Deletes> {
  constructor(@Inject(jobHandlerToken(QueueName.Deletes)) handler: JobHandler<QueueName.Deletes>) {
    super(QueueName.Deletes, handler);
  }

  @Process()
  process(job: Job<DeleteJob>): Promise<unknown> {
    return this.run(job);
  }
}

@Module({ imports: [DatabaseModule.forRoot(), RedisModule, QueueModule.forWorker(QueueName.Deletes, { dispatchByType: true }), DatabasesModule], providers: [TestDeletesProcessor] })
class TestDeletesWorkerModule {}

type Attr = Record<string, unknown> & { key: string; status: string };

describe('Databases schema API + worker-databases (node-appwrite 9, real Bull jobs, real tables)', () => {
  let api: TestApi;
  let workers: INestApplicationContext;
  let projectId: string;
  let key: string;
  let projectSeq: string;
  let databases: sdk.Databases;
  let published: jest.SpyInstance;
  let workerEvents: jest.SpyInstance;

  const clientFor = (project: string, secret?: string) => {
    const client = new sdk.Client().setEndpoint(api.endpoint).setProject(project);
    if (secret) client.setKey(secret);
    return new sdk.Databases(client);
  };
  const failure = async (promise: Promise<unknown>) => promise.then(() => ({ code: 0, type: 'resolved' }), (error: { code: number; type: string; message: string }) => error);
  const query = async (sql: string, params: unknown[] = []) => ([] as Record<string, unknown>[]).concat(await api.db.pool.query(sql, params)).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
  const columns = async (table: string) => Object.fromEntries((await api.app.get(CollectionTableRepository).columns(table)).map((c) => [c.name, c.type]));
  const tableOf = (databaseId: string, collectionId: string) => api.app.get(CollectionSchemaService).get(projectId, databaseId, collectionId).then((s) => s.table);
  const tables = async (prefix: string) => api.app.get(CollectionTableRepository).tablesWithPrefix(prefix);

  async function waitFor<T>(probe: () => Promise<T | undefined | false>, what: string, ms = 15_000): Promise<T> {
    const until = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const settled = (db: string, col: string, attrKey: string) =>
    waitFor(async () => {
      const attribute = (await databases.getAttribute(db, col, attrKey)) as unknown as Attr;
      return attribute.status === 'processing' ? undefined : attribute;
    }, `attribute ${attrKey}`);
  const indexSettled = (db: string, col: string, indexKey: string) =>
    waitFor(async () => {
      const index = await databases.getIndex(db, col, indexKey);
      return index.status === 'processing' ? undefined : (index as unknown as Record<string, unknown>);
    }, `index ${indexKey}`);

  beforeAll(async () => {
    api = await createTestApi([DatabasesApiModule]);
    const seeded = await api.seedProject(['databases.read', 'databases.write', 'collections.read', 'collections.write']);
    projectId = seeded.projectId;
    key = seeded.key;
    projectSeq = seeded.project.internalId;
    databases = clientFor(projectId, key);
    published = jest.spyOn(api.app.get(EventBus), 'publish');
    @Module({ imports: [ConfigModule, WorkerDatabasesModule, TestDeletesWorkerModule] })
    class Workers {}
    workers = await Test.createTestingModule({ imports: [Workers] }).compile();
    await workers.init();
    workerEvents = jest.spyOn(workers.get(EventBus), 'publish');
  }, 60_000);

  afterAll(async () => {
    await workers?.close();
    await api?.close();
  });

  it('creates, reads, lists (queries, search), renames and refuses duplicate databases', async () => {
    const created = await databases.create('main', 'Main database');
    expect(Object.keys(created).sort()).toEqual(['$createdAt', '$id', '$updatedAt', 'name']);
    expect(created.$createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    const other = await databases.create(sdk.ID.unique(), 'Archive');
    expect(other.$id).toMatch(/^[0-9a-f]{20}$/);
    expect(await failure(databases.create('main', 'Again'))).toMatchObject({ code: 409, type: 'database_already_exists' });
    expect((await databases.list()).total).toBe(2);
    expect((await databases.list([sdk.Query.equal('name', 'Archive')])).databases.map((d) => d.$id)).toEqual([other.$id]);
    expect((await databases.list([], 'Archive')).databases.map((d) => d.$id)).toEqual([other.$id]);
    expect((await databases.list([sdk.Query.limit(1), sdk.Query.cursorAfter('main')])).databases.map((d) => d.$id)).toEqual([other.$id]);
    expect(await failure(databases.list([sdk.Query.equal('secret', 'x')]))).toMatchObject({ code: 400, type: 'general_argument_invalid' });
    expect((await databases.update('main', 'Renamed')).name).toBe('Renamed');
    expect((await databases.get('main')).name).toBe('Renamed');
    expect(await failure(databases.get('missing'))).toMatchObject({ code: 404, type: 'database_not_found' });
  });

  it('creates collections as real tables with a perms side table; updates them with 1.3 defaults', async () => {
    const collection = await databases.createCollection('main', 'books', 'Books', ['read("any")', 'write("users")'], true);
    expect(collection).toMatchObject({ $id: 'books', databaseId: 'main', name: 'Books', enabled: true, documentSecurity: true, attributes: [], indexes: [] });
    expect(collection.$permissions).toEqual(['read("any")', 'create("users")', 'update("users")', 'delete("users")']);
    const table = await tableOf('main', 'books');
    expect(table).toMatch(new RegExp(`^_${projectSeq}_\\d+_\\d+$`));
    expect(Object.keys(await columns(table))).toEqual(['_id', '_uid', '_createdAt', '_updatedAt', '_permissions']);
    expect(Object.keys(await columns(`${table}_perms`))).toEqual(['_id', '_type', '_permission', '_document']);

    expect(await failure(databases.createCollection('main', 'books', 'Dup'))).toMatchObject({ code: 409, type: 'collection_already_exists' });
    expect(await failure(databases.createCollection('missing', 'x', 'X'))).toMatchObject({ code: 404, type: 'database_not_found' });
    expect(await failure(databases.createCollection('main', 'bad', 'Bad', ['fly("any")']))).toMatchObject({ code: 400, type: 'general_argument_invalid' });

    const updated = await databases.updateCollection('main', 'books', 'Library');
    expect(updated).toMatchObject({ name: 'Library', documentSecurity: false, enabled: true });
    expect(updated.$permissions).toEqual(collection.$permissions);
    expect((await databases.updateCollection('main', 'books', 'Library', ['read("users")'], true, false)).$permissions).toEqual(['read("users")']);
    await databases.createCollection('main', 'authors', 'Authors');
    expect((await databases.listCollections('main', [sdk.Query.equal('enabled', false)])).collections.map((c) => c.$id)).toEqual(['books']);
    expect((await databases.listCollections('main', [], 'Authors')).collections.map((c) => c.$id)).toEqual(['authors']);
    expect((await databases.listCollections('main')).total).toBe(2);
    expect(await failure(databases.getCollection('main', 'nope'))).toMatchObject({ code: 404, type: 'collection_not_found' });
  });

  it('builds every attribute type as a typed column through the worker', async () => {
    const [db, col] = ['main', 'books'];
    const created = [
      await databases.createStringAttribute(db, col, 'title', 128, true),
      await databases.createStringAttribute(db, col, 'body', 20000, false, 'empty'),
      await databases.createStringAttribute(db, col, 'tags', 32, false, undefined, true),
      await databases.createIntegerAttribute(db, col, 'pages', false, 0, 5000, 10),
      await databases.createIntegerAttribute(db, col, 'views', false),
      await databases.createFloatAttribute(db, col, 'rating', false, 0, 5, 2.5),
      await databases.createBooleanAttribute(db, col, 'published', false, false),
      await databases.createEmailAttribute(db, col, 'contact', false, 'a@example.com'),
      await databases.createEnumAttribute(db, col, 'kind', ['novel', 'essay', 'poetry'], false, 'novel'),
      await databases.createIpAttribute(db, col, 'ip', false, '10.0.0.1'),
      await databases.createUrlAttribute(db, col, 'site', false, 'https://example.com'),
      await databases.createDatetimeAttribute(db, col, 'released', false, '2020-10-15T06:38:00.000+00:00'),
    ] as unknown as Attr[];
    expect(created.map((a) => a.status)).toEqual(Array(created.length).fill('processing'));
    expect(created[0]).toEqual({ key: 'title', type: 'string', status: 'processing', required: true, array: false, size: 128, default: null });
    expect(created[3]).toEqual({ key: 'pages', type: 'integer', status: 'processing', required: false, array: false, min: 0, max: 5000, default: 10 });
    expect(created[8]).toEqual({ key: 'kind', type: 'string', status: 'processing', required: false, array: false, elements: ['novel', 'essay', 'poetry'], format: 'enum', default: 'novel' });
    expect(created[11]).toMatchObject({ type: 'datetime', format: 'datetime' });
    for (const attribute of created) expect((await settled(db, col, attribute.key)).status).toBe('available');

    expect(await columns(await tableOf(db, col))).toMatchObject({
      title: 'varchar(128)',
      body: 'text',
      tags: 'longtext',
      pages: 'int(11)',
      views: 'bigint(20)',
      rating: 'double',
      published: 'tinyint(1)',
      contact: 'varchar(254)',
      kind: 'varchar(6)',
      ip: 'varchar(39)',
      site: 'varchar(2000)',
      released: 'datetime(3)',
    });
    const list = await databases.listAttributes(db, col);
    expect(list.total).toBe(12);
    expect((await databases.getCollection(db, col)).attributes).toHaveLength(12);
    const listed = Object.fromEntries((await databases.listCollections(db)).collections.map((c) => [c.$id, c.attributes.length]));
    expect(listed).toEqual({ books: 12, authors: 0 });
    const schema = await api.app.get(CollectionSchemaService).get(projectId, db, col);
    expect(schema.attributes.map((a) => a.key)).toEqual(created.map((a) => a.key));
  });

  it('refuses bad attributes with the 1.3 errors', async () => {
    const [db, col] = ['main', 'books'];
    expect(await failure(databases.createStringAttribute(db, col, 'title', 10, false))).toMatchObject({ code: 409, type: 'attribute_already_exists' });
    expect(await failure(databases.createStringAttribute(db, col, 'short', 3, false, 'toolong'))).toMatchObject({ code: 400, type: 'attribute_value_invalid' });
    expect(await failure(databases.createStringAttribute(db, col, 'req', 3, true, 'x'))).toMatchObject({ code: 400, type: 'attribute_default_unsupported' });
    expect(await failure(databases.createIntegerAttribute(db, col, 'range', false, 10, 1))).toMatchObject({ code: 400, type: 'attribute_value_invalid' });
    expect(await failure(databases.createIntegerAttribute(db, col, 'range', false, 1, 10, 11))).toMatchObject({ code: 400, type: 'attribute_value_invalid' });
    expect(await failure(databases.createFloatAttribute(db, col, 'frange', false, 1.5, 0.5))).toMatchObject({ code: 400, type: 'attribute_value_invalid' });
    expect(await failure(databases.createEnumAttribute(db, col, 'e', ['a', 'b'], false, 'c'))).toMatchObject({ code: 400, type: 'attribute_value_invalid' });
    expect(await failure(databases.createEmailAttribute(db, col, 'mail', false, 'not-an-email'))).toMatchObject({ code: 400, type: 'general_argument_invalid' });
    expect(await failure(databases.createIpAttribute(db, col, 'ip2', false, '999.1.1.1'))).toMatchObject({ code: 400, type: 'general_argument_invalid' });
    expect(await failure(databases.createDatetimeAttribute(db, col, 'when', false, 'yesterday'))).toMatchObject({ code: 400, type: 'general_argument_invalid' });
    expect(await failure(databases.createStringAttribute(db, col, '_bad', 3, false))).toMatchObject({ code: 400, type: 'general_argument_invalid' });
    expect(await failure(databases.createBooleanAttribute(db, 'nope', 'flag', false))).toMatchObject({ code: 404, type: 'collection_not_found' });
  });

  it('enforces the row width and column count limits with attribute_limit_exceeded', async () => {
    await databases.createCollection('main', 'wide', 'Wide');
    for (const k of ['s1', 's2', 's3']) await databases.createStringAttribute('main', 'wide', k, 4000, false);
    const fourth = await failure(databases.createStringAttribute('main', 'wide', 's4', 4000, false));
    expect(fourth).toMatchObject({ code: 0 });
    expect(await failure(databases.createStringAttribute('main', 'wide', 's5', 4000, false))).toMatchObject({ code: 400, type: 'attribute_limit_exceeded' });
    // A long string becomes TEXT, which only costs its in-row pointer.
    expect(await failure(databases.createStringAttribute('main', 'wide', 'long', 100000, false))).toMatchObject({ code: 0 });
    for (const k of ['s1', 's2', 's3', 's4', 'long']) expect((await settled('main', 'wide', k)).status).toBe('available');

    const many = await databases.createCollection('main', 'many', 'Many');
    const { internalId: colSeq, databaseInternalId: dbSeq } = (await api.app.get(CollectionSchemaService).get(projectId, 'main', many.$id)).collection;
    // 1,012 available booleans (one multi-row insert; their columns do not matter for the check).
    const now = new Date();
    const rows = Array.from({ length: 1012 }, (_, i) => [schemaRowUid(dbSeq, colSeq, `b${i}`), projectId, now, now, dbSeq, 'main', colSeq, 'many', `b${i}`, 'boolean', 'available']);
    await query(
      `INSERT INTO attributes (_uid, _project, _createdAt, _updatedAt, databaseInternalId, databaseId, collectionInternalId, collectionId, \`key\`, type, status) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      rows.flat(),
    );
    expect((await databases.listAttributes('main', 'many')).total).toBe(1012);
    expect(await failure(databases.createBooleanAttribute('main', 'many', 'one_more', false))).toMatchObject({ code: 400, type: 'attribute_limit_exceeded' });
  }, 60_000);

  it('builds key, unique and fulltext indexes; a unique index over duplicates fails with the reason', async () => {
    const [db, col] = ['main', 'books'];
    const keyIndex = await databases.createIndex(db, col, 'byPages', 'key', ['pages', 'title'], ['DESC', 'ASC']);
    expect(keyIndex).toEqual({ key: 'byPages', type: 'key', status: 'processing', attributes: ['pages', 'title'], orders: ['DESC', 'ASC'] });
    await databases.createIndex(db, col, 'uniqTitle', 'unique', ['title']);
    await databases.createIndex(db, col, 'ftBody', 'fulltext', ['body']);
    await databases.createIndex(db, col, 'byCreated', 'key', ['$createdAt']);
    for (const k of ['byPages', 'uniqTitle', 'ftBody', 'byCreated']) expect((await indexSettled(db, col, k)).status).toBe('available');
    const table = await tableOf(db, col);
    const stats = Object.fromEntries((await api.app.get(CollectionTableRepository).indexes(table)).map((i) => [i.name, i]));
    expect(stats.byPages).toMatchObject({ unique: false, columns: ['pages', 'title'] });
    expect(stats.uniqTitle).toMatchObject({ unique: true, columns: ['title'] });
    expect(stats.ftBody).toMatchObject({ type: 'FULLTEXT', columns: ['body'] });
    expect(stats.byCreated).toMatchObject({ columns: ['_createdAt'] });

    const now = new Date();
    for (const uid of ['d1', 'd2']) await query(`INSERT INTO \`${table}\` (_uid, _createdAt, _updatedAt, _permissions, title, kind) VALUES (?, ?, ?, '[]', ?, ?)`, [uid, now, now, `title ${uid}`, 'same']);
    await databases.createIndex(db, col, 'uniqKind', 'unique', ['kind']);
    const failed = await indexSettled(db, col, 'uniqKind');
    expect(failed.status).toBe('failed');
    expect(String(failed.error)).toMatch(/Duplicate entry/);

    expect(await failure(databases.createIndex(db, col, 'byPages', 'key', ['title']))).toMatchObject({ code: 409, type: 'index_already_exists' });
    expect(await failure(databases.createIndex(db, col, 'ghost', 'key', ['nope']))).toMatchObject({ code: 400, type: 'attribute_unknown' });
    expect((await databases.listIndexes(db, col)).total).toBe(5);
    await databases.deleteIndex(db, col, 'byCreated');
    await waitFor(async () => (await failure(databases.getIndex(db, col, 'byCreated'))).code === 404, 'index deleted');
    expect((await api.app.get(CollectionTableRepository).indexes(table)).map((i) => i.name)).not.toContain('byCreated');
  });

  it('updates attributes (1.3.x PATCH) and deletes one: column gone, indexes follow', async () => {
    const [db, col] = ['main', 'books'];
    expect(await databases.updateStringAttribute(db, col, 'body', false, 'new default')).toMatchObject({ key: 'body', default: 'new default', status: 'available' });
    expect(await databases.updateIntegerAttribute(db, col, 'pages', false, 1, 10_000_000_000, 5)).toMatchObject({ min: 1, max: 10_000_000_000, default: 5 });
    expect((await columns(await tableOf(db, col))).pages).toBe('bigint(20)');
    expect(await failure(databases.updateIntegerAttribute(db, col, 'pages', false, 10, 1, null as unknown as number))).toMatchObject({ code: 400, type: 'attribute_value_invalid' });
    expect(await databases.updateEnumAttribute(db, col, 'kind', ['novel', 'biography'], false, null as unknown as string)).toMatchObject({ elements: ['novel', 'biography'] });
    expect((await columns(await tableOf(db, col))).kind).toBe('varchar(9)');
    expect(await failure(databases.updateEmailAttribute(db, col, 'title', false, null as unknown as string))).toMatchObject({ code: 400, type: 'attribute_type_invalid' });
    expect(await failure(databases.updateBooleanAttribute(db, col, 'missing', false, false))).toMatchObject({ code: 404, type: 'attribute_not_found' });

    await databases.deleteAttribute(db, col, 'pages');
    await waitFor(async () => (await failure(databases.getAttribute(db, col, 'pages'))).code === 404, 'attribute deleted');
    expect(Object.keys(await columns(await tableOf(db, col)))).not.toContain('pages');
    expect((await databases.getIndex(db, col, 'byPages')).attributes).toEqual(['title']);
  });

  it('completes retried jobs that find their work already done (column or index present, or gone)', async () => {
    const handler = workers.get(DatabasesJobHandler);
    const schema = await api.app.get(CollectionSchemaService).get(projectId, 'main', 'books');
    const attributes = workers.get(AttributeRepository);
    const published = (await attributes.findByKey(projectId, schema.collection.internalId, 'published'))!;
    const job = (type: DatabaseJobType, row: { uid: string; internalId: string; key: string }) => ({ type, projectId, databaseId: 'main', collectionId: 'books', document: { $id: row.uid, $internalId: row.internalId, key: row.key } });

    // A createAttribute retried after its ALTER ran but before the status was saved.
    await attributes.setStatus(projectId, published.internalId, 'processing');
    await expect(handler.handle(job(DatabaseJobType.CreateAttribute, published))).resolves.toBe('available');
    await expect(handler.handle(job(DatabaseJobType.CreateAttribute, published))).resolves.toBe('skipped');

    const indexes = workers.get(IndexRepository);
    const uniqTitle = (await indexes.findByKey(projectId, schema.collection.internalId, 'uniqTitle'))!;
    await indexes.setStatus(projectId, uniqTitle.internalId, 'processing');
    await expect(handler.handle(job(DatabaseJobType.CreateIndex, uniqTitle))).resolves.toBe('available');

    // A deleteAttribute retried after the column was dropped.
    await workers.get(CollectionTableRepository).dropColumn(schema.table, 'published');
    await expect(handler.handle(job(DatabaseJobType.DeleteAttribute, published))).resolves.toBe('deleted');
    await expect(handler.handle(job(DatabaseJobType.DeleteAttribute, published))).resolves.toBe('skipped');
    expect(await attributes.findByKey(projectId, schema.collection.internalId, 'published')).toBeNull();
  });

  it('builds relationships: columns on the right side, junction tables, twoWay counterparts', async () => {
    const db = 'main';
    await databases.createCollection(db, 'people', 'People');
    await databases.createCollection(db, 'pets', 'Pets');
    const one = (await databases.createRelationshipAttribute(db, 'people', 'pets', 'oneToOne', true, 'pet', 'owner', 'cascade')) as unknown as Attr;
    expect(one).toEqual({ key: 'pet', type: 'relationship', status: 'processing', required: false, array: false, relatedCollection: 'pets', relationType: 'oneToOne', twoWay: true, twoWayKey: 'owner', onDelete: 'cascade', side: 'parent' });
    await databases.createRelationshipAttribute(db, 'people', 'pets', 'oneToMany', false, 'litter', 'mother');
    await databases.createRelationshipAttribute(db, 'pets', 'people', 'manyToOne', false, 'vet');
    await databases.createRelationshipAttribute(db, 'people', 'pets', 'manyToMany', true, 'friends', 'fans');
    for (const k of ['pet', 'litter', 'friends']) expect((await settled(db, 'people', k)).status).toBe('available');
    expect((await settled(db, 'pets', 'vet')).status).toBe('available');
    expect(await databases.getAttribute(db, 'pets', 'owner')).toMatchObject({ side: 'child', relatedCollection: 'people', twoWayKey: 'pet', status: 'available' });
    expect(await failure(databases.createRelationshipAttribute(db, 'people', 'pets', 'oneToOne', true, 'pet2', 'owner'))).toMatchObject({ code: 409, type: 'attribute_already_exists' });
    // The one-way oneToMany keeps `mother` on pets without an attribute row there: the name is still taken.
    expect(await failure(databases.createStringAttribute(db, 'pets', 'mother', 10, false))).toMatchObject({ code: 409, type: 'attribute_already_exists' });

    const [people, pets] = [await tableOf(db, 'people'), await tableOf(db, 'pets')];
    expect(await columns(people)).toMatchObject({ pet: 'varchar(255)' });
    expect(await columns(pets)).toMatchObject({ owner: 'varchar(255)', mother: 'varchar(255)', vet: 'varchar(255)' });
    expect(Object.keys(await columns(people))).not.toEqual(expect.arrayContaining(['litter']));
    const petsSeq = pets.split('_').pop();
    expect(await tables(`${people}_`)).toEqual(expect.arrayContaining([`${people}_perms`, `${people}_${petsSeq}`]));

    expect(await databases.updateRelationshipAttribute(db, 'people', 'pet', 'setNull')).toMatchObject({ onDelete: 'setNull' });
    expect((await databases.getAttribute(db, 'pets', 'owner')) as unknown as Attr).toMatchObject({ onDelete: 'setNull' });

    await databases.deleteAttribute(db, 'people', 'pet');
    await waitFor(async () => (await failure(databases.getAttribute(db, 'pets', 'owner'))).code === 404, 'counterpart deleted');
    expect(Object.keys(await columns(people))).not.toContain('pet');
    expect(Object.keys(await columns(pets))).not.toContain('owner');
  });

  it('deletes a collection at once; the deletes worker drops its tables, junctions and metadata', async () => {
    const people = await tableOf('main', 'people');
    const pets = await tableOf('main', 'pets');
    const petsSeq = pets.split('_').pop();
    await databases.deleteCollection('main', 'pets');
    expect(await failure(databases.getCollection('main', 'pets'))).toMatchObject({ code: 404, type: 'collection_not_found' });
    await waitFor(async () => (await tables(pets)).length === 0 && !(await tables(`${people}_`)).includes(`${people}_${petsSeq}`), 'pets tables dropped');
    // The twoWay manyToMany counterpart on people went with it.
    await waitFor(async () => (await failure(databases.getAttribute('main', 'people', 'friends'))).code === 404, 'friends removed');
    expect((await query('SELECT COUNT(*) AS n FROM attributes WHERE collectionId = ? AND _project = ?', ['pets', projectId]))[0].n).toBe(0);
  });

  it('deletes a database and resumes after a crash half-way without orphans', async () => {
    const db = await databases.create('doomed', 'Doomed');
    for (const id of ['a', 'b', 'c']) {
      await databases.createCollection(db.$id, id, id.toUpperCase());
      await databases.createBooleanAttribute(db.$id, id, 'flag', false);
    }
    for (const id of ['a', 'b', 'c']) await settled(db.$id, id, 'flag');
    const prefix = (await tableOf(db.$id, 'a')).replace(/\d+$/, '');
    expect(await tables(prefix)).toHaveLength(6);

    // The first attempt dies after dropping one table; Bull retries the job and the retry finishes.
    const original = CollectionTableRepository.prototype.dropTable;
    let drops = 0;
    const spy = jest.spyOn(CollectionTableRepository.prototype, 'dropTable').mockImplementation(async function (this: CollectionTableRepository, table: string) {
      drops += 1;
      if (drops === 2) throw new Error('simulated crash');
      return original.call(this, table);
    });
    try {
      await databases.delete(db.$id);
      expect(await failure(databases.get(db.$id))).toMatchObject({ code: 404, type: 'database_not_found' });
      await waitFor(async () => (await tables(prefix)).length === 0, 'database tables dropped', 20_000);
    } finally {
      spy.mockRestore();
    }
    expect(drops).toBeGreaterThan(2);
    await waitFor(async () => (await query('SELECT COUNT(*) AS n FROM collections WHERE databaseId = ? AND _project = ?', ['doomed', projectId]))[0].n === 0, 'collection rows gone');
    expect((await query('SELECT COUNT(*) AS n FROM attributes WHERE databaseId = ? AND _project = ?', ['doomed', projectId]))[0].n).toBe(0);
  }, 30_000);

  it('tears down a whole project on its deletes job (after the project row is gone): its tables and metadata, nothing of others', async () => {
    const other = await api.seedProject(['databases.write', 'collections.write']);
    const client = clientFor(other.projectId, other.key);
    await client.create('db', 'DB');
    await client.createCollection('db', 'c1', 'C1');
    await client.createRelationshipAttribute('db', 'c1', 'c1', 'manyToMany', true, 'links', 'linkedBy');
    const prefix = `_${other.project.internalId}_`;
    await waitFor(async () => (await tables(prefix)).length === 3, 'project tables');
    const before = (await tables(`_${projectSeq}_`)).length;
    await api.app.get(ProjectRepository).delete(CONSOLE_PROJECT_ID, other.projectId);
    const deletes = workers.get<JobQueue<QueueName.Deletes>>(jobQueueToken(QueueName.Deletes), { strict: false });
    await deletes.add({ type: DeleteJobType.Projects, projectId: other.projectId, document: { $id: other.projectId, $internalId: other.project.internalId, collection: 'projects' } });
    await waitFor(async () => (await tables(prefix)).length === 0, 'project tables dropped');
    await waitFor(async () => (await query('SELECT COUNT(*) AS n FROM collections WHERE _project = ?', [other.projectId]))[0].n === 0, 'project metadata gone');
    // The cascade removes collections, then attributes and databases: wait for the whole of it, not its first step.
    await waitFor(async () => (await query('SELECT COUNT(*) AS n FROM `databases` WHERE _project = ?', [other.projectId]))[0].n === 0, 'project databases gone');
    expect((await query('SELECT COUNT(*) AS n FROM attributes WHERE _project = ?', [other.projectId]))[0].n).toBe(0);
    expect((await tables(`_${projectSeq}_`)).length).toBe(before);
  });

  it('answers usage with honest zero series', async () => {
    const get = async (path: string) => {
      const response = await fetch(`${api.endpoint}${path}`, { headers: { 'x-appwrite-project': projectId, 'x-appwrite-key': key } });
      expect(response.status).toBe(200);
      return (await response.json()) as Record<string, { value: number; date: string }[]>;
    };
    const all = await get('/databases/usage?range=7d');
    expect(all.range).toBe('7d');
    expect(all.documentsCount).toHaveLength(7);
    expect(all.databasesCount.every((m) => m.value === 0)).toBe(true);
    expect(all.databasesCount[6].date < new Date().toISOString()).toBe(true);
    expect((await fetch(`${api.endpoint}/databases/usage?range=1y`, { headers: { 'x-appwrite-project': projectId, 'x-appwrite-key': key } })).status).toBe(400);
    const one = await get('/databases/main/collections/books/usage');
    expect(one.range).toBe('30d');
    expect(Object.keys(one).sort()).toEqual(['documentsCount', 'documentsCreate', 'documentsDelete', 'documentsRead', 'documentsUpdate', 'range']);
  });

  it('emits the 1.3 events (attribute and index ids as 1.3 builds them), queues audits and lists logs', async () => {
    const events = new Set(published.mock.calls.flatMap(([event]) => (event as { events: string[] }).events));
    const schema = await api.app.get(CollectionSchemaService).get(projectId, 'main', 'books');
    const prefix = `${schema.database.internalId}_${schema.collection.internalId}`;
    for (const name of [
      'databases.main.create',
      'databases.main.update',
      'databases.main.collections.books.create',
      'databases.main.collections.books.update',
      `databases.main.collections.books.attributes.${prefix}_title.create`,
      `databases.main.collections.books.attributes.${prefix}_body.update`,
      `databases.main.collections.books.attributes.${prefix}_pages.delete`,
      `databases.main.collections.books.indexes.${prefix}_byPages.create`,
      `databases.main.collections.books.indexes.${prefix}_byCreated.delete`,
      'databases.main.collections.pets.delete',
      'databases.doomed.delete',
      'databases.*.collections.*.attributes.*.create',
    ]) {
      expect([name, events.has(name)]).toEqual([name, true]);
    }

    // Deletes answer 204, but their events carry the deleted resource, as in 1.3.
    const doomedDelete = published.mock.calls.map(([event]) => event as { events: string[]; payload: Record<string, unknown> }).find((event) => event.events.includes('databases.doomed.delete'));
    expect(doomedDelete?.payload).toMatchObject({ $id: 'doomed', name: 'Doomed' });
    const petsDelete = published.mock.calls.map(([event]) => event as { events: string[]; payload: Record<string, unknown> }).find((event) => event.events.includes('databases.main.collections.pets.delete'));
    expect(petsDelete?.payload).toMatchObject({ $id: 'pets', databaseId: 'main' });

    // The worker tells the console about status changes, with the collection as payload (1.3's realtime update).
    const consoleEvents = workerEvents.mock.calls.map(([event]) => event as { projectId: string; events: string[]; payload: { $id: string } });
    const titleReady = consoleEvents.find((event) => event.events.includes(`databases.main.collections.books.attributes.${prefix}_title.update`));
    expect(titleReady).toMatchObject({ projectId: 'console', payload: { $id: 'books' } });
    expect(consoleEvents.some((event) => event.events.includes(`databases.main.collections.books.indexes.${prefix}_uniqKind.update`))).toBe(true);

    const jobs = await waitFor(async () => {
      const found = (await api.queuedAudits()).filter((entry) => entry.event === 'attribute.create' && entry.resource === 'database/main/collection/books');
      return found.length ? found : undefined;
    }, 'attribute audit jobs');
    expect(jobs.length).toBeGreaterThanOrEqual(12);

    const repository = api.app.get(AuditRepository);
    await repository.insert(projectId, { id: 'audit-1', event: 'database.update', resource: 'database/main', mode: 'admin', time: new Date() });
    await repository.insert(projectId, { id: 'audit-2', event: 'collection.update', resource: 'database/main/collection/books', mode: 'admin', time: new Date() });
    // Console-only routes (not in the server SDK): called over HTTP with the key.
    const rest = async (path: string) => (await (await fetch(`${api.endpoint}${path}`, { headers: { 'x-appwrite-project': projectId, 'x-appwrite-key': key } })).json()) as { total: number; logs: Record<string, unknown>[] };
    const logs = await rest('/databases/main/logs');
    expect(logs.total).toBe(1);
    expect(logs.logs[0]).toMatchObject({ event: 'database.update', mode: 'admin' });
    const collectionLogs = await rest(`/databases/main/collections/books/logs?queries[]=${encodeURIComponent('limit(1)')}`);
    expect(collectionLogs.logs.map((l) => l.event)).toEqual(['collection.update']);
  });

  it('denies callers without a key, with the wrong scope, or with another project key', async () => {
    expect(await failure(clientFor(projectId).list())).toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
    const readOnly = await api.seedProject(['databases.read']);
    const reader = clientFor(readOnly.projectId, readOnly.key);
    expect((await reader.list()).total).toBe(0);
    expect(await failure(reader.create('x', 'X'))).toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
    expect(await failure(reader.listCollections('x'))).toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
    const otherKey = clientFor(projectId, readOnly.key);
    expect((await failure(otherKey.get('main'))).code).toBe(401);
    // Another project's data is invisible even with a valid key of that project.
    expect(await failure(clientFor(readOnly.projectId, readOnly.key).get('main'))).toMatchObject({ code: 404, type: 'database_not_found' });
  });
});
