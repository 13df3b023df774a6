import { Column, Entity } from 'typeorm';

import { ScopedEntity } from './scoped.entity';

/** Lifecycle of an attribute or index, as 1.3 reports it. */
export type SchemaStatus = 'processing' | 'available' | 'failed' | 'deleting' | 'stuck';

/**
 * One attribute of a collection (Appwrite 1.3's `attributes` collection). `_uid` is
 * `<databaseInternalId>_<collectionInternalId>_<key>`. Types are the 1.3 storage types: string
 * (with format email/url/ip/enum), integer, double, boolean, datetime, relationship.
 */
@Entity('attributes')
export class AttributeEntity extends ScopedEntity {
  @Column({ type: 'bigint', unsigned: true }) databaseInternalId: string;
  @Column({ type: 'varchar' }) databaseId: string;
  @Column({ type: 'bigint', unsigned: true }) collectionInternalId: string;
  @Column({ type: 'varchar' }) collectionId: string;
  @Column({ type: 'varchar' }) key: string;
  @Column({ type: 'varchar' }) type: string;
  @Column({ type: 'varchar' }) status: SchemaStatus;
  /** Why the worker failed to build the column (status `failed`). */
  @Column({ type: 'text', nullable: true }) error: string | null;
  /** Characters for strings, bytes (4/8) for integers, 0 otherwise. */
  @Column({ type: 'int', unsigned: true }) size: number;
  @Column({ type: 'boolean' }) required: boolean;
  /** The default value as JSON; null when there is none. */
  @Column({ type: 'json', nullable: true }) default: unknown;
  @Column({ type: 'boolean' }) signed: boolean;
  @Column({ type: 'boolean' }) array: boolean;
  /** `email`, `url`, `ip`, `enum`, `datetime` or empty. */
  @Column({ type: 'varchar' }) format: string;
  /** `{ min, max }` for numbers, `{ elements }` for enums. */
  @Column({ type: 'json' }) formatOptions: Record<string, unknown>;
  @Column({ type: 'json' }) filters: string[];
  /** Relationships: `{ relatedCollection, relationType, twoWay, twoWayKey, onDelete, side }`. */
  @Column({ type: 'json' }) options: Record<string, unknown>;
}
