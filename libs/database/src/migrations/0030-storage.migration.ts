import { Migration } from './migration';
import { projectTable } from './table';

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

/**
 * Storage (Appwrite 1.3's `buckets` collection and its per-bucket `bucket_<n>` file collections).
 * Files of every bucket share one table: a file `$id` is unique per bucket, so the `_uid` key
 * includes the bucket's internal id. Encryption material (IV, tag) and the chunk counters live on
 * the file row, as in 1.3.
 */
export const storageMigration: Migration = {
  version: '0030_storage',
  statements: [
    projectTable(
      'buckets',
      [
        'name VARCHAR(128) NOT NULL',
        'enabled BOOLEAN NOT NULL DEFAULT 1',
        'fileSecurity BOOLEAN NOT NULL DEFAULT 0',
        'maximumFileSize BIGINT UNSIGNED NOT NULL DEFAULT 0',
        "allowedFileExtensions JSON NOT NULL DEFAULT '[]'",
        "compression VARCHAR(10) NOT NULL DEFAULT 'none'",
        'encryption BOOLEAN NOT NULL DEFAULT 1',
        'antivirus BOOLEAN NOT NULL DEFAULT 1',
        'search TEXT NULL',
      ],
      ['KEY idx_name (_project, name)', 'KEY idx_enabled (_project, enabled)', 'FULLTEXT KEY ft_search (search)'],
    ),
    `CREATE TABLE IF NOT EXISTS \`files\` (\n  ${[
      '_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT',
      '_uid VARCHAR(36) NOT NULL',
      '_project VARCHAR(36) NOT NULL',
      '_createdAt DATETIME(3) NOT NULL',
      '_updatedAt DATETIME(3) NOT NULL',
      "_permissions JSON NOT NULL DEFAULT '[]'",
      'bucketInternalId BIGINT UNSIGNED NOT NULL',
      'bucketId VARCHAR(36) NOT NULL',
      'name VARCHAR(2048) NOT NULL',
      "path VARCHAR(2048) NOT NULL DEFAULT ''",
      "signature VARCHAR(255) NOT NULL DEFAULT ''",
      "mimeType VARCHAR(255) NOT NULL DEFAULT ''",
      "metadata JSON NOT NULL DEFAULT '{}'",
      'sizeOriginal BIGINT UNSIGNED NOT NULL DEFAULT 0',
      'sizeActual BIGINT UNSIGNED NOT NULL DEFAULT 0',
      "algorithm VARCHAR(16) NOT NULL DEFAULT ''",
      "comment VARCHAR(2048) NOT NULL DEFAULT ''",
      "openSSLVersion VARCHAR(64) NOT NULL DEFAULT ''",
      "openSSLCipher VARCHAR(64) NOT NULL DEFAULT ''",
      "openSSLTag VARCHAR(64) NOT NULL DEFAULT ''",
      "openSSLIV VARCHAR(64) NOT NULL DEFAULT ''",
      'chunksTotal INT UNSIGNED NOT NULL DEFAULT 1',
      'chunksUploaded INT UNSIGNED NOT NULL DEFAULT 0',
      'search TEXT NULL',
      'PRIMARY KEY (_id)',
      'UNIQUE KEY `_uid` (_project, bucketInternalId, _uid)',
      'KEY `_created` (_project, _createdAt)',
      'KEY idx_bucket_name (_project, bucketInternalId, name(255))',
      'KEY idx_bucket_size (_project, bucketInternalId, sizeOriginal)',
      // Incomplete chunked uploads, for the orphan sweep (maintenance).
      'KEY idx_pending (_project, chunksUploaded, chunksTotal, _updatedAt)',
      'FULLTEXT KEY ft_search (search)',
    ].join(',\n  ')}\n) ${TABLE_OPTIONS}`,
  ],
};
