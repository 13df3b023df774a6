import { Injectable } from '@nestjs/common';
import { DataSource, In, LessThanOrEqual } from 'typeorm';

import { CONSOLE_PROJECT_ID } from '../database.settings';
import { BuildEntity, DeploymentEntity, ExecutionEntity, FunctionEntity, ScheduleEntity, VariableEntity } from '../entities';
import { assertProjectId, CompiledListQuery, readableCondition, ScopedRepository, withCondition } from './scoped.repository';

@Injectable()
export class FunctionRepository extends ScopedRepository<FunctionEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, FunctionEntity);
  }

  /** Enabled functions of a project subscribed to at least one event (event triggers). */
  async listWithEvents(projectId: string): Promise<Pick<FunctionEntity, 'uid' | 'internalId' | 'events'>[]> {
    const rows: { _uid: string; _id: string | number; events: string | string[] }[] = await this.repo.query(
      'SELECT `_uid`, `_id`, `events` FROM `functions` WHERE `_project` = ? AND `enabled` = 1 AND JSON_LENGTH(`events`) > 0 ORDER BY `name`, `_id`',
      [assertProjectId(projectId)],
    );
    return rows.map((row) => ({ uid: row._uid, internalId: String(row._id), events: typeof row.events === 'string' ? (JSON.parse(row.events) as string[]) : row.events }));
  }
}

@Injectable()
export class DeploymentRepository extends ScopedRepository<DeploymentEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, DeploymentEntity);
  }

  /** A deployment of the given function, or null (a deployment of another function counts as missing). */
  async findOfFunction(projectId: string, functionInternalId: string, uid: string): Promise<DeploymentEntity | null> {
    return this.findOne(projectId, { functionInternalId, uid });
  }

  /** Clears `activate` on the function's other deployments (a new deployment asked to be the active one). */
  async deactivateOthers(projectId: string, functionInternalId: string, except: string): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update()
      .set({ activate: false, updatedAt: new Date() })
      .where('`_project` = :projectId AND `functionInternalId` = :functionInternalId AND `_uid` <> :except AND `activate` = 1', { projectId: assertProjectId(projectId), functionInternalId, except })
      .execute();
  }
}

@Injectable()
export class BuildRepository extends ScopedRepository<BuildEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, BuildEntity);
  }

  /** The builds of several deployments at once (deployment lists), by `$id`. */
  async findMany(projectId: string, uids: readonly string[]): Promise<Map<string, BuildEntity>> {
    const ids = uids.filter(Boolean);
    if (!ids.length) return new Map();
    const rows = await this.repo.find({ where: this.scoped(projectId, { uid: In(ids) }) });
    return new Map(rows.map((row) => [row.uid, row]));
  }

  /** Moves a build from one status to another only if it is still in the first (retry races); true when it moved. */
  async transition(projectId: string, uid: string, from: string, to: string): Promise<boolean> {
    const result = await this.repo.update(this.scoped(projectId, { uid, status: from as BuildEntity['status'] }), { status: to as BuildEntity['status'], updatedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }
}

@Injectable()
export class ExecutionRepository extends ScopedRepository<ExecutionEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, ExecutionEntity);
  }

  /**
   * A page of a function's executions matching compiled 1.3 queries, and their total. With `readRoles`
   * only executions readable by one of those roles are listed (users see their own); `null` lists all.
   */
  async listOfFunction(projectId: string, functionInternalId: string, query: CompiledListQuery, readRoles: readonly string[] | null): Promise<{ rows: ExecutionEntity[]; total: number }> {
    assertProjectId(projectId);
    if (readRoles === null) return this.listByQuery(projectId, query, { where: { functionInternalId } });
    if (readRoles.length === 0) return { rows: [], total: 0 };
    const readable = readableCondition(readRoles);
    return this.listByQuery(projectId, withCondition(query, readable.sql, readable.params, 'last'), { where: { functionInternalId } });
  }

  /** `waiting` → `processing` for exactly one worker; false when another took it (or it already ran). */
  async claim(projectId: string, uid: string, from: ExecutionEntity['status'] = 'waiting'): Promise<boolean> {
    const result = await this.repo.update(this.scoped(projectId, { uid, status: from }), { status: 'processing', updatedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }

  /** Inserts an execution unless one with its `$id` exists (deterministic ids make event and schedule runs idempotent). */
  async createOnce(projectId: string, row: Parameters<ExecutionRepository['create']>[1]): Promise<ExecutionEntity> {
    try {
      return await this.create(projectId, row);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ER_DUP_ENTRY') throw error;
      const existing = await this.findByUid(projectId, row.uid);
      if (!existing) throw error;
      return existing;
    }
  }

  /** Deletes executions created before `before` in one project, up to `limit`; returns how many. */
  async deleteOlderThan(projectId: string, before: Date, limit = 1000): Promise<number> {
    const result: { affectedRows?: number } = await this.repo.query('DELETE FROM `executions` WHERE `_project` = ? AND `_createdAt` < ? LIMIT ?', [assertProjectId(projectId), before, limit]);
    return Number(result.affectedRows ?? 0);
  }
}

@Injectable()
export class VariableRepository extends ScopedRepository<VariableEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, VariableEntity);
  }

  /** Every variable of a function, in creation order. */
  async ofFunction(projectId: string, functionInternalId: string): Promise<VariableEntity[]> {
    return this.list(projectId, { where: { functionInternalId }, limit: 5000 });
  }

  /** The variables of several functions at once (function lists), grouped by function internal id. */
  async ofFunctions(projectId: string, functionInternalIds: readonly string[]): Promise<Map<string, VariableEntity[]>> {
    const grouped = new Map<string, VariableEntity[]>();
    if (!functionInternalIds.length) return grouped;
    const rows = await this.repo.find({ where: this.scoped(projectId, { functionInternalId: In([...functionInternalIds]) }), order: { internalId: 'ASC' } });
    for (const row of rows) grouped.set(String(row.functionInternalId), [...(grouped.get(String(row.functionInternalId)) ?? []), row]);
    return grouped;
  }
}

/** A due schedule: which function of which project, and the tick to fire. */
export type DueSchedule = Pick<ScheduleEntity, 'internalId' | 'projectId' | 'resourceId' | 'resourceInternalId' | 'schedule' | 'next'>;

/**
 * The cross-project schedule index (console rows). One row per scheduled resource; `next` is the tick
 * to fire. Advancing is compare-and-set on `next`, so of several schedulers that saw the same due row,
 * exactly one moves it on.
 */
@Injectable()
export class ScheduleRepository extends ScopedRepository<ScheduleEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, ScheduleEntity);
  }

  /** Creates or replaces the schedule of a function (inactive when `schedule` is '' or `next` is null). */
  async upsertFunction(projectId: string, functionId: string, functionInternalId: string, schedule: string, next: Date | null): Promise<void> {
    const active = schedule !== '' && next !== null;
    const now = new Date();
    await this.repo.query(
      'INSERT INTO `schedules` (`_uid`, `_project`, `_createdAt`, `_updatedAt`, `resourceType`, `projectId`, `resourceId`, `resourceInternalId`, `schedule`, `active`, `next`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ' +
        'ON DUPLICATE KEY UPDATE `resourceInternalId` = VALUES(`resourceInternalId`), `schedule` = VALUES(`schedule`), `active` = VALUES(`active`), `next` = VALUES(`next`), `_updatedAt` = VALUES(`_updatedAt`)',
      [`${functionInternalId}`, CONSOLE_PROJECT_ID, now, now, 'function', assertProjectId(projectId), functionId, functionInternalId, schedule, active ? 1 : 0, next],
    );
  }

  async deleteFunction(projectId: string, functionId: string): Promise<void> {
    await this.repo.delete(this.scoped(CONSOLE_PROJECT_ID, { projectId: assertProjectId(projectId), resourceType: 'function', resourceId: functionId }));
  }

  async deleteProject(projectId: string): Promise<void> {
    await this.repo.delete(this.scoped(CONSOLE_PROJECT_ID, { projectId: assertProjectId(projectId) }));
  }

  /** Active schedules whose tick is at or before `now`, oldest first. */
  async due(now: Date, limit = 100): Promise<DueSchedule[]> {
    return this.repo.find({ where: this.scoped(CONSOLE_PROJECT_ID, { active: true, next: LessThanOrEqual(now) }), order: { next: 'ASC' }, take: limit });
  }

  /** Moves a schedule from the tick it fired to the following one, if nobody did yet; true when this call did. */
  async advance(row: DueSchedule, fired: Date, following: Date | null): Promise<boolean> {
    const result = await this.repo.update(this.scoped(CONSOLE_PROJECT_ID, { internalId: row.internalId, next: fired }), {
      next: following,
      previous: fired,
      active: following !== null,
      updatedAt: new Date(),
    });
    return (result.affected ?? 0) > 0;
  }
}
