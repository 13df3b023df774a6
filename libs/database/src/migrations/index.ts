import { identityMigration } from './0001-identity.migration';
import { auditMigration } from './0002-audit.migration';
import { projectsMigration } from './0010-projects.migration';
import { databasesMigration } from './0020-databases.migration';
import { storageMigration } from './0030-storage.migration';
import { usageMigration } from './0040-usage.migration';
import { usageBatchesMigration } from './0045-usage-batches.migration';
import { bucketNameFulltextMigration } from './0046-bucket-name-fulltext.migration';
import { functionsMigration } from './0050-functions.migration';
import { certificatesMigration } from './0060-certificates.migration';
import { Migration } from './migration';

/** Every migration, in order. Append new ones; never edit or renumber an applied one. */
export const MIGRATIONS: readonly Migration[] = [
  identityMigration,
  auditMigration,
  projectsMigration,
  databasesMigration,
  storageMigration,
  usageMigration,
  usageBatchesMigration,
  bucketNameFulltextMigration,
  functionsMigration,
  certificatesMigration,
];

export * from './migration';
export * from './migration.runner';
