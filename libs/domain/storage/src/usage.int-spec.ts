import { encodeSession, generateSecret, hashSecret } from '@appconda/auth';
import { FileRepository, MembershipRepository, SessionRepository, TeamRepository, UserEntity, UserRepository } from '@appconda/database';
import { createTestApi, TestApi } from '@appconda/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sdk from 'node-appwrite';

import { StorageApiModule } from './storage-api.module';

interface Point {
  value: number;
  date: string;
}
type Usage = Record<string, Point[]> & { range: string };

describe('storage usage routes (real MariaDB/Redis, console admin mode)', () => {
  let api: TestApi;
  let root: string;
  let projectId: string;
  let key: string;
  let adminCookie: string;
  let memberCookie: string;

  /** A session row and its cookie, as the account routes would have issued it. */
  const cookieFor = async (project: string, user: UserEntity) => {
    const secret = generateSecret();
    await api.app.get(SessionRepository).create(project, { uid: generateSecret(8), userInternalId: user.internalId, userId: user.uid, provider: 'email', secret: hashSecret(secret), expire: new Date(Date.now() + 3600_000) });
    return `a_session_${project}=${encodeSession({ id: user.uid, secret })}`;
  };
  const get = async (path: string, headers: Record<string, string>) => {
    const response = await fetch(`${api.endpoint}${path}`, { headers: { 'x-appwrite-project': projectId, ...headers } });
    return { status: response.status, body: (await response.json()) as Usage & { type?: string } };
  };
  const asAdmin = (path: string) => get(path, { 'x-appwrite-mode': 'admin', cookie: adminCookie });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'appconda-storage-usage-'));
    api = await createTestApi([StorageApiModule], { env: { _APP_STORAGE_ROOT: root } });

    // A console user who owns the team the project belongs to: the console's "admin mode".
    const admin = await api.app.get(UserRepository).create('console', { uid: 'admin1', name: 'Admin', email: 'admin@console.test', registration: new Date(), prefs: {}, passwordHistory: [] });
    const team = await api.app.get(TeamRepository).create('console', { uid: 'cteam', name: 'Console team', total: 1, prefs: {} });
    await api.app.get(MembershipRepository).create('console', {
      uid: 'cm1',
      userInternalId: admin.internalId,
      userId: admin.uid,
      teamInternalId: team.internalId,
      teamId: team.uid,
      roles: ['owner'],
      invited: new Date(),
      joined: new Date(),
      confirm: true,
      secret: '',
    });
    ({ projectId, key } = await api.seedProject(['buckets.read', 'buckets.write', 'files.read', 'files.write'], { teamId: 'cteam', teamInternalId: team.internalId }));
    adminCookie = await cookieFor('console', admin);
    const member = await api.app.get(UserRepository).create(projectId, { uid: 'member1', name: 'Member', email: 'member@example.com', registration: new Date(), prefs: {}, passwordHistory: [] });
    memberCookie = await cookieFor(projectId, member);

    // Plain buckets (no compression, no encryption) so the stored size is the uploaded size.
    const storage = new sdk.Storage(new sdk.Client().setEndpoint(api.endpoint).setProject(projectId).setKey(key));
    await storage.createBucket('photos', 'Photos', undefined, false, true, undefined, undefined, 'none', false, false);
    await storage.createBucket('docs', 'Docs', undefined, false, true, undefined, undefined, 'none', false, false);
    await storage.createBucket('empty', 'Empty', undefined, false, true, undefined, undefined, 'none', false, false);
    await storage.createFile('photos', 'a', sdk.InputFile.fromBuffer(Buffer.alloc(1000, 1), 'a.bin'));
    await storage.createFile('photos', 'b', sdk.InputFile.fromBuffer(Buffer.alloc(2500, 2), 'b.bin'));
    await storage.createFile('docs', 'c', sdk.InputFile.fromBuffer(Buffer.alloc(700, 3), 'c.txt'));
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('charts buckets, files and stored bytes project-wide, the latest point holding the current totals', async () => {
    const { status, body } = await asAdmin('/storage/usage');
    expect(status).toBe(200);
    expect(body.range).toBe('30d');
    expect(Object.keys(body).sort()).toEqual(
      ['range', 'storage', 'filesCount', 'bucketsCount', 'bucketsCreate', 'bucketsRead', 'bucketsUpdate', 'bucketsDelete', 'filesCreate', 'filesRead', 'filesUpdate', 'filesDelete'].sort(),
    );
    expect(body.storage).toHaveLength(30);
    expect(body.bucketsCount.at(-1)!.value).toBe(3);
    expect(body.bucketsCreate.at(-1)!.value).toBe(3);
    expect(body.filesCount.at(-1)!.value).toBe(3);
    expect(body.filesCreate.at(-1)!.value).toBe(3);
    expect(body.storage.at(-1)!.value).toBe(4200);
    // Everything was created today: the earlier points are empty.
    expect(body.filesCount.slice(0, -1).every((point) => point.value === 0)).toBe(true);
    // Not counted anywhere yet.
    expect(body.filesRead.every((point) => point.value === 0)).toBe(true);
    expect(body.bucketsDelete.every((point) => point.value === 0)).toBe(true);

    // The stored sizes really are the files table's sizeActual sum.
    const rows = await api.app.get(FileRepository).list(projectId, {});
    expect(rows.reduce((sum, row) => sum + Number(row.sizeActual), 0)).toBe(4200);

    const date = body.storage.at(-1)!.date;
    expect(date).toMatch(/^\d{4}-\d\d-\d\dT00:00:00\.000\+00:00$/);
    expect(date.slice(0, 10)).toBe(new Date().toISOString().slice(0, 10));
  });

  it('charts one bucket from its own files only', async () => {
    const photos = await asAdmin('/storage/photos/usage?range=7d');
    expect(photos.status).toBe(200);
    expect(Object.keys(photos.body).sort()).toEqual(['range', 'filesCount', 'filesStorage', 'filesCreate', 'filesRead', 'filesUpdate', 'filesDelete'].sort());
    expect(photos.body.range).toBe('7d');
    expect(photos.body.filesCount).toHaveLength(7);
    expect(photos.body.filesCount.at(-1)!.value).toBe(2);
    expect(photos.body.filesStorage.at(-1)!.value).toBe(3500);
    expect(photos.body.filesCreate.at(-1)!.value).toBe(2);

    const docs = await asAdmin('/storage/docs/usage');
    expect(docs.body.filesStorage.at(-1)!.value).toBe(700);
    const empty = await asAdmin('/storage/empty/usage');
    expect(empty.body.filesCount.every((point) => point.value === 0)).toBe(true);
  });

  it('sizes the series by range: 48 half-hours for 24h, days otherwise; other ranges are refused', async () => {
    const day = await asAdmin('/storage/usage?range=24h');
    expect(day.body.storage).toHaveLength(48);
    expect(day.body.storage.at(-1)!.value).toBe(4200);
    expect(day.body.storage.at(-1)!.date).toMatch(/T\d\d:(00|30):00\.000\+00:00$/);
    expect(Date.parse(day.body.storage[1].date) - Date.parse(day.body.storage[0].date)).toBe(1800_000);
    expect((await asAdmin('/storage/usage?range=7d')).body.bucketsCount).toHaveLength(7);
    expect((await asAdmin('/storage/usage?range=90d')).body.bucketsCount).toHaveLength(90);
    expect((await asAdmin('/storage/photos/usage?range=24h')).body.filesStorage).toHaveLength(48);

    const bad = await asAdmin('/storage/usage?range=1y');
    expect(bad.status).toBe(400);
    expect(bad.body.type).toBe('general_argument_invalid');
  });

  it('answers 404 storage_bucket_not_found for an unknown bucket', async () => {
    const { status, body } = await asAdmin('/storage/nope/usage');
    expect(status).toBe(404);
    expect(body.type).toBe('storage_bucket_not_found');
  });

  it('refuses API keys (even with files.read), project users and guests: 401 general_unauthorized_scope', async () => {
    const callers: Record<string, string>[] = [{ 'x-appwrite-key': key }, { cookie: memberCookie }, {}];
    for (const headers of callers) {
      for (const path of ['/storage/usage', '/storage/photos/usage']) {
        const { status, body } = await get(path, headers);
        expect(status).toBe(401);
        expect(body.type).toBe('general_unauthorized_scope');
      }
    }
  });
});
