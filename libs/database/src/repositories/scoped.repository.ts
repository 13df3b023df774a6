import { DataSource, EntityManager, EntityTarget, FindOptionsOrder, FindOptionsWhere, In, Repository } from 'typeorm';

import { ScopedEntity } from '../entities';

type SystemKey = 'internalId' | 'uid' | 'project' | 'createdAt' | 'updatedAt' | 'permissions';

/** Columns a caller may set; the system columns are owned by the repository. */
export type RowData<E> = Partial<Omit<E, SystemKey>>;

/** What `create` needs: the public id, optional permissions, any columns (the rest take DB defaults). */
export type NewRow<E> = RowData<E> & { uid: string; permissions?: string[] };

/** A filter on a project's rows. The project itself is not part of it: it is always the required argument. */
export type ScopedWhere<E> = Omit<FindOptionsWhere<E>, 'project'>;

export interface ListOptions<E> {
  where?: ScopedWhere<E>;
  /** Defaults to insertion order (`_id` ascending), as Appwrite lists. */
  order?: FindOptionsOrder<E>;
  limit?: number;
  offset?: number;
}

/**
 * SQL fragments compiled from 1.3 queries (`compileQueries` of @appconda/query): conditions with `?`
 * placeholders over the table's own columns, and the order/limit/offset of the page.
 */
export interface CompiledListQuery {
  readonly where: string;
  readonly params: unknown[];
  readonly orderBy: string;
  readonly limit: number;
  readonly offset: number;
  /** cursorBefore: rows come back reversed and are put back in order here. */
  readonly reverse: boolean;
  /** The conditions `total` counts (the filters without the cursor); `where`/`params` when absent. */
  readonly countWhere?: string;
  readonly countParams?: unknown[];
}

/**
 * Adds a condition (visibility, a parent, …) to a compiled list query, both to the page and to what
 * `total` counts, so neither can show rows the other hides.
 */
export function withCondition(query: CompiledListQuery, sql: string, params: readonly unknown[], position: 'first' | 'last' = 'first'): CompiledListQuery {
  const join = (where: string, whereParams: readonly unknown[]) =>
    position === 'first'
      ? { where: where ? `${sql} AND (${where})` : sql, params: [...params, ...whereParams] }
      : { where: where ? `(${where}) AND ${sql}` : sql, params: [...whereParams, ...params] };
  const page = join(query.where, query.params);
  const count = join(query.countWhere ?? query.where, query.countParams ?? query.params);
  return { ...query, where: page.where, params: page.params, countWhere: count.where, countParams: count.params };
}

/**
 * `(JSON_CONTAINS(_permissions, 'read("<role>")') OR …)`: rows some role may read, for lists of rows
 * that carry their own read permissions (files of file-security buckets, user-triggered executions).
 */
export function readableCondition(readRoles: readonly string[]): { sql: string; params: string[] } {
  return {
    sql: `(${readRoles.map(() => 'JSON_CONTAINS(`_permissions`, ?)').join(' OR ')})`,
    params: readRoles.map((role) => JSON.stringify(`read("${role}")`)),
  };
}

/** Appwrite 1.3 counts list totals up to this ceiling (APP_LIMIT_COUNT). */
export const MAX_COUNT = 5000;

/** Largest page a single list call returns. */
export const MAX_LIST_LIMIT = 5000;

/** Rejects a missing project id, so a forgotten argument can never become an unscoped query. */
export function assertProjectId(projectId: string): string {
  if (typeof projectId !== 'string' || projectId.length === 0 || projectId.length > 36) {
    throw new Error(`a repository call needs a project id, got ${JSON.stringify(projectId)}`);
  }
  return projectId;
}

/**
 * The one place that scopes data by project: every method takes `projectId` first and adds
 * `_project = projectId` to the statement, after the caller's filter so the filter cannot replace it.
 * Concrete repositories extend this and add their own queries, which must take `projectId` too.
 * Methods are async so a bad project id surfaces as a rejected promise, like any other failure.
 * Inside a transaction use `repository.with(manager)`.
 */
export abstract class ScopedRepository<E extends ScopedEntity> {
  private manager: EntityManager | undefined;

  protected constructor(
    protected readonly dataSource: DataSource,
    private readonly target: EntityTarget<E>,
  ) {}

  /** This repository bound to a transaction's manager (`db.transaction(async (manager) => …)`). */
  with(manager: EntityManager): this {
    const bound = Object.create(Object.getPrototypeOf(this)) as this;
    Object.assign(bound, this, { manager });
    return bound;
  }

  /** The TypeORM repository, bound to the current transaction when there is one. */
  protected get repo(): Repository<E> {
    return (this.manager ?? this.dataSource.manager).getRepository(this.target);
  }

  /** The filter with the project scope applied last. */
  protected scoped(projectId: string, where?: ScopedWhere<E>): FindOptionsWhere<E> {
    return { ...where, project: assertProjectId(projectId) } as FindOptionsWhere<E>;
  }

  async findByUid(projectId: string, uid: string): Promise<E | null> {
    return this.repo.findOne({ where: this.scoped(projectId, { uid } as ScopedWhere<E>) });
  }

  async findByInternalId(projectId: string, internalId: string): Promise<E | null> {
    return this.repo.findOne({ where: this.scoped(projectId, { internalId } as ScopedWhere<E>) });
  }

  async findOne(projectId: string, where: ScopedWhere<E>): Promise<E | null> {
    return this.repo.findOne({ where: this.scoped(projectId, where) });
  }

  async list(projectId: string, options: ListOptions<E> = {}): Promise<E[]> {
    return this.repo.find({
      where: this.scoped(projectId, options.where),
      order: options.order ?? ({ internalId: 'ASC' } as FindOptionsOrder<E>),
      take: Math.min(options.limit ?? 25, MAX_LIST_LIMIT),
      skip: options.offset ?? 0,
    });
  }

  async count(projectId: string, where?: ScopedWhere<E>): Promise<number> {
    return this.repo.count({ where: this.scoped(projectId, where) });
  }

  /** Inserts one row and returns it as stored (defaults filled in). */
  async create(projectId: string, data: NewRow<E>): Promise<E> {
    const now = new Date();
    const row = { permissions: [], ...data, project: assertProjectId(projectId), createdAt: now, updatedAt: now };
    const result = await this.repo.insert(row as never);
    const internalId = String(result.identifiers[0]?.internalId);
    const stored = await this.findByInternalId(projectId, internalId);
    if (!stored) throw new Error(`row ${internalId} vanished right after insert`);
    return stored;
  }

  /** Updates columns of one row; returns the row as stored, or null when the project has no such row. */
  async update(projectId: string, uid: string, data: RowData<E> & { permissions?: string[] }): Promise<E | null> {
    const result = await this.repo.update(this.scoped(projectId, { uid } as ScopedWhere<E>), { ...data, updatedAt: new Date() } as never);
    if (!result.affected) return null;
    return this.findByUid(projectId, uid);
  }

  /** Deletes one row; false when the project has no such row. */
  async delete(projectId: string, uid: string): Promise<boolean> {
    const result = await this.repo.delete(this.scoped(projectId, { uid } as ScopedWhere<E>));
    return (result.affected ?? 0) > 0;
  }

  /** Deletes every row matching the filter in the project (e.g. all sessions of a user). */
  async deleteWhere(projectId: string, where: ScopedWhere<E>): Promise<number> {
    const result = await this.repo.delete(this.scoped(projectId, where));
    return result.affected ?? 0;
  }

  /** Deletes all of a project's rows in this table (the deletes worker, when a project goes away). */
  async deleteAll(projectId: string): Promise<number> {
    const result = await this.repo.delete(this.scoped(projectId));
    return result.affected ?? 0;
  }

  /**
   * One page of the project's rows matching compiled 1.3 queries, and the total of matching rows
   * (capped at 5000 like Appwrite). Two statements for the page (ids in order, then the rows) plus
   * one bounded count; the project scope is ANDed in front of the caller's conditions.
   */
  async listByQuery(projectId: string, query: CompiledListQuery, options: { total?: boolean; where?: ScopedWhere<E> } = {}): Promise<{ rows: E[]; total: number }> {
    const table = this.repo.metadata.tableName;
    const extra = this.extraConditions(options.where);
    const scope = ['`_project` = ?', ...extra.sql];
    const scopeParams = [assertProjectId(projectId), ...extra.params];
    const conditions = [...scope, ...(query.where ? [`(${query.where})`] : [])].join(' AND ');
    const params = [...scopeParams, ...query.params];
    const manager = this.manager ?? this.dataSource.manager;
    const page: { _id: string | number }[] = await manager.query(
      `SELECT \`_id\` FROM \`${table}\` WHERE ${conditions} ORDER BY ${query.orderBy} LIMIT ? OFFSET ?`,
      [...params, query.limit, query.offset],
    );
    const ids = page.map((row) => String(row._id));
    if (query.reverse) ids.reverse();
    const found = ids.length ? await this.repo.find({ where: this.scoped(projectId, { internalId: In(ids) } as ScopedWhere<E>) }) : [];
    const byId = new Map(found.map((row) => [String(row.internalId), row]));
    const rows = ids.map((id) => byId.get(id)).filter((row): row is E => row !== undefined);
    if (options.total === false) return { rows, total: 0 };
    // 1.3 counts every row the filters match, whatever page the cursor points at.
    const countWhere = query.countWhere ?? query.where;
    const countConditions = [...scope, ...(countWhere ? [`(${countWhere})`] : [])].join(' AND ');
    const countParams = [...scopeParams, ...(query.countParams ?? query.params)];
    const [{ total }] = await manager.query(`SELECT COUNT(1) AS total FROM (SELECT 1 FROM \`${table}\` WHERE ${countConditions} LIMIT ${MAX_COUNT}) AS matched`, countParams);
    return { rows, total: Number(total) };
  }

  /** Equality conditions on columns (e.g. a team's memberships) for listByQuery, by the entity's column names. */
  private extraConditions(where?: ScopedWhere<E>): { sql: string[]; params: unknown[] } {
    const sql: string[] = [];
    const params: unknown[] = [];
    for (const [property, value] of Object.entries(where ?? {})) {
      const column = this.repo.metadata.findColumnWithPropertyName(property);
      if (!column) throw new Error(`unknown property ${property} of ${this.repo.metadata.tableName}`);
      sql.push(`\`${column.databaseName}\` = ?`);
      params.push(value);
    }
    return { sql, params };
  }
}
