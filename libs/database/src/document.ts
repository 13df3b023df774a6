import { ScopedEntity } from './entities';

/** The Appwrite system fields every document model starts with. */
export interface SystemFields {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  $permissions: string[];
}

/**
 * The system fields of a stored row, rendered as 1.3 does (ISO 8601 with milliseconds and `+00:00`).
 * Domain mappers spread it first: `{ ...systemFields(user), name: user.name, … }`.
 */
export function systemFields(row: Pick<ScopedEntity, 'uid' | 'createdAt' | 'updatedAt' | 'permissions'>): SystemFields {
  return { $id: row.uid, $createdAt: toDatetime(row.createdAt), $updatedAt: toDatetime(row.updatedAt), $permissions: row.permissions ?? [] };
}

/** A stored DATETIME(3) as Appwrite renders it: `2024-01-02T03:04:05.678+00:00`. */
export function toDatetime(value: Date): string;
export function toDatetime(value: Date | null | undefined): string | null;
export function toDatetime(value: Date | null | undefined): string | null {
  return value ? value.toISOString().replace('Z', '+00:00') : null;
}
