import { getQueueToken } from '@nestjs/bull';
import { encodeSession, generateSecret, hashSecret } from '@appconda/auth';
import { QueueName } from '@appconda/contracts';
import { generateId } from '@appconda/core';
import {
  AuditRepository,
  CONSOLE_PROJECT_ID,
  MembershipRepository,
  PlatformRepository,
  ProjectRepository,
  SessionRepository,
  TeamRepository,
  UserEntity,
  UserRepository,
} from '@appconda/database';
import { ProjectContextService } from '@appconda/identity';
import { createTestApi, TestApi, UserFactory } from '@appconda/testing';
import type { Queue } from 'bull';

import { TeamsApiModule } from './teams-api.module';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS SDKs, loaded as the apps load them
const web = require('appwrite') as typeof import('appwrite');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS SDK without bundled types for this import style
const server = require('node-appwrite');

const APP_HOST = 'app.example.com';
const DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;
const TEAM_KEYS = ['$createdAt', '$id', '$updatedAt', 'name', 'prefs', 'total'];
const MEMBERSHIP_KEYS = ['$createdAt', '$id', '$updatedAt', 'confirm', 'invited', 'joined', 'roles', 'teamId', 'teamName', 'userEmail', 'userId', 'userName'];

interface Seeded {
  user: UserEntity;
  session: string;
}

/** The web SDK stores X-Fallback-Cookies in window.localStorage; this stands in for a browser during one call. */
async function inBrowser<T>(work: () => Promise<T>): Promise<{ result: T; stored: Record<string, string> }> {
  const items = new Map<string, string>();
  const window = { localStorage: { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) }, console: { warn: () => undefined } };
  Object.assign(globalThis, { window });
  try {
    const result = await work();
    return { result, stored: Object.fromEntries(items) };
  } finally {
    delete (globalThis as { window?: unknown }).window;
  }
}

describe('Teams API (node-appwrite@9 with a key, appwrite@11 with user sessions)', () => {
  let api: TestApi;
  let projectId: string;
  let key: string;
  let owner: Seeded;
  let outsider: Seeded;
  let nextIp = 1;

  const repo = <T>(type: new (...args: never[]) => T): T => api.app.get(type, { strict: false });

  /** A user with a live session, seeded directly (no Account API needed). */
  const seedUser = async (project = projectId, overrides: Partial<UserEntity> = {}): Promise<Seeded> => {
    const user = await UserFactory.from({ status: true, emailVerification: false, phoneVerification: false, reset: false, ...overrides }).create(repo(UserRepository), project);
    const secret = generateSecret();
    await repo(SessionRepository).create(project, {
      uid: generateId(),
      userInternalId: user.internalId,
      userId: user.uid,
      provider: 'email',
      secret: hashSecret(secret),
      expire: new Date(Date.now() + 3600_000),
    });
    return { user, session: encodeSession({ id: user.uid, secret }) };
  };

  /** The web SDK acting for a session (or a guest), each client from its own IP. */
  const webClient = (session?: string, project = projectId) => {
    const client = new web.Client().setEndpoint(api.endpoint).setProject(project);
    const headers = (client as unknown as { headers: Record<string, string> }).headers;
    headers['X-Forwarded-For'] = `10.2.0.${nextIp++}`;
    if (session) headers['X-Fallback-Cookies'] = JSON.stringify({ [`a_session_${project}`]: session });
    return new web.Teams(client);
  };

  const keyClient = (secret = key, project = projectId) => new server.Teams(new server.Client().setEndpoint(api.endpoint).setProject(project).setKey(secret));

  const mailJobs = async () => {
    const queue = api.app.get<Queue>(getQueueToken(QueueName.Mails), { strict: false });
    return queue.getJobs(['waiting', 'delayed']);
  };

  /** Audit entries the route effects queued (no audits worker runs here). */
  const auditJobs = async (event: string, resource: string) => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const entries = (await api.queuedAudits()).filter((entry) => entry.event === event && entry.resource === resource);
      if (entries.length) return entries;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return [];
  };

  const expectError = (promise: Promise<unknown>, code: number, type: string) => expect(promise).rejects.toMatchObject({ code, type });

  beforeAll(async () => {
    api = await createTestApi([TeamsApiModule], { env: { _APP_SMTP_HOST: 'smtp.invalid', _APP_OPTIONS_ABUSE: 'enabled' } });
    const seeded = await api.seedProject(['teams.read', 'teams.write', 'users.read']);
    projectId = seeded.projectId;
    key = seeded.key;
    await repo(PlatformRepository).create(projectId, { uid: generateId(), type: 'web', name: 'App', hostname: APP_HOST, key: null, store: null });
    owner = await seedUser(projectId, { name: 'Olive Owner', email: 'olive@example.com' });
    outsider = await seedUser(projectId, { name: 'Otto Outsider', email: 'otto@example.com' });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  describe('with an API key', () => {
    it('creates, reads, renames and lists teams; no membership is created', async () => {
      const teams = keyClient();
      const team = await teams.create('key-team', 'Key Team');
      expect(Object.keys(team).sort()).toEqual(TEAM_KEYS);
      expect(team).toMatchObject({ $id: 'key-team', name: 'Key Team', total: 0, prefs: {} });
      expect(team.$createdAt).toMatch(DATE);
      expect((await teams.listMemberships('key-team')).total).toBe(0);

      await expectError(teams.create('key-team', 'Again'), 409, 'document_already_exists');
      expect((await teams.updateName('key-team', 'Renamed')).name).toBe('Renamed');
      expect((await teams.get('key-team')).name).toBe('Renamed');

      const generated = await teams.create(server.ID.unique(), 'Zeta');
      expect(generated.$id).toMatch(/^[0-9a-f]{20}$/);
      const all = await teams.list();
      expect(all.total).toBeGreaterThanOrEqual(2);
      expect((await teams.list([server.Query.equal('name', 'Zeta')])).teams.map((t: { $id: string }) => t.$id)).toEqual([generated.$id]);
      expect((await teams.list([], 'Renamed')).teams.map((t: { $id: string }) => t.$id)).toEqual(['key-team']);
      await expectError(teams.list([server.Query.equal('secret', 'x')]), 400, 'general_argument_invalid');
    });

    it('adds members confirmed at once, counts them, rejects duplicates and removes them', async () => {
      const teams = keyClient();
      await teams.create('staff', 'Staff');
      const membership = await teams.createMembership('staff', ['editor'], `https://${APP_HOST}/join`, 'New.Person@Example.com', undefined, undefined, 'New Person');
      expect(Object.keys(membership).sort()).toEqual(MEMBERSHIP_KEYS);
      expect(membership).toMatchObject({ teamId: 'staff', teamName: 'Staff', userEmail: 'new.person@example.com', userName: 'New Person', confirm: true, roles: ['editor'] });
      expect(membership.joined).toMatch(DATE);
      const invitee = await repo(UserRepository).findByEmail(projectId, 'new.person@example.com');
      expect(invitee?.uid).toBe(membership.userId);
      expect((await teams.get('staff')).total).toBe(1);
      expect(await mailJobs()).toHaveLength(0);

      await expectError(teams.createMembership('staff', ['editor'], `https://${APP_HOST}/join`, 'new.person@example.com'), 409, 'team_invite_already_exists');
      await expectError(teams.createMembership('staff', ['editor'], `https://evil.example.net/join`, 'x@example.com'), 400, 'general_argument_invalid');
      await expectError(teams.createMembership('staff', ['editor'], `https://${APP_HOST}/join`), 400, 'general_argument_invalid');
      await expectError(teams.createMembership('staff', ['bad role!'], `https://${APP_HOST}/join`, 'y@example.com'), 400, 'general_argument_invalid');

      const byId = await teams.createMembership('staff', ['viewer'], `https://${APP_HOST}/join`, undefined, outsider.user.uid);
      expect(byId).toMatchObject({ userId: outsider.user.uid, confirm: true });
      expect((await teams.get('staff')).total).toBe(2);

      const confirmed = await teams.listMemberships('staff', [server.Query.equal('userId', outsider.user.uid)]);
      expect(confirmed.memberships.map((m: { $id: string }) => m.$id)).toEqual([byId.$id]);
      expect((await teams.listMemberships('staff', [server.Query.limit(1)])).memberships).toHaveLength(1);
      expect((await teams.listMemberships('staff', [server.Query.limit(1)])).total).toBe(2);
      expect((await teams.listMemberships('staff', [], membership.userId)).memberships.map((m: { $id: string }) => m.$id)).toEqual([membership.$id]);

      expect((await teams.getMembership('staff', byId.$id)).userName).toBe('Otto Outsider');
      expect((await teams.updateMembershipRoles('staff', byId.$id, ['admin', 'viewer'])).roles).toEqual(['admin', 'viewer']);

      await teams.deleteMembership('staff', byId.$id);
      expect((await teams.get('staff')).total).toBe(1);
      await expectError(teams.getMembership('staff', byId.$id), 404, 'membership_not_found');
      await expectError(teams.deleteMembership('key-team', membership.$id), 404, 'team_membership_mismatch');
    });

    it('reads and replaces prefs, deletes a team with its memberships', async () => {
      const teams = keyClient();
      expect(await teams.updatePrefs('staff', { theme: 'dark' })).toEqual({ theme: 'dark' });
      expect(await teams.getPrefs('staff')).toEqual({ theme: 'dark' });
      expect((await teams.get('staff')).prefs).toEqual({ theme: 'dark' });

      // X-Appwrite-Timestamp: a write based on an older read is refused.
      const stale = new server.Client().setEndpoint(api.endpoint).setProject(projectId).setKey(key);
      stale.addHeader('X-Appwrite-Timestamp', new Date(Date.now() - 60_000).toISOString());
      await expectError(new server.Teams(stale).updateName('staff', 'Late'), 409, 'document_update_conflict');
      await expectError(new server.Teams(stale).delete('staff'), 409, 'document_update_conflict');
      stale.addHeader('X-Appwrite-Timestamp', 'yesterday-ish');
      await expectError(new server.Teams(stale).updatePrefs('staff', {}), 400, 'general_argument_invalid');
      stale.addHeader('X-Appwrite-Timestamp', new Date(Date.now() + 60_000).toISOString());
      expect((await new server.Teams(stale).updateName('staff', 'Staff')).name).toBe('Staff');

      const team = await repo(TeamRepository).findByUid(projectId, 'staff');
      expect(await repo(MembershipRepository).count(projectId, { teamInternalId: team!.internalId })).toBe(1);
      expect(await teams.delete('staff')).toBe('');
      await expectError(teams.get('staff'), 404, 'team_not_found');
      expect(await repo(MembershipRepository).count(projectId, { teamInternalId: team!.internalId })).toBe(0);
    });

    it('needs the teams scopes and a key of this project', async () => {
      const readOnly = await api.seedProject(['teams.read']);
      await expectError(keyClient(readOnly.key, readOnly.projectId).create('x', 'X'), 401, 'general_unauthorized_scope');
      expect((await keyClient(readOnly.key, readOnly.projectId).list()).total).toBe(0);
      await expectError(keyClient(readOnly.key).list(), 401, 'general_unauthorized_scope');
      await expectError(webClient().list(), 401, 'general_unauthorized_scope');
    });
  });

  describe('with user sessions', () => {
    let teamId: string;
    let invite: { membershipId: string; userId: string; secret: string; teamId: string; link: URL };

    it('makes the creating user an owner member', async () => {
      const team = await webClient(owner.session).create(web.ID.unique(), 'Users Team');
      teamId = team.$id;
      expect(team.total).toBe(1);
      const list = await webClient(owner.session).listMemberships(teamId);
      expect(list.total).toBe(1);
      expect(list.memberships[0]).toMatchObject({ userId: owner.user.uid, userName: 'Olive Owner', roles: ['owner'], confirm: true, teamName: 'Users Team' });
      const mine = await webClient(owner.session).list();
      expect(mine.teams.map((t) => t.$id)).toEqual([teamId]);

      const custom = await webClient(owner.session).create(web.ID.unique(), 'Custom roles', ['lead']);
      const created = await webClient(owner.session).listMemberships(custom.$id);
      expect(created.memberships[0].roles).toEqual(['lead']);
    });

    it('hides the team from non-members', async () => {
      const teams = webClient(outsider.session);
      await expectError(teams.get(teamId), 404, 'team_not_found');
      await expectError(teams.updateName(teamId, 'Hijack'), 404, 'team_not_found');
      await expectError(teams.delete(teamId), 404, 'team_not_found');
      await expectError(teams.listMemberships(teamId), 404, 'team_not_found');
      await expectError(teams.getPrefs(teamId), 404, 'team_not_found');
      expect((await teams.list()).total).toBe(0);
    });

    it('refuses invites to hosts that are not platforms, and when invites are disabled', async () => {
      const teams = webClient(owner.session);
      await expectError(teams.createMembership(teamId, ['developer'], 'https://evil.example.net/accept', 'otto@example.com'), 400, 'general_argument_invalid');

      const projects = repo(ProjectRepository);
      const project = await projects.findByUid(CONSOLE_PROJECT_ID, projectId);
      await projects.update(CONSOLE_PROJECT_ID, projectId, { auths: { ...project!.auths, methods: { invites: false } } });
      repo(ProjectContextService).invalidate(projectId);
      try {
        await expectError(teams.createMembership(teamId, ['developer'], `https://${APP_HOST}/accept`, 'otto@example.com'), 501, 'user_auth_method_unsupported');
      } finally {
        await projects.update(CONSOLE_PROJECT_ID, projectId, { auths: project!.auths });
        repo(ProjectContextService).invalidate(projectId);
      }
    });

    it('invites by mail: a pending membership with the link on the mails queue', async () => {
      const membership = await webClient(owner.session).createMembership(teamId, ['developer'], `https://${APP_HOST}/accept?from=mail`, 'OTTO@example.com');
      expect(membership).toMatchObject({ userId: outsider.user.uid, confirm: false, joined: '', roles: ['developer'], teamName: 'Users Team' });
      expect(membership.invited).toMatch(DATE);
      expect((await webClient(owner.session).get(teamId)).total).toBe(1);

      const jobs = (await mailJobs()).filter((job) => job.data.recipient === 'otto@example.com');
      expect(jobs).toHaveLength(1);
      const { data } = jobs[0];
      expect(data).toMatchObject({ template: 'invitation', projectId, variables: { team: 'Users Team', inviter: 'Olive Owner', project: 'Test project' } });
      const link = new URL(data.variables.link);
      expect(link.host).toBe(APP_HOST);
      expect(link.pathname).toBe('/accept');
      expect(link.searchParams.get('from')).toBe('mail');
      expect(link.searchParams.get('membershipId')).toBe(membership.$id);
      expect(link.searchParams.get('userId')).toBe(outsider.user.uid);
      expect(link.searchParams.get('teamId')).toBe(teamId);
      const secret = link.searchParams.get('secret') ?? '';
      expect(secret.length).toBeGreaterThan(64);
      const stored = await repo(MembershipRepository).findByUid(projectId, membership.$id);
      expect(stored?.secret).toBe(hashSecret(secret));
      invite = { membershipId: membership.$id, userId: outsider.user.uid, secret, teamId, link };

      await expectError(webClient(owner.session).createMembership(teamId, ['developer'], `https://${APP_HOST}/accept`, 'otto@example.com'), 409, 'team_invite_already_exists');
      // A pending invite grants nothing yet.
      await expectError(webClient(outsider.session).get(teamId), 404, 'team_not_found');
    });

    it('refuses a wrong secret, a wrong user, and API keys', async () => {
      const guest = webClient();
      await expectError(guest.updateMembershipStatus(teamId, invite.membershipId, invite.userId, 'wrong'), 401, 'team_invalid_secret');
      await expectError(guest.updateMembershipStatus(teamId, invite.membershipId, owner.user.uid, invite.secret), 401, 'team_invite_mismatch');
      await expectError(webClient(owner.session).updateMembershipStatus(teamId, invite.membershipId, invite.userId, invite.secret), 401, 'team_invite_mismatch');
      await expectError(guest.updateMembershipStatus('other', invite.membershipId, invite.userId, invite.secret), 404, 'team_membership_mismatch');
      await expectError(keyClient().updateMembershipStatus(teamId, invite.membershipId, invite.userId, invite.secret), 401, 'general_unauthorized_scope');
    });

    it('accepts with the secret from the link: confirmed, counted, verified, signed in with team roles', async () => {
      const guest = webClient();
      const { result, stored } = await inBrowser(() => guest.updateMembershipStatus(invite.teamId, invite.membershipId, invite.userId, invite.secret));
      expect(result).toMatchObject({ $id: invite.membershipId, confirm: true, userEmail: 'otto@example.com', userName: 'Otto Outsider' });
      expect(result.joined).toMatch(DATE);
      await expectError(guest.updateMembershipStatus(invite.teamId, invite.membershipId, invite.userId, invite.secret), 409, 'membership_already_confirmed');
      const audits = await auditJobs('membership.update', `team/${teamId}`);
      expect(audits.map((entry) => entry.data.$id)).toContain(invite.membershipId);
      expect((await auditJobs('team.create', `team/${teamId}`)).map((entry) => entry.userId)).toEqual([owner.user.uid]);

      const fallback = JSON.parse(stored.cookieFallback ?? '{}') as Record<string, string>;
      const session = fallback[`a_session_${projectId}`];
      expect(session).toBeTruthy();
      const asInvitee = webClient(session);
      const team = await asInvitee.get(teamId);
      expect(team.total).toBe(2);
      expect((await asInvitee.list()).teams.map((t) => t.$id)).toEqual([teamId]);
      expect((await repo(UserRepository).findByUid(projectId, invite.userId))?.emailVerification).toBe(true);

      // A member without the owner role may read but not change the team or its members.
      await expectError(asInvitee.updateName(teamId, 'Mine now'), 401, 'user_unauthorized');
      await expectError(asInvitee.updatePrefs(teamId, { a: 1 }), 401, 'user_unauthorized');
      await expectError(asInvitee.delete(teamId), 401, 'user_unauthorized');
      await expectError(asInvitee.createMembership(teamId, ['owner'], `https://${APP_HOST}/accept`, 'third@example.com'), 401, 'user_unauthorized');
      const ownerMembership = (await asInvitee.listMemberships(teamId, [web.Query.equal('userId', owner.user.uid)])).memberships[0];
      await expectError(asInvitee.updateMembershipRoles(teamId, ownerMembership.$id, ['guest']), 401, 'user_unauthorized');
      await expectError(asInvitee.deleteMembership(teamId, ownerMembership.$id), 401, 'user_unauthorized');
      expect(await repo(UserRepository).findByEmail(projectId, 'third@example.com')).toBeNull();

      // Promoted to owner, the same session may rename the team.
      await webClient(owner.session).updateMembershipRoles(teamId, invite.membershipId, ['owner']);
      expect((await asInvitee.updateName(teamId, 'Shared')).name).toBe('Shared');
      expect((await webClient(owner.session).getPrefs(teamId))).toEqual({});
    });

    it('sets both session cookies on acceptance and creates unknown invitees', async () => {
      const membership = await webClient(owner.session).createMembership(teamId, ['viewer'], `https://${APP_HOST}/accept`, 'fresh@example.com', undefined, undefined, 'Fresh Face');
      expect(membership.userName).toBe('Fresh Face');
      const job = (await mailJobs()).find((j) => j.data.recipient === 'fresh@example.com');
      const link = new URL(job!.data.variables.link);
      const response = await fetch(`${api.endpoint}/teams/${teamId}/memberships/${membership.$id}/status`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-appwrite-project': projectId },
        body: JSON.stringify({ userId: link.searchParams.get('userId'), secret: link.searchParams.get('secret') }),
      });
      expect(response.status).toBe(200);
      const cookies = response.headers.getSetCookie();
      expect(cookies.some((c) => c.startsWith(`a_session_${projectId}=`) && c.includes('HttpOnly'))).toBe(true);
      expect(cookies.some((c) => c.startsWith(`a_session_${projectId}_legacy=`))).toBe(true);
      expect((await webClient(owner.session).get(teamId)).total).toBe(3);
    });

    it('lets a member leave, and an owner remove members; totals follow', async () => {
      const otto = (await webClient(owner.session).listMemberships(teamId, [web.Query.equal('userId', outsider.user.uid)])).memberships[0];
      await webClient(outsider.session).deleteMembership(teamId, otto.$id);
      expect((await webClient(owner.session).get(teamId)).total).toBe(2);
      await expectError(webClient(outsider.session).get(teamId), 404, 'team_not_found');

      const pending = await webClient(owner.session).createMembership(teamId, ['viewer'], `https://${APP_HOST}/accept`, 'pending@example.com');
      await webClient(owner.session).deleteMembership(teamId, pending.$id);
      expect((await webClient(owner.session).get(teamId)).total).toBe(2);
      await expectError(webClient(outsider.session).deleteMembership(teamId, otto.$id), 404, 'membership_not_found');
    });

    it('sends a phone-only invite by SMS and limits invites to 10 per hour per URL and IP', async () => {
      const team = await webClient(owner.session).create(web.ID.unique(), 'Phones');
      const sms = await webClient(owner.session).createMembership(team.$id, ['viewer'], `https://${APP_HOST}/accept`, undefined, undefined, '+14155550101');
      expect(sms.confirm).toBe(false);
      const queue = api.app.get<Queue>(getQueueToken(QueueName.Messaging), { strict: false });
      const jobs = (await queue.getJobs(['waiting', 'delayed'])).filter((job) => job.data.recipient === '+14155550101');
      expect(jobs).toHaveLength(1);
      expect(new URL(jobs[0].data.message).searchParams.get('membershipId')).toBe(sms.$id);

      // One browser (one IP) inviting to the same team URL: the 11th call in the hour is refused.
      const client = new web.Client().setEndpoint(api.endpoint).setProject(projectId);
      const headers = (client as unknown as { headers: Record<string, string> }).headers;
      headers['X-Forwarded-For'] = '10.3.0.1';
      headers['X-Fallback-Cookies'] = JSON.stringify({ [`a_session_${projectId}`]: owner.session });
      const teams = new web.Teams(client);
      for (let i = 0; i < 10; i++) await teams.createMembership(team.$id, ['viewer'], `https://${APP_HOST}/accept`, `bulk${i}@example.com`);
      await expectError(teams.createMembership(team.$id, ['viewer'], `https://${APP_HOST}/accept`, 'bulk10@example.com'), 429, 'general_rate_limit_exceeded');
      // API keys are never limited.
      expect((await keyClient().createMembership(team.$id, ['viewer'], `https://${APP_HOST}/accept`, 'bulk10@example.com')).confirm).toBe(true);
    });

    it('lets owners delete their team', async () => {
      await webClient(owner.session).delete(teamId);
      await expectError(webClient(owner.session).get(teamId), 404, 'team_not_found');
    });
  });

  describe('team logs', () => {
    it('are served to console admins of the project only', async () => {
      const admin = await seedUser(CONSOLE_PROJECT_ID, { name: 'Ada Admin', email: 'ada@example.com' });
      const consoleTeam = await repo(TeamRepository).create(CONSOLE_PROJECT_ID, { uid: generateId(), name: 'Org', total: 1, prefs: {} });
      await repo(MembershipRepository).create(CONSOLE_PROJECT_ID, {
        uid: generateId(),
        userInternalId: admin.user.internalId,
        userId: admin.user.uid,
        teamInternalId: consoleTeam.internalId,
        teamId: consoleTeam.uid,
        roles: ['owner'],
        confirm: true,
        joined: new Date(),
        invited: new Date(),
        secret: '',
      });
      await repo(ProjectRepository).update(CONSOLE_PROJECT_ID, projectId, { teamId: consoleTeam.uid });
      repo(ProjectContextService).invalidate(projectId);

      await keyClient().create('logged', 'Logged');
      await repo(AuditRepository).insert(projectId, { id: generateId(), event: 'team.create', resource: 'team/logged', userId: '', mode: 'admin', ip: '10.0.0.1', userAgent: 'Mozilla/5.0' });
      await repo(AuditRepository).insert(projectId, { id: generateId(), event: 'user.create', resource: 'user/else' });

      // Neither SDK has teams.listLogs (console SDK only): call the route through the clients' own call().
      const listLogs = (client: { call(method: string, path: string, headers: object, params: object): Promise<unknown> }) =>
        client.call('get', '/teams/logged/logs', { 'content-type': 'application/json' }, {}) as Promise<{ total: number; logs: Record<string, string>[] }>;
      const adminClient = new server.Client().setEndpoint(api.endpoint).setProject(projectId);
      adminClient.addHeader('X-Appwrite-Mode', 'admin');
      adminClient.addHeader('X-Fallback-Cookies', JSON.stringify({ a_session_console: admin.session }));
      const logs = await listLogs(adminClient);
      expect(logs.total).toBe(1);
      expect(logs.logs[0]).toMatchObject({ event: 'team.create', mode: 'admin', ip: '10.0.0.1' });
      expect(logs.logs[0].time).toMatch(DATE);
      // Admins see every team without being a member.
      expect((await new server.Teams(adminClient).get('logged')).name).toBe('Logged');

      // Console admins add confirmed members like API keys do.
      const added = await new server.Teams(adminClient).createMembership('logged', ['owner'], `https://${APP_HOST}/x`, undefined, owner.user.uid);
      expect(added).toMatchObject({ confirm: true, userId: owner.user.uid });
      expect((await new server.Teams(adminClient).get('logged')).total).toBe(1);

      await expectError(listLogs(new server.Client().setEndpoint(api.endpoint).setProject(projectId).setKey(key)), 401, 'general_unauthorized_scope');
      const userClient = new server.Client().setEndpoint(api.endpoint).setProject(projectId);
      userClient.addHeader('X-Fallback-Cookies', JSON.stringify({ [`a_session_${projectId}`]: owner.session }));
      await expectError(listLogs(userClient), 401, 'general_unauthorized_scope');
    });
  });
});
