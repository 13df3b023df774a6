import { Injectable } from '@nestjs/common';
import { AttributeRepository, CollectionRepository, CollectionTableRepository, DatabaseRepository, IndexRepository } from '@appconda/database';

import { CollectionSchemaService } from './collection-schema.service';
import { SchemaDdlService } from './schema-ddl.service';

/** Collections torn down per pass of a database delete. */
const BATCH = 50;

/**
 * Drops what a deleted database or collection leaves behind: real tables (collection, `_perms`,
 * many-to-many junctions), relationship columns on other collections, and attribute, index and
 * collection rows. Rows go last, after the DDL, and every step is idempotent, so a crash anywhere
 * is finished by the retried job without orphans.
 */
@Injectable()
export class DatabasesTeardownService {
  constructor(
    private readonly attributes: AttributeRepository,
    private readonly collections: CollectionRepository,
    private readonly databases: DatabaseRepository,
    private readonly ddl: SchemaDdlService,
    private readonly indexes: IndexRepository,
    private readonly schema: CollectionSchemaService,
    private readonly tables: CollectionTableRepository,
  ) {}

  async deleteCollection(projectId: string, databaseSeq: string, collectionSeq: string): Promise<void> {
    const projectSeq = await this.schema.projectSeq(projectId);
    for (const attribute of await this.attributes.listByCollection(projectId, collectionSeq)) {
      if (attribute.type === 'relationship') await this.ddl.dropRelationship(attribute);
    }
    const prefix = `_${projectSeq}_${databaseSeq}_`;
    // The table, its perms table, junctions where it is the parent (`_p_d_c_<n>`) or the child (`_p_d_<n>_c`).
    const mine = new RegExp(`^${prefix}(${collectionSeq}(_perms|_\\d+)?|\\d+_${collectionSeq})$`);
    for (const table of await this.tables.tablesWithPrefix(prefix)) {
      if (mine.test(table)) await this.tables.dropTable(table);
    }
    await this.indexes.deleteByCollection(projectId, collectionSeq);
    await this.attributes.deleteByCollection(projectId, collectionSeq);
    await this.collections.deleteByInternalId(projectId, collectionSeq);
  }

  async deleteDatabase(projectId: string, databaseSeq: string): Promise<void> {
    for (;;) {
      const batch = await this.collections.list(projectId, { where: { databaseInternalId: databaseSeq }, limit: BATCH });
      if (batch.length === 0) break;
      for (const collection of batch) await this.deleteCollection(projectId, databaseSeq, collection.internalId);
    }
    // Tables of collections deleted earlier whose own jobs have not run yet, or of rows lost in a crash.
    const projectSeq = await this.schema.projectSeq(projectId);
    for (const table of await this.tables.tablesWithPrefix(`_${projectSeq}_${databaseSeq}_`)) await this.tables.dropTable(table);
    await this.indexes.deleteByDatabase(projectId, databaseSeq);
    await this.attributes.deleteByDatabase(projectId, databaseSeq);
  }

  /**
   * Everything of the Databases service in a project (for the projects deletes job): every
   * `_<projectSeq>_*` table, then the metadata rows. Without `knownProjectSeq` the sequence is read
   * from the `projects` row, which must then still exist.
   */
  async deleteProject(projectId: string, knownProjectSeq?: string): Promise<void> {
    const stored = await this.schema.findProjectSeq(projectId);
    // A sequence from the job is trusted only when the project row is gone or agrees with it.
    if (knownProjectSeq && stored && stored !== knownProjectSeq) throw new Error(`project ${projectId} has sequence ${stored}, not ${knownProjectSeq}`);
    const projectSeq = stored ?? knownProjectSeq;
    if (!projectSeq || !/^\d+$/.test(projectSeq)) throw new Error(`no project sequence known for ${projectId}`);
    for (const table of await this.tables.tablesWithPrefix(`_${projectSeq}_`)) await this.tables.dropTable(table);
    await this.indexes.deleteAll(projectId);
    await this.attributes.deleteAll(projectId);
    await this.collections.deleteAll(projectId);
    await this.databases.deleteAll(projectId);
  }
}
