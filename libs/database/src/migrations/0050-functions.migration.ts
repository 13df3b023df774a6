import { Migration } from './migration';
import { projectTable } from './table';

/**
 * Functions (Appwrite 1.3's `functions`, `deployments`, `builds`, `executions` and `variables`
 * collections) and the cross-project `schedules` table the schedule service scans (console rows, so its
 * due-index still starts with `_project`). Deployments, executions and variables hang off the function's
 * internal id: a re-created function with the same `$id` never sees the rows of the deleted one.
 */
export const functionsMigration: Migration = {
  version: '0050_functions',
  statements: [
    projectTable(
      'functions',
      [
        "execute JSON NOT NULL DEFAULT '[]'",
        'name VARCHAR(128) NOT NULL',
        'enabled BOOLEAN NOT NULL DEFAULT 1',
        'runtime VARCHAR(64) NOT NULL',
        "deployment VARCHAR(36) NOT NULL DEFAULT ''",
        "events JSON NOT NULL DEFAULT '[]'",
        "schedule VARCHAR(128) NOT NULL DEFAULT ''",
        'scheduleUpdatedAt DATETIME(3) NULL',
        'schedulePrevious DATETIME(3) NULL',
        'scheduleNext DATETIME(3) NULL',
        'timeout INT UNSIGNED NOT NULL DEFAULT 15',
        'search TEXT NULL',
      ],
      [
        'KEY idx_name (_project, name)',
        'KEY idx_enabled (_project, enabled)',
        'KEY idx_runtime (_project, runtime)',
        'KEY idx_deployment (_project, deployment)',
        'KEY idx_schedule (_project, schedule)',
        'KEY idx_schedule_next (_project, scheduleNext)',
        'KEY idx_schedule_previous (_project, schedulePrevious)',
        'KEY idx_timeout (_project, timeout)',
        'FULLTEXT KEY ft_search (search)',
      ],
    ),
    projectTable(
      'deployments',
      [
        'functionInternalId BIGINT UNSIGNED NOT NULL',
        'resourceId VARCHAR(36) NOT NULL',
        "resourceType VARCHAR(32) NOT NULL DEFAULT 'functions'",
        "buildId VARCHAR(36) NOT NULL DEFAULT ''",
        "entrypoint VARCHAR(2048) NOT NULL DEFAULT ''",
        "path VARCHAR(2048) NOT NULL DEFAULT ''",
        'size BIGINT UNSIGNED NOT NULL DEFAULT 0',
        "metadata JSON NOT NULL DEFAULT '{}'",
        'chunksTotal INT UNSIGNED NOT NULL DEFAULT 1',
        'chunksUploaded INT UNSIGNED NOT NULL DEFAULT 0',
        'activate BOOLEAN NOT NULL DEFAULT 0',
        'search TEXT NULL',
      ],
      [
        'KEY idx_function (_project, functionInternalId)',
        'KEY idx_entrypoint (_project, entrypoint(255))',
        'KEY idx_size (_project, size)',
        'KEY idx_build (_project, buildId)',
        'KEY idx_activate (_project, activate)',
        'FULLTEXT KEY ft_search (search)',
      ],
    ),
    projectTable(
      'builds',
      [
        'deploymentId VARCHAR(36) NOT NULL',
        "runtime VARCHAR(64) NOT NULL DEFAULT ''",
        "status VARCHAR(16) NOT NULL DEFAULT 'processing'",
        "outputPath VARCHAR(2048) NOT NULL DEFAULT ''",
        "source VARCHAR(2048) NOT NULL DEFAULT ''",
        "sourceType VARCHAR(16) NOT NULL DEFAULT 'local'",
        'stdout MEDIUMTEXT NOT NULL',
        'stderr MEDIUMTEXT NOT NULL',
        'startTime DATETIME(3) NULL',
        'endTime DATETIME(3) NULL',
        'duration INT UNSIGNED NOT NULL DEFAULT 0',
      ],
      ['KEY idx_deployment (_project, deploymentId)'],
    ),
    projectTable(
      'executions',
      [
        'functionInternalId BIGINT UNSIGNED NOT NULL',
        'functionId VARCHAR(36) NOT NULL',
        "deploymentId VARCHAR(36) NOT NULL DEFAULT ''",
        '`trigger` VARCHAR(16) NOT NULL',
        'status VARCHAR(16) NOT NULL',
        'statusCode INT NOT NULL DEFAULT 0',
        'response MEDIUMTEXT NOT NULL',
        'stdout MEDIUMTEXT NOT NULL',
        'stderr MEDIUMTEXT NOT NULL',
        'duration DOUBLE NOT NULL DEFAULT 0',
        'search TEXT NULL',
      ],
      [
        'KEY idx_function (_project, functionInternalId)',
        'KEY idx_trigger (_project, `trigger`)',
        'KEY idx_status (_project, status)',
        'KEY idx_status_code (_project, statusCode)',
        'KEY idx_duration (_project, duration)',
        'FULLTEXT KEY ft_search (search)',
      ],
    ),
    projectTable(
      'variables',
      ['functionInternalId BIGINT UNSIGNED NOT NULL', 'functionId VARCHAR(36) NOT NULL', '`key` VARCHAR(255) NOT NULL', 'value TEXT NOT NULL', 'search TEXT NULL'],
      ['UNIQUE KEY uniq_function_key (_project, functionInternalId, `key`)', 'KEY idx_key (_project, `key`)', 'FULLTEXT KEY ft_search (search)'],
    ),
    projectTable(
      'schedules',
      [
        "resourceType VARCHAR(32) NOT NULL DEFAULT 'function'",
        'projectId VARCHAR(36) NOT NULL',
        'resourceId VARCHAR(36) NOT NULL',
        'resourceInternalId BIGINT UNSIGNED NOT NULL',
        "schedule VARCHAR(128) NOT NULL DEFAULT ''",
        'active BOOLEAN NOT NULL DEFAULT 0',
        '`next` DATETIME(3) NULL',
        'previous DATETIME(3) NULL',
      ],
      ['UNIQUE KEY uniq_resource (_project, projectId, resourceType, resourceId)', 'KEY idx_due (_project, active, `next`)'],
    ),
  ],
};
