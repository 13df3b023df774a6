import { Migration } from './migration';

/**
 * Appwrite 1.3's buckets collection has a full-text index on `name` (`_fulltext_name`), so
 * `search("name", …)` is a valid bucket query; without the index MATCH failed in SQL (a 500).
 */
export const bucketNameFulltextMigration: Migration = {
  version: '0046_bucket_name_fulltext',
  statements: ['ALTER TABLE `buckets` ADD FULLTEXT INDEX IF NOT EXISTS ft_name (name)'],
};
