/**
 * One versioned schema change. DDL in MariaDB commits implicitly, so a migration cannot be rolled
 * back as a unit: every statement must be idempotent (`CREATE TABLE IF NOT EXISTS`,
 * `ADD COLUMN IF NOT EXISTS` …) so a run interrupted half-way simply re-runs.
 */
export interface Migration {
  /** Sortable, unique, never reused: `0001_identity`. */
  version: string;
  statements: readonly string[];
}
