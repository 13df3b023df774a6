import { AuthType, RequestContext } from '@appconda/core';
import { MembershipRepository, ProjectRepository, TeamRepository } from '@appconda/database';

import { ProjectAccess } from './project-access';

function ctx(projectId = 'console', user: object | null = { internalId: '7', project: 'console' }): RequestContext {
  return {
    requestId: 'r',
    projectId,
    authType: AuthType.Session,
    role: 'users',
    scopes: new Set(['projects.read']),
    roles: new Set(),
    skipPermissions: false,
    ip: '',
    userAgent: '',
    extras: { identity: { user: user ?? undefined, mode: 'default' } },
  };
}

describe('ProjectAccess', () => {
  const memberships = { findOne: jest.fn(), listByUser: jest.fn() };
  const projects = { findByUid: jest.fn() };
  const teams = { findByUid: jest.fn() };
  const sut = new ProjectAccess(memberships as unknown as MembershipRepository, projects as unknown as ProjectRepository, teams as unknown as TeamRepository);

  beforeEach(() => jest.resetAllMocks());

  it('lets team members read and owners/developers write', async () => {
    projects.findByUid.mockResolvedValue({ uid: 'p1', teamId: 't1' });
    memberships.findOne.mockResolvedValue({ roles: ['developer'] });
    await expect(sut.project(ctx(), 'p1', true)).resolves.toMatchObject({ uid: 'p1' });
    expect(memberships.findOne).toHaveBeenCalledWith('console', { teamId: 't1', userInternalId: '7', confirm: true });
    memberships.findOne.mockResolvedValue({ roles: ['member'] });
    await expect(sut.project(ctx(), 'p1')).resolves.toMatchObject({ uid: 'p1' });
    await expect(sut.project(ctx(), 'p1', true)).rejects.toMatchObject({ type: 'user_unauthorized' });
  });

  it('hides projects of other teams, unknown ids and over-long ids as project_not_found', async () => {
    projects.findByUid.mockResolvedValue({ uid: 'p1', teamId: 't1' });
    memberships.findOne.mockResolvedValue(null);
    await expect(sut.project(ctx(), 'p1')).rejects.toMatchObject({ type: 'project_not_found' });
    projects.findByUid.mockResolvedValue(null);
    await expect(sut.project(ctx(), 'nope')).rejects.toMatchObject({ type: 'project_not_found' });
    await expect(sut.project(ctx(), 'x'.repeat(37))).rejects.toMatchObject({ type: 'project_not_found' });
  });

  it('only serves console users on the console project', () => {
    expect(() => sut.consoleUser(ctx('p1'))).toThrow(expect.objectContaining({ type: 'general_access_forbidden' }));
    expect(() => sut.consoleUser(ctx('console', null))).toThrow(expect.objectContaining({ type: 'general_unauthorized_scope' }));
  });

  it('answers team_not_found for a team the user is not in', async () => {
    teams.findByUid.mockResolvedValue({ uid: 't2' });
    memberships.findOne.mockResolvedValue(null);
    await expect(sut.team(ctx(), 't2')).rejects.toMatchObject({ type: 'team_not_found' });
  });
});
