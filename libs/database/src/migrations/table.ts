/**
 * Builds the DDL of one internal, project-scoped table. Every such table starts with the same system
 * columns as a user collection table (see docs/architecture.md, "Generic document layer"):
 * `_id` internal sequence, `_uid` the public `$id`, `_project` the owning project's `$id`,
 * `_createdAt`/`_updatedAt` (UTC, milliseconds) and `_permissions` (JSON array of permission strings).
 * Index names: `_uid`, `_created` for the system indexes, `idx_<what>`, `uniq_<what>`, `ft_<what>`
 * for the table's own.
 */
export function projectTable(name: string, columns: readonly string[], indexes: readonly string[] = [], uidLength = 36): string {
  const body = [
    '_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT',
    `_uid VARCHAR(${uidLength}) NOT NULL`,
    '_project VARCHAR(36) NOT NULL',
    '_createdAt DATETIME(3) NOT NULL',
    '_updatedAt DATETIME(3) NOT NULL',
    "_permissions JSON NOT NULL DEFAULT '[]'",
    ...columns,
    'PRIMARY KEY (_id)',
    'UNIQUE KEY `_uid` (_project, _uid)',
    'KEY `_created` (_project, _createdAt)',
    ...indexes,
  ];
  return `CREATE TABLE IF NOT EXISTS \`${name}\` (\n  ${body.join(',\n  ')}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`;
}
