import { Migration } from './migration';

/**
 * The usage batches already added to `stats` (one row per `v1-usage` job): the usage service adds a
 * batch's counts and inserts its id in one transaction, so a retried job (a crash after the commit,
 * before Bull's ack) finds its id and adds nothing twice. The id starts with the batch's ISO flush
 * time, so ids sort by time and old ones are pruned along the primary key (no other index: this is
 * not a project table).
 */
export const usageBatchesMigration: Migration = {
  version: '0045_usage_batches',
  statements: [
    `CREATE TABLE IF NOT EXISTS \`stats_batches\` (
  id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
  ],
};
