import { Migration } from './migration';

/**
 * Usage statistics (Appwrite 1.3's `stats` collection): one row per project, metric, period (`1h`,
 * `1d`) and period start. The usage service writes absolute values with INSERT … ON DUPLICATE KEY
 * UPDATE, so re-running an aggregation rewrites the same rows instead of adding to them.
 */
export const usageMigration: Migration = {
  version: '0040_usage',
  statements: [
    `CREATE TABLE IF NOT EXISTS \`stats\` (
  _id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  _project VARCHAR(36) NOT NULL,
  metric VARCHAR(255) NOT NULL,
  period VARCHAR(4) NOT NULL,
  time DATETIME NOT NULL,
  value BIGINT NOT NULL DEFAULT 0,
  _updatedAt DATETIME(3) NOT NULL,
  PRIMARY KEY (_id),
  UNIQUE KEY uniq_metric (_project, metric, period, time),
  KEY idx_period_time (_project, period, time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
  ],
};
