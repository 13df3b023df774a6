import { Migration } from './migration';
import { projectTable } from './table';

export const auditMigration: Migration = {
  version: '0002_audit',
  statements: [
    // `_uid` is the entry id the producer supplies (the audit job's id), so a retried job hits the
    // (_project, _uid) unique key instead of writing a second row. Job ids can exceed 36 characters.
    projectTable(
      'audit',
      [
        'userInternalId BIGINT UNSIGNED NULL',
        'userId VARCHAR(36) NULL',
        "userName VARCHAR(256) NOT NULL DEFAULT ''",
        "userEmail VARCHAR(320) NOT NULL DEFAULT ''",
        "mode VARCHAR(16) NOT NULL DEFAULT ''",
        'event VARCHAR(255) NOT NULL',
        "resource VARCHAR(255) NOT NULL DEFAULT ''",
        "userAgent TEXT NOT NULL DEFAULT ''",
        "ip VARCHAR(45) NOT NULL DEFAULT ''",
        "location VARCHAR(45) NOT NULL DEFAULT ''",
        'time DATETIME(3) NOT NULL',
        "data JSON NOT NULL DEFAULT '{}'",
      ],
      ['KEY idx_user_time (_project, userId, time)', 'KEY idx_resource_time (_project, resource, time)', 'KEY idx_event (_project, event)', 'KEY idx_time (_project, time)'],
      255,
    ),
  ],
};
