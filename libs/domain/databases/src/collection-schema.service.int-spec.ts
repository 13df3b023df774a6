import { AppException } from '@appconda/core';
import { AttributeRepository, CollectionRepository, CollectionTableRepository, DatabaseRepository, IndexRepository, ProjectRepository, schemaRowUid } from '@appconda/database';
import { REDIS, REDIS_PREFIX } from '@appconda/transport';
import type Redis from 'ioredis';
import { createTestApi, TestApi } from '@appconda/testing';

import { CollectionSchemaService } from './collection-schema.service';
import { DatabasesModule } from './databases.module';

describe('CollectionSchemaService (metadata layer on MariaDB + Redis)', () => {
  let api: TestApi;
  let sut: CollectionSchemaService;
  let projectId: string;
  let projectSeq: string;

  beforeAll(async () => {
    api = await createTestApi([DatabasesModule]);
    sut = api.app.get(CollectionSchemaService);
    const seeded = await api.seedProject([]);
    projectId = seeded.projectId;
    projectSeq = seeded.project.internalId;
  });

  afterAll(async () => {
    await api?.close();
  });

  it('resolves the real table, keeps only available attributes, and sees changes after invalidate()', async () => {
    const database = await api.app.get(DatabaseRepository).create(projectId, { uid: 'db1', name: 'Main', enabled: true, search: 'db1 Main' });
    const collections = api.app.get(CollectionRepository);
    const collection = await collections.create(projectId, { uid: 'books', databaseInternalId: database.internalId, databaseId: 'db1', name: 'Books', enabled: true, documentSecurity: false, search: null });
    // The same collection id may exist in another database of the project.
    const other = await api.app.get(DatabaseRepository).create(projectId, { uid: 'db2', name: 'Other', enabled: true, search: null });
    await collections.create(projectId, { uid: 'books', databaseInternalId: other.internalId, databaseId: 'db2', name: 'Other books', enabled: true, documentSecurity: true, search: null });

    const attributes = api.app.get(AttributeRepository);
    const base = { databaseInternalId: database.internalId, databaseId: 'db1', collectionInternalId: collection.internalId, collectionId: 'books', required: false, default: null, signed: true, array: false, formatOptions: {}, filters: [], options: {}, error: null };
    const title = await attributes.create(projectId, { ...base, uid: schemaRowUid(database.internalId, collection.internalId, 'title'), key: 'title', type: 'string', size: 64, format: '', status: 'available' });
    await attributes.create(projectId, { ...base, uid: schemaRowUid(database.internalId, collection.internalId, 'pages'), key: 'pages', type: 'integer', size: 4, format: '', status: 'processing', default: 7 });
    await api.app.get(IndexRepository).create(projectId, { ...base, uid: schemaRowUid(database.internalId, collection.internalId, 'byTitle'), key: 'byTitle', type: 'key', status: 'available', attributes: ['title'], lengths: [], orders: ['ASC'] } as never);

    const schema = await sut.get(projectId, 'db1', 'books');
    expect(schema.table).toBe(`_${projectSeq}_${database.internalId}_${collection.internalId}`);
    expect(schema.permsTable).toBe(`${schema.table}_perms`);
    expect(schema.collection.name).toBe('Books');
    expect(schema.attributes.map((a) => a.key)).toEqual(['title']);
    expect(schema.allAttributes.map((a) => [a.key, a.status, a.default])).toEqual([
      ['title', 'available', null],
      ['pages', 'processing', 7],
    ]);
    expect(schema.specs).toEqual([{ key: 'title', type: 'string', size: 64, signed: true, array: false, format: undefined }]);
    expect(schema.indexes.map((i) => [i.key, i.attributes, i.orders])).toEqual([['byTitle', ['title'], ['ASC']]]);
    expect((await sut.get(projectId, 'db2', 'books')).collection.name).toBe('Other books');

    // Cached until invalidated, then the worker's change shows.
    const pages = await attributes.findByKey(projectId, collection.internalId, 'pages');
    await attributes.setStatus(projectId, pages!.internalId, 'available');
    expect((await sut.get(projectId, 'db1', 'books')).attributes).toHaveLength(1);
    await sut.invalidate(projectId, 'db1', 'books');
    expect((await sut.get(projectId, 'db1', 'books')).attributes.map((a) => a.key)).toEqual(['title', 'pages']);

    // The table builders accept the specs as they are.
    const tables = api.app.get(CollectionTableRepository);
    await tables.createTables(schema.table, (await sut.get(projectId, 'db1', 'books')).specs);
    expect((await tables.columns(schema.table)).map((c) => [c.name, c.type])).toEqual(
      expect.arrayContaining([
        ['title', 'varchar(64)'],
        ['pages', 'int(11)'],
      ]),
    );
    expect(title.status).toBe('available');
  });

  it('answers 404 database_not_found / collection_not_found', async () => {
    await expect(sut.get(projectId, 'nope', 'books')).rejects.toMatchObject({ type: 'database_not_found' });
    await expect(sut.get(projectId, 'db1', 'nope')).rejects.toBeInstanceOf(AppException);
    await expect(sut.get(projectId, 'db1', 'nope')).rejects.toMatchObject({ type: 'collection_not_found' });
  });

  it('hears another process invalidate by pub/sub, and uses its cache without a Redis call meanwhile', async () => {
    // A second service with its own cache and subscriber stands for another API process.
    const other = new CollectionSchemaService(
      api.app.get(AttributeRepository),
      api.app.get(CollectionRepository),
      api.app.get(DatabaseRepository),
      api.app.get(IndexRepository),
      api.app.get(ProjectRepository),
      api.app.get(REDIS),
      api.app.get(REDIS_PREFIX),
    );
    await other.onModuleInit();
    try {
      const database = await api.app.get(DatabaseRepository).create(projectId, { uid: 'db3', name: 'Third', enabled: true, search: null });
      await api.app.get(CollectionRepository).create(projectId, { uid: 'notes', databaseInternalId: database.internalId, databaseId: 'db3', name: 'Notes', enabled: true, documentSecurity: false, search: null });
      expect((await other.get(projectId, 'db3', 'notes')).collection.name).toBe('Notes');

      const get = jest.spyOn(api.app.get<Redis>(REDIS), 'get');
      expect((await other.get(projectId, 'db3', 'notes')).collection.name).toBe('Notes');
      expect(get).not.toHaveBeenCalled();
      get.mockRestore();

      const collection = await api.app.get(CollectionRepository).findInDatabase(projectId, database.internalId, 'notes');
      await api.app.get(CollectionRepository).updateByInternalId(projectId, collection!.internalId, { name: 'Renamed' });
      await sut.invalidate(projectId, 'db3', 'notes');
      const deadline = Date.now() + 5000;
      let name = (await other.get(projectId, 'db3', 'notes')).collection.name;
      while (name !== 'Renamed' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        name = (await other.get(projectId, 'db3', 'notes')).collection.name;
      }
      expect(name).toBe('Renamed');
    } finally {
      await other.onModuleDestroy();
    }
  });
});
