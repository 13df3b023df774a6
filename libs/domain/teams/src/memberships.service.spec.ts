import { SessionsService, WebExchange } from '@appconda/account';
import { AppConfig } from '@appconda/config';
import { AuthType, RequestContext } from '@appconda/core';
import { Database, MembershipEntity, MembershipRepository, TeamRepository, UserRepository } from '@appconda/database';
import { JobQueue } from '@appconda/queue';
import { UsersService } from '@appconda/users';

import { MembershipsService } from './memberships.service';
import { TeamsService } from './teams.service';

const web: WebExchange = { hostname: 'api.example.com', secure: true, origin: '', protocol: 'https', header: () => undefined };
const URL_OK = 'https://app.example.com/accept';

function context(overrides: Partial<RequestContext> = {}, invites = true): RequestContext {
  const project = { id: 'p1', name: 'Acme', auths: { methods: { invites } }, platforms: [{ type: 'web', hostname: 'app.example.com', key: null }] };
  return {
    requestId: 'r1',
    projectId: 'p1',
    authType: AuthType.Session,
    role: 'users',
    scopes: new Set(['teams.write']),
    roles: new Set(['any', 'users', 'team:t1', 'team:t1/owner']),
    skipPermissions: false,
    ip: '127.0.0.1',
    userAgent: 'jest',
    extras: { identity: { project, mode: 'default', user: { uid: 'u1', name: 'Olive' } } },
    ...overrides,
  };
}

function build(smtp = true) {
  const membership = { uid: 'm1', userId: 'u2', userInternalId: '2', teamId: 't1', teamInternalId: '7', secret: 'hash', confirm: false } as MembershipEntity;
  const memberships = { findByUid: jest.fn(async () => membership), findByTeamAndUser: jest.fn(async () => null) };
  const teamsService = { findReadable: jest.fn(async () => ({ uid: 't1', internalId: '7', name: 'Core' })) };
  const users = { findByEmail: jest.fn(async () => null), findByUid: jest.fn() };
  const usersService = { createUser: jest.fn() };
  const config = { get: jest.fn(() => ({ enabled: smtp })) };
  const sut = new MembershipsService(
    config as unknown as AppConfig,
    {} as Database,
    { add: jest.fn() } as unknown as JobQueue<never>,
    memberships as unknown as MembershipRepository,
    { add: jest.fn() } as unknown as JobQueue<never>,
    {} as SessionsService,
    {} as TeamRepository,
    teamsService as unknown as TeamsService,
    users as unknown as UserRepository,
    usersService as unknown as UsersService,
  );
  return { sut, usersService, teamsService };
}

describe('MembershipsService.create refusals', () => {
  const invite = { email: 'new@example.com', roles: ['viewer'], url: URL_OK };

  it('checks the URL against the project and console client hosts first', async () => {
    const { sut, teamsService } = build();
    await expect(sut.create(context(), 't1', { ...invite, url: 'https://evil.test/x' }, web)).rejects.toMatchObject({
      type: 'general_argument_invalid',
      message: 'Invalid url: URL host must be one of: localhost, api.example.com, app.example.com',
    });
    expect(teamsService.findReadable).not.toHaveBeenCalled();
  });

  it('needs one of userId, email or phone', async () => {
    const { sut } = build();
    await expect(sut.create(context(), 't1', { roles: [], url: URL_OK }, web)).rejects.toMatchObject({ type: 'general_argument_invalid' });
  });

  it('refuses user invites when the project disabled them or mail is off, but not key invites', async () => {
    await expect(build().sut.create(context({}, false), 't1', invite, web)).rejects.toMatchObject({ type: 'user_auth_method_unsupported', code: 501 });
    await expect(build(false).sut.create(context(), 't1', invite, web)).rejects.toMatchObject({ type: 'general_smtp_disabled', code: 503 });
    const key = context({ authType: AuthType.Key, skipPermissions: true, roles: new Set(['any']) }, false);
    const { sut, usersService } = build(false);
    usersService.createUser.mockRejectedValue(new Error('reached user creation'));
    await expect(sut.create(key, 't1', invite, web)).rejects.toThrow('reached user creation');
  });

  it('refuses members without the owner role before creating any user', async () => {
    const { sut, usersService } = build();
    await expect(sut.create(context({ roles: new Set(['team:t1', 'team:t1/developer']) }), 't1', invite, web)).rejects.toMatchObject({ type: 'user_unauthorized', code: 401 });
    expect(usersService.createUser).not.toHaveBeenCalled();
  });
});

describe('MembershipsService.updateStatus refusals', () => {
  it('refuses a membership that belongs to another team', async () => {
    const { sut } = build();
    await expect(sut.updateStatus(context(), 'other', 'm1', 'u2', 's', web)).rejects.toMatchObject({ type: 'team_membership_mismatch', code: 404 });
  });
});
