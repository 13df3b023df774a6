import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';

import { MembershipEntity, UserEntity } from '../entities';
import { assertProjectId, ListOptions, ScopedRepository } from './scoped.repository';

/** What the membership model shows of a member. */
export type MemberProfile = Pick<UserEntity, 'internalId' | 'name' | 'email'>;

@Injectable()
export class MembershipRepository extends ScopedRepository<MembershipEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, MembershipEntity);
  }

  findByTeamAndUser(projectId: string, teamInternalId: string, userInternalId: string): Promise<MembershipEntity | null> {
    return this.findOne(projectId, { teamInternalId, userInternalId });
  }

  listByTeam(projectId: string, teamInternalId: string, options: Omit<ListOptions<MembershipEntity>, 'where'> = {}): Promise<MembershipEntity[]> {
    return this.list(projectId, { ...options, where: { teamInternalId } });
  }

  listByUser(projectId: string, userInternalId: string, options: Omit<ListOptions<MembershipEntity>, 'where'> = {}): Promise<MembershipEntity[]> {
    return this.list(projectId, { ...options, where: { userInternalId } });
  }

  /**
   * Confirms a pending membership in one conditional statement, so two concurrent acceptances of the
   * same invite cannot both count: resolves false when it was already confirmed (or is gone).
   */
  async confirm(projectId: string, uid: string, joined: Date): Promise<boolean> {
    const result = await this.repo.update(this.scoped(projectId, { uid, confirm: false }), { confirm: true, joined, updatedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }

  /** Removes every membership of a team (team deletion); resolves how many went. */
  deleteByTeam(projectId: string, teamInternalId: string): Promise<number> {
    return this.deleteWhere(projectId, { teamInternalId });
  }

  /**
   * Name and email of the members behind some memberships, keyed by the user's internal id, in one
   * statement (the membership model carries `userName` and `userEmail`). Unknown ids are absent.
   */
  async memberProfiles(projectId: string, userInternalIds: readonly string[]): Promise<Map<string, MemberProfile>> {
    const ids = [...new Set(userInternalIds)];
    if (!ids.length) return new Map();
    const manager = this.repo.manager;
    const users = await manager.getRepository(UserEntity).find({
      select: { internalId: true, name: true, email: true },
      where: { project: assertProjectId(projectId), internalId: In(ids) },
    });
    return new Map(users.map((user) => [String(user.internalId), user]));
  }
}
