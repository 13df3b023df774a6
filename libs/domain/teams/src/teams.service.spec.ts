import { AuthType, RequestContext } from '@appconda/core';
import { AuditRepository, Database, MembershipRepository, TeamEntity, TeamRepository } from '@appconda/database';

import { isTeamOwner, readableTeamIds, teamPermissions } from './teams.access';
import { isValidRoles, toTeamModel } from './teams.dto';
import { restrictToUids, TeamsService, teamSearchText } from './teams.service';

function context(overrides: Partial<RequestContext> = {}, user?: { uid: string; internalId: string }): RequestContext {
  return {
    requestId: 'r1',
    projectId: 'p1',
    authType: AuthType.Session,
    role: 'users',
    scopes: new Set(['teams.read', 'teams.write']),
    roles: new Set(['any', 'users']),
    skipPermissions: false,
    ip: '127.0.0.1',
    userAgent: 'jest',
    extras: { identity: { project: { id: 'p1' }, mode: 'default', user } },
    ...overrides,
  };
}

function team(overrides: Partial<TeamEntity> = {}): TeamEntity {
  const now = new Date('2024-01-02T03:04:05.678Z');
  return { internalId: '7', uid: 't1', project: 'p1', createdAt: now, updatedAt: now, permissions: teamPermissions('t1'), name: 'Core', total: 1, prefs: {}, search: 't1 Core', ...overrides };
}

function build() {
  const teams = { create: jest.fn(async (_p: string, row: Partial<TeamEntity>) => team({ ...row, internalId: '9' })), findByUid: jest.fn(), update: jest.fn(), delete: jest.fn() };
  const memberships = { create: jest.fn(async () => ({})), deleteByTeam: jest.fn(async () => 2) };
  const bind = <T>(repo: T) => Object.assign(repo as object, { with: () => repo }) as T;
  const db = { transaction: jest.fn(async (work: (manager: unknown) => Promise<unknown>) => work({})) };
  const sut = new TeamsService({} as AuditRepository, db as unknown as Database, bind(memberships) as unknown as MembershipRepository, bind(teams) as unknown as TeamRepository);
  return { sut, teams, memberships, db };
}

describe('TeamsService', () => {
  it('makes a creating user an owner member and counts them', async () => {
    const { sut, teams, memberships } = build();
    const ctx = context({}, { uid: 'u1', internalId: '3' });
    const model = await sut.create(ctx, 'unique()', 'Core');
    expect(model.total).toBe(1);
    expect(teams.create.mock.calls[0][1]).toMatchObject({ name: 'Core', total: 1, permissions: teamPermissions(model.$id) });
    expect(memberships.create).toHaveBeenCalledWith('p1', expect.objectContaining({ userId: 'u1', teamInternalId: '9', roles: ['owner'], confirm: true, secret: '' }));
    expect((ctx.extras.eventParams as Record<string, string>).teamId).toBe(model.$id);
  });

  it('creates an empty team for API keys and console admins', async () => {
    const { sut, memberships } = build();
    const model = await sut.create(context({ authType: AuthType.Key, skipPermissions: true }), 'crew', 'Crew', ['lead']);
    expect(model).toMatchObject({ $id: 'crew', total: 0 });
    expect(memberships.create).not.toHaveBeenCalled();
  });

  it('answers 404 for teams the caller is not a member of, 401 for members without the owner role', async () => {
    const { sut, teams } = build();
    teams.findByUid.mockResolvedValue(team());
    await expect(sut.get(context(), 't1')).rejects.toMatchObject({ type: 'team_not_found', code: 404 });
    const member = context({ roles: new Set(['any', 'users', 'team:t1', 'team:t1/developer']) });
    expect((await sut.get(member, 't1')).name).toBe('Core');
    await expect(sut.updateName(member, 't1', 'Mine')).rejects.toMatchObject({ type: 'user_unauthorized', code: 401 });
    await expect(sut.delete(member, 't1')).rejects.toMatchObject({ type: 'user_unauthorized' });
  });

  it('deletes a team and its memberships in one transaction', async () => {
    const { sut, teams, memberships, db } = build();
    teams.findByUid.mockResolvedValue(team());
    await sut.delete(context({ roles: new Set(['team:t1', 'team:t1/owner']) }), 't1');
    expect(db.transaction).toHaveBeenCalledTimes(1);
    expect(memberships.deleteByTeam).toHaveBeenCalledWith('p1', '7');
    expect(teams.delete).toHaveBeenCalledWith('p1', 't1');
  });

  it('lists nothing without touching the database for users in no team', async () => {
    const { sut, teams } = build();
    expect(await sut.list(context(), [])).toEqual({ total: 0, teams: [] });
    expect(teams.findByUid).not.toHaveBeenCalled();
  });
});

describe('team helpers', () => {
  it('reads team membership from the request roles', () => {
    const ctx = context({ roles: new Set(['any', 'team:a', 'team:a/owner', 'team:b', 'member:m1', 'user:u1']) });
    expect(readableTeamIds(ctx)).toEqual(['a', 'b']);
    expect(readableTeamIds(context({ skipPermissions: true }))).toBeNull();
    expect(isTeamOwner(ctx, 'a')).toBe(true);
    expect(isTeamOwner(ctx, 'b')).toBe(false);
  });

  it('restricts a compiled list to some ids before the caller conditions', () => {
    const compiled = { where: '`name` = ?', params: ['x'], orderBy: '`_id` ASC', limit: 25, offset: 0, reverse: false };
    expect(restrictToUids(compiled, ['a', 'b'])).toMatchObject({ where: '`_uid` IN (?, ?) AND (`name` = ?)', params: ['a', 'b', 'x'] });
    expect(restrictToUids({ ...compiled, where: '', params: [] }, ['a'])).toMatchObject({ where: '`_uid` IN (?)', params: ['a'] });
  });

  it('validates roles like 1.3 ArrayList(Key, 100)', () => {
    expect(isValidRoles(['owner', 'dev.ops', 'a_b-c'])).toBe(true);
    expect(isValidRoles(['bad role'])).toBe(false);
    expect(isValidRoles(['-lead'])).toBe(false);
    expect(isValidRoles(['x'.repeat(37)])).toBe(false);
    expect(isValidRoles(Array.from({ length: 101 }, (_, i) => `r${i}`))).toBe(false);
    expect(isValidRoles('owner')).toBe(false);
  });

  it('maps the team model with Appwrite dates and search text', () => {
    expect(toTeamModel(team({ prefs: null as never }))).toEqual({ $id: 't1', $createdAt: '2024-01-02T03:04:05.678+00:00', $updatedAt: '2024-01-02T03:04:05.678+00:00', name: 'Core', total: 1, prefs: {} });
    expect(teamSearchText('t1', 'Core')).toBe('t1 Core');
  });
});
