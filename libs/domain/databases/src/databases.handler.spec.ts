import { DatabaseJob, DatabaseJobType } from '@appconda/contracts';
import { AttributeEntity, AttributeRepository, CollectionRepository, CollectionTableRepository, IndexEntity, IndexRepository } from '@appconda/database';
import { EventBus } from '@appconda/transport';

import { CollectionSchemaService } from './collection-schema.service';
import { DatabasesTeardownService } from './databases-teardown.service';
import { DatabasesJobHandler } from './databases.handler';
import { SchemaDdlService } from './schema-ddl.service';

const attribute = { internalId: '9', uid: '1_2_title', project: 'p1', key: 'title', type: 'string', size: 10, signed: true, array: false, format: '', options: {}, status: 'processing', databaseInternalId: '1', collectionInternalId: '2', databaseId: 'db', collectionId: 'col' } as unknown as AttributeEntity;
const index = { internalId: '4', uid: '1_2_byTitle', project: 'p1', key: 'byTitle', type: 'unique', attributes: ['title'], orders: [], lengths: [], status: 'processing', databaseInternalId: '1', collectionInternalId: '2', databaseId: 'db', collectionId: 'col' } as unknown as IndexEntity;
const job = (type: DatabaseJobType, internalId = '9'): DatabaseJob => ({ type, projectId: 'p1', databaseId: 'db', collectionId: 'col', document: { $id: 'x', $internalId: internalId, key: 'title' } });

function build() {
  const attributes = { findByInternalId: jest.fn().mockResolvedValue(attribute), setStatus: jest.fn(), listByCollection: jest.fn().mockResolvedValue([{ ...attribute, status: 'available' }]), deleteWhere: jest.fn() };
  const indexes = { findByInternalId: jest.fn().mockResolvedValue(index), setStatus: jest.fn(), listByCollection: jest.fn().mockResolvedValue([]), deleteWhere: jest.fn() };
  const tables = { addColumn: jest.fn(), dropColumn: jest.fn(), createIndex: jest.fn(), dropIndex: jest.fn() };
  const schema = { tableOf: jest.fn().mockResolvedValue('_7_1_2'), invalidate: jest.fn() };
  const events = { publish: jest.fn() };
  const collections = { findByInternalId: jest.fn().mockResolvedValue({ uid: 'col', internalId: '2', databaseId: 'db', name: 'Col', enabled: true, documentSecurity: false, permissions: [], createdAt: new Date(), updatedAt: new Date() }) };
  const sut = new DatabasesJobHandler(
    attributes as unknown as AttributeRepository,
    collections as unknown as CollectionRepository,
    {} as SchemaDdlService,
    indexes as unknown as IndexRepository,
    schema as unknown as CollectionSchemaService,
    tables as unknown as CollectionTableRepository,
    {} as DatabasesTeardownService,
    events as unknown as EventBus,
  );
  return { sut, attributes, indexes, tables, schema, events };
}

const sqlError = (errno: number, message: string) => Object.assign(new Error(`(conn:1, no: ${errno}, SQLState: 42000) ${message}`), { errno, sqlState: '42000', sqlMessage: message, fatal: false });

describe('DatabasesJobHandler', () => {
  it('adds the column and settles the attribute available, invalidating the schema cache', async () => {
    const { sut, attributes, tables, schema, events } = build();
    await expect(sut.handle(job(DatabaseJobType.CreateAttribute))).resolves.toBe('available');
    expect(events.publish).toHaveBeenCalledWith(expect.objectContaining({ projectId: 'console', events: expect.arrayContaining(['databases.db.collections.col.attributes.1_2_title.update']) }));
    expect(tables.addColumn).toHaveBeenCalledWith('_7_1_2', { key: 'title', type: 'string', size: 10, signed: true, array: false, format: undefined });
    expect(attributes.setStatus).toHaveBeenCalledWith('p1', '9', 'available', null);
    expect(schema.invalidate).toHaveBeenCalledWith('p1', 'db', 'col');
  });

  it('marks the attribute failed with MariaDB text when the statement is refused', async () => {
    const { sut, attributes, tables } = build();
    tables.addColumn.mockRejectedValue(sqlError(1118, 'Row size too large'));
    await expect(sut.handle(job(DatabaseJobType.CreateAttribute))).resolves.toBe('failed');
    expect(attributes.setStatus).toHaveBeenCalledWith('p1', '9', 'failed', 'Row size too large');
  });

  it('rethrows connection errors so Bull retries, leaving the status alone', async () => {
    const { sut, attributes, tables } = build();
    tables.addColumn.mockRejectedValue(Object.assign(new Error('connection lost'), { errno: 45009, sqlState: '08S01', fatal: true }));
    await expect(sut.handle(job(DatabaseJobType.CreateAttribute))).rejects.toThrow('connection lost');
    expect(attributes.setStatus).not.toHaveBeenCalled();
  });

  it('skips a job whose row is gone or already settled', async () => {
    const { sut, attributes, tables } = build();
    attributes.findByInternalId.mockResolvedValueOnce(null).mockResolvedValueOnce({ ...attribute, status: 'available' });
    await expect(sut.handle(job(DatabaseJobType.CreateAttribute))).resolves.toBe('skipped');
    await expect(sut.handle(job(DatabaseJobType.CreateAttribute))).resolves.toBe('skipped');
    expect(tables.addColumn).not.toHaveBeenCalled();
  });

  it('fails a unique index over duplicates with the reason', async () => {
    const { sut, indexes, tables } = build();
    tables.createIndex.mockRejectedValue(Object.assign(sqlError(1062, "Duplicate entry 'a' for key 'byTitle'"), { sqlState: '23000' }));
    await expect(sut.handle(job(DatabaseJobType.CreateIndex, '4'))).resolves.toBe('failed');
    expect(indexes.setStatus).toHaveBeenCalledWith('p1', '4', 'failed', "Duplicate entry 'a' for key 'byTitle'");
  });

  it('refuses collection teardown on this queue (the deletes queue carries it)', async () => {
    const { sut } = build();
    await expect(sut.handle(job(DatabaseJobType.DeleteCollection))).rejects.toThrow(/deletes queue/);
  });
});
