import { Migration } from './migration';
import { projectTable } from './table';

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

/** System columns of the metadata tables below; `_uid` is sized per table (see each comment). */
function systemColumns(uidLength: number): string[] {
  return [
    '_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT',
    `_uid VARCHAR(${uidLength}) NOT NULL`,
    '_project VARCHAR(36) NOT NULL',
    '_createdAt DATETIME(3) NOT NULL',
    '_updatedAt DATETIME(3) NOT NULL',
    "_permissions JSON NOT NULL DEFAULT '[]'",
  ];
}

const collectionRef = ['databaseInternalId BIGINT UNSIGNED NOT NULL', 'databaseId VARCHAR(36) NOT NULL', 'collectionInternalId BIGINT UNSIGNED NOT NULL', 'collectionId VARCHAR(36) NOT NULL'];

/**
 * Metadata of the Databases service (Appwrite 1.3's `databases`, `database_<n>`, `attributes` and
 * `indexes` collections). The documents themselves live in one real table per collection, created
 * by the databases domain from `libs/database/src/collections` (see docs/architecture.md).
 */
export const databasesMigration: Migration = {
  version: '0020_databases',
  statements: [
    projectTable('databases', ['name VARCHAR(128) NOT NULL', 'enabled BOOLEAN NOT NULL DEFAULT 1', 'search TEXT NULL'], ['KEY idx_name (_project, name)', 'FULLTEXT KEY ft_search (search)']),
    // A collection `$id` is unique per database, not per project, so `_uid` includes the database.
    `CREATE TABLE IF NOT EXISTS \`collections\` (\n  ${[
      ...systemColumns(36),
      'databaseInternalId BIGINT UNSIGNED NOT NULL',
      'databaseId VARCHAR(36) NOT NULL',
      'name VARCHAR(128) NOT NULL',
      'enabled BOOLEAN NOT NULL DEFAULT 1',
      'documentSecurity BOOLEAN NOT NULL DEFAULT 0',
      'search TEXT NULL',
      'PRIMARY KEY (_id)',
      'UNIQUE KEY `_uid` (_project, databaseInternalId, _uid)',
      'KEY `_created` (_project, _createdAt)',
      'KEY idx_name (_project, databaseInternalId, name)',
      'FULLTEXT KEY ft_search (search)',
    ].join(',\n  ')}\n) ${TABLE_OPTIONS}`,
    // `_uid` is `<databaseInternalId>_<collectionInternalId>_<key>`, as Appwrite 1.3 ids attribute documents.
    `CREATE TABLE IF NOT EXISTS \`attributes\` (\n  ${[
      ...systemColumns(128),
      ...collectionRef,
      '`key` VARCHAR(64) NOT NULL',
      'type VARCHAR(32) NOT NULL',
      "status VARCHAR(16) NOT NULL DEFAULT 'processing'",
      'error TEXT NULL',
      'size INT UNSIGNED NOT NULL DEFAULT 0',
      'required BOOLEAN NOT NULL DEFAULT 0',
      '`default` JSON NULL',
      'signed BOOLEAN NOT NULL DEFAULT 1',
      '`array` BOOLEAN NOT NULL DEFAULT 0',
      "format VARCHAR(64) NOT NULL DEFAULT ''",
      "formatOptions JSON NOT NULL DEFAULT '{}'",
      "filters JSON NOT NULL DEFAULT '[]'",
      "options JSON NOT NULL DEFAULT '{}'",
      'PRIMARY KEY (_id)',
      'UNIQUE KEY `_uid` (_project, _uid)',
      'KEY `_created` (_project, _createdAt)',
      'KEY idx_collection (_project, collectionInternalId)',
      'KEY idx_database (_project, databaseInternalId)',
    ].join(',\n  ')}\n) ${TABLE_OPTIONS}`,
    `CREATE TABLE IF NOT EXISTS \`indexes\` (\n  ${[
      ...systemColumns(128),
      ...collectionRef,
      '`key` VARCHAR(64) NOT NULL',
      'type VARCHAR(16) NOT NULL',
      "status VARCHAR(16) NOT NULL DEFAULT 'processing'",
      'error TEXT NULL',
      "attributes JSON NOT NULL DEFAULT '[]'",
      "lengths JSON NOT NULL DEFAULT '[]'",
      "orders JSON NOT NULL DEFAULT '[]'",
      'PRIMARY KEY (_id)',
      'UNIQUE KEY `_uid` (_project, _uid)',
      'KEY `_created` (_project, _createdAt)',
      'KEY idx_collection (_project, collectionInternalId)',
      'KEY idx_database (_project, databaseInternalId)',
    ].join(',\n  ')}\n) ${TABLE_OPTIONS}`,
  ],
};
