import { hashSecret } from '@appconda/auth';
import { AuditEntry } from '@appconda/contracts';
import { createTestDatabase, KeyFactory, ProjectFactory, TestDatabase, UserFactory } from '@appconda/testing';

import {
  AuditRepository,
  CONSOLE_PROJECT_ID,
  Database,
  KeyRepository,
  MembershipRepository,
  ProjectRepository,
  SessionRepository,
  TeamRepository,
  TokenRepository,
  UserRepository,
} from './index';

describe('repositories', () => {
  let db: TestDatabase;
  let database: Database;
  let audits: AuditRepository;
  let keys: KeyRepository;
  let memberships: MembershipRepository;
  let projects: ProjectRepository;
  let sessions: SessionRepository;
  let teams: TeamRepository;
  let tokens: TokenRepository;
  let users: UserRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    database = new Database(db.pool, db.dataSource);
    audits = new AuditRepository(db.dataSource, db.pool);
    keys = new KeyRepository(db.dataSource);
    memberships = new MembershipRepository(db.dataSource);
    projects = new ProjectRepository(db.dataSource);
    sessions = new SessionRepository(db.dataSource);
    teams = new TeamRepository(db.dataSource);
    tokens = new TokenRepository(db.dataSource);
    users = new UserRepository(db.dataSource);
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('stores and reads back columns, JSON and millisecond UTC timestamps', async () => {
    const registration = new Date('2024-02-29T23:59:58.123Z');
    const sut = await UserFactory.from({ prefs: { theme: 'dark', n: 1 }, registration }).create(users, 'p-roundtrip');
    expect(sut.internalId).toMatch(/^\d+$/);
    expect(sut.project).toBe('p-roundtrip');
    expect(sut.prefs).toEqual({ theme: 'dark', n: 1 });
    expect(sut.permissions).toEqual([]);
    expect(sut.status).toBe(true);
    expect(sut.registration.toISOString()).toBe('2024-02-29T23:59:58.123Z');
    expect(sut.createdAt).toBeInstanceOf(Date);
    const [raw] = (await db.pool.query('SELECT CAST(registration AS CHAR) AS r FROM users WHERE _id = ?', [sut.internalId])) as { r: string }[];
    expect(raw.r).toBe('2024-02-29 23:59:58.123');
  });

  it('rejects a missing project id instead of querying unscoped', async () => {
    await expect(users.findByUid('', 'x')).rejects.toThrow(/project id/);
    await expect(users.list(undefined as unknown as string)).rejects.toThrow(/project id/);
    await expect(audits.insert('', { id: 'j', event: 'e' })).rejects.toThrow(/project id/);
  });

  describe('project scoping', () => {
    const A = 'project-a';
    const B = 'project-b';

    it('keeps a project A user invisible to every read method for project B', async () => {
      const user = await UserFactory.from({ email: 'same@example.test', phone: '+15550001' }).create(users, A);
      expect(await users.findByUid(A, user.uid)).not.toBeNull();
      expect(await users.findByUid(B, user.uid)).toBeNull();
      expect(await users.findByInternalId(B, user.internalId)).toBeNull();
      expect(await users.findOne(B, { uid: user.uid })).toBeNull();
      expect(await users.findByEmail(B, 'same@example.test')).toBeNull();
      expect(await users.findByPhone(B, '+15550001')).toBeNull();
      expect(await users.list(B, { where: { uid: user.uid } })).toEqual([]);
      expect(await users.count(B, { email: 'same@example.test' })).toBe(0);
      expect(await users.findByEmail(A, 'same@example.test')).toMatchObject({ uid: user.uid });
    });

    it('lets the same $id and email exist once per project, and only once', async () => {
      const a = await UserFactory.from({ uid: 'shared-id', email: 'dup@example.test' }).create(users, A);
      const b = await UserFactory.from({ uid: 'shared-id', email: 'dup@example.test' }).create(users, B);
      expect(a.internalId).not.toBe(b.internalId);
      await expect(UserFactory.from({ email: 'dup@example.test' }).create(users, A)).rejects.toThrow(/Duplicate/);
      await expect(UserFactory.from({ uid: 'shared-id' }).create(users, A)).rejects.toThrow(/Duplicate/);
    });

    it('does not let project B update or delete project A rows', async () => {
      const user = await UserFactory.from({ name: 'Ann' }).create(users, A);
      expect(await users.update(B, user.uid, { name: 'Mallory' })).toBeNull();
      expect(await users.delete(B, user.uid)).toBe(false);
      const countA = await users.count(A);
      await users.deleteAll(B);
      expect(await users.count(B)).toBe(0);
      expect(await users.count(A)).toBe(countA);
      expect(await users.findByUid(A, user.uid)).toMatchObject({ name: 'Ann' });
      const updated = await users.update(A, user.uid, { name: 'Anna' });
      expect(updated).toMatchObject({ name: 'Anna' });
      expect(updated!.updatedAt.getTime()).toBeGreaterThanOrEqual(user.updatedAt.getTime());
    });

    it('scopes keys, sessions, tokens, teams, memberships and projects', async () => {
      const key = await KeyFactory.from().create(keys, A);
      expect(await keys.findBySecret(A, hashSecret(key.secret))).toMatchObject({ uid: key.uid, scopes: ['users.read'] });
      expect(await keys.findBySecret(B, hashSecret(key.secret))).toBeNull();
      await keys.touch(B, key.uid);
      expect((await keys.findByUid(A, key.uid))!.accessedAt).toBeNull();

      const user = await UserFactory.from().create(users, A);
      const session = await sessions.create(A, { uid: 's1', userId: user.uid, userInternalId: user.internalId, provider: 'email', secret: 'hash' });
      expect(await sessions.listByUser(A, user.internalId)).toHaveLength(1);
      expect(await sessions.listByUser(B, user.internalId)).toEqual([]);
      expect(await sessions.findByUid(B, session.uid)).toBeNull();
      expect(await sessions.deleteByUser(B, user.internalId)).toBe(0);

      await tokens.create(A, { uid: 't1', userId: user.uid, userInternalId: user.internalId, type: 3, secret: 'hash', expire: new Date() });
      expect(await tokens.listByUser(A, user.internalId)).toHaveLength(1);
      expect(await tokens.listByUser(B, user.internalId)).toEqual([]);

      const team = await teams.create(A, { uid: 'team1', name: 'Team' });
      await teams.adjustTotal(B, team.uid, 5);
      await teams.adjustTotal(A, team.uid, 2);
      await teams.adjustTotal(A, team.uid, -3);
      expect((await teams.findByUid(A, team.uid))!.total).toBe(0);
      await teams.adjustTotal(A, team.uid, 1);
      expect((await teams.findByUid(A, team.uid))!.total).toBe(1);

      await memberships.create(A, { uid: 'm1', userId: user.uid, userInternalId: user.internalId, teamId: team.uid, teamInternalId: team.internalId, roles: ['owner'] });
      expect(await memberships.findByTeamAndUser(A, team.internalId, user.internalId)).toMatchObject({ roles: ['owner'], confirm: false });
      expect(await memberships.findByTeamAndUser(B, team.internalId, user.internalId)).toBeNull();
      expect(await memberships.listByTeam(B, team.internalId)).toEqual([]);
      expect(await memberships.listByUser(B, user.internalId)).toEqual([]);

      const project = await ProjectFactory.from({ name: 'Scoped' }).create(projects);
      expect(project.project).toBe(CONSOLE_PROJECT_ID);
      expect(await projects.findByUid(CONSOLE_PROJECT_ID, project.uid)).toMatchObject({ name: 'Scoped' });
      expect(await projects.findByUid(A, project.uid)).toBeNull();
    });
  });

  describe('transactions', () => {
    it('roll back every write when the work throws', async () => {
      const projectId = 'project-tx';
      await expect(
        database.transaction(async (manager) => {
          const user = await users.with(manager).create(projectId, UserFactory.from({ uid: 'tx-user' }).build());
          await sessions.with(manager).create(projectId, { uid: 'tx-session', userId: user.uid, userInternalId: user.internalId, provider: 'email', secret: 'x' });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await users.findByUid(projectId, 'tx-user')).toBeNull();
      expect(await sessions.findByUid(projectId, 'tx-session')).toBeNull();
    });

    it('commit every write when the work resolves', async () => {
      const projectId = 'project-tx';
      await database.transaction(async (manager) => {
        const user = await users.with(manager).create(projectId, UserFactory.from({ uid: 'tx-user-ok' }).build());
        await sessions.with(manager).create(projectId, { uid: 'tx-session-ok', userId: user.uid, userInternalId: user.internalId, provider: 'email', secret: 'x' });
      });
      expect(await users.findByUid(projectId, 'tx-user-ok')).not.toBeNull();
      expect(await sessions.findByUid(projectId, 'tx-session-ok')).not.toBeNull();
    });
  });

  describe('audit', () => {
    const projectId = 'project-audit';

    // Entries are only written for projects that exist.
    beforeAll(async () => {
      await ProjectFactory.from({ uid: projectId }).create(projects);
      await ProjectFactory.from({ uid: 'project-audit-other' }).create(projects);
    });

    it('drops the entries of a project that is gone, and still writes the console project\'s', async () => {
      const entry = { event: 'users.create', resource: 'user/late', time: new Date() };
      expect(await audits.insertMany([{ ...entry, id: 'late-1', projectId: 'project-deleted' }, { ...entry, id: 'late-2', projectId }, { ...entry, id: 'late-3', projectId: 'console' }])).toBe(2);
      expect(await audits.countByResource('project-deleted', 'user/late')).toBe(0);
      expect(await audits.countByResource(projectId, 'user/late')).toBe(1);
      expect(await audits.countByResource('console', 'user/late')).toBe(1);
    });

    it('waits for a project delete in flight and then drops its entries, leaving no orphan rows', async () => {
      const doomed = await ProjectFactory.from({ uid: 'project-doomed' }).create(projects);
      const connection = await db.pool.getConnection();
      try {
        // Another session deletes the project and has not committed yet (the API's delete request).
        await connection.beginTransaction();
        await connection.query('DELETE FROM `projects` WHERE `_project` = ? AND `_uid` = ?', ['console', doomed.uid]);
        let settled = false;
        const inserting = audits.insertMany([{ id: 'race-1', projectId: doomed.uid, event: 'e', resource: 'race', time: new Date() }]).finally(() => (settled = true));
        await new Promise((resolve) => setTimeout(resolve, 150));
        expect(settled).toBe(false);
        await connection.commit();
        expect(await inserting).toBe(0);
      } finally {
        await connection.release();
      }
      expect(await audits.countByResource(doomed.uid, 'race')).toBe(0);
    });

    it('inserts once per entry id, however often the job is retried', async () => {
      const entry = { id: 'job-42', event: 'users.create', resource: 'user/u1', userId: 'admin', time: new Date('2025-01-01T00:00:00.500Z'), data: { a: 1 } };
      expect(await audits.insert(projectId, entry)).toBe(true);
      expect(await audits.insert(projectId, entry)).toBe(false);
      expect(await audits.insert(projectId, { ...entry, event: 'changed' })).toBe(false);
      const rows = await audits.listByUser(projectId, 'admin');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ uid: 'job-42', event: 'users.create', resource: 'user/u1', data: { a: 1 } });
      expect(rows[0].time.toISOString()).toBe('2025-01-01T00:00:00.500Z');
      expect(await audits.listByUser('other-project', 'admin')).toEqual([]);
    });

    it('takes an AuditEntry as is, storing an empty user as NULL', async () => {
      const job: AuditEntry = {
        id: 'bull-7',
        projectId,
        event: 'account.sessions.create',
        resource: 'user/guest',
        userId: '',
        mode: 'admin',
        data: { provider: 'email' },
        ip: '127.0.0.1',
        userAgent: 'jest',
        time: '2025-03-04T05:06:07.089Z',
      };
      expect(await audits.insert(job.projectId, job)).toBe(true);
      const [row] = await audits.listByResource(projectId, 'user/guest');
      expect(row).toMatchObject({ uid: 'bull-7', userId: null, mode: 'admin', ip: '127.0.0.1', data: { provider: 'email' } });
      expect(row.time.toISOString()).toBe('2025-03-04T05:06:07.089Z');
      await expect(audits.insert(projectId, { ...job, id: 'bad-time', time: 'yesterday' })).rejects.toThrow(/invalid audit time/);
    });

    it('deletes only the project entries older than the cut-off', async () => {
      const other = 'project-audit-other';
      await audits.insert(other, { id: 'old-1', event: 'e', time: new Date('2020-01-01T00:00:00Z') });
      await audits.insert(other, { id: 'old-2', event: 'e', time: new Date('2020-01-02T00:00:00Z') });
      await audits.insert(other, { id: 'new-1', event: 'e', time: new Date('2030-01-01T00:00:00Z') });
      const before = await audits.count(projectId);
      expect(await audits.deleteBefore(other, new Date('2021-01-01T00:00:00Z'), 1)).toBe(1);
      expect(await audits.deleteBefore(other, new Date('2021-01-01T00:00:00Z'))).toBe(1);
      expect((await audits.list(other)).map((r) => r.uid)).toEqual(['new-1']);
      expect(await audits.count(projectId)).toBe(before);
    });

    it('lists by user and by resource, newest first, with limit and offset', async () => {
      for (let i = 0; i < 5; i++) {
        await audits.insert(projectId, { id: `r-${i}`, event: 'documents.update', resource: 'doc/d1', userId: 'u-pager', time: new Date(Date.UTC(2025, 1, 1, 0, 0, i)) });
      }
      const page = await audits.listByResource(projectId, 'doc/d1', { limit: 2, offset: 1 });
      expect(page.map((r) => r.uid)).toEqual(['r-3', 'r-2']);
      expect(await audits.countByResource(projectId, 'doc/d1')).toBe(5);
      expect((await audits.listByUser(projectId, 'u-pager', { limit: 10 })).map((r) => r.uid)).toEqual(['r-4', 'r-3', 'r-2', 'r-1', 'r-0']);
      expect(await audits.countByUser(projectId, 'u-pager')).toBe(5);
      expect(await audits.countByResource('other-project', 'doc/d1')).toBe(0);
    });
  });
});
