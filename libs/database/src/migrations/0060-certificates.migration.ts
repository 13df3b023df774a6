import { Migration } from './migration';
import { projectTable } from './table';

/**
 * TLS certificates (Appwrite 1.3's console collection `certificates`): one row per domain name, console
 * data (`_project = 'console'`), shared by every project that added the name and by `_APP_DOMAIN`.
 * `renewDate` is when worker-certificates should order again (30 days before expiry, or the time of the
 * last failure), `attempts` the failures since the last success; the maintenance sweep reads both through
 * `idx_renew`. `log` keeps the ACME server's answer of the last try (1.3 keeps 16 384 characters).
 */
export const certificatesMigration: Migration = {
  version: '0060_certificates',
  statements: [
    projectTable(
      'certificates',
      [
        'domain VARCHAR(255) NOT NULL',
        'issueDate DATETIME(3) NULL',
        'renewDate DATETIME(3) NULL',
        'attempts INT UNSIGNED NOT NULL DEFAULT 0',
        'log TEXT NULL',
        'updated DATETIME(3) NULL',
      ],
      ['UNIQUE KEY uniq_domain (_project, domain)', 'KEY idx_renew (_project, renewDate)'],
    ),
  ],
};
