import { verifyPassword } from '@appconda/auth';
import { AppException, RequestContext } from '@appconda/core';
import { Database, ProjectRepository, UserEntity, UserRepository } from '@appconda/database';
import { DEFAULT_AUTH_SETTINGS, ProjectContextService } from '@appconda/identity';
import { createHash } from 'node:crypto';

import { isDuplicateKey, isValidEmail, isValidPasswordHash, isValidPhone, isValidPrefs, userSearchText } from './users.rules';
import { UsersService } from './users.service';

function mocks(auths: Partial<typeof DEFAULT_AUTH_SETTINGS> = {}) {
  const users = {
    count: jest.fn().mockResolvedValue(0),
    create: jest.fn(async (_projectId: string, row: Partial<UserEntity>) => ({ ...row, internalId: '1' }) as UserEntity),
    findByEmail: jest.fn().mockResolvedValue(null),
    findByPhone: jest.fn().mockResolvedValue(null),
    findByUid: jest.fn().mockResolvedValue(null),
    update: jest.fn(async (_projectId: string, uid: string, data: Partial<UserEntity>) => ({ uid, ...data }) as UserEntity),
  };
  const bound = { ...users, with: jest.fn(() => users) };
  const db = { transaction: jest.fn((work: (manager: unknown) => Promise<unknown>) => work({})) };
  const contexts = { get: jest.fn().mockResolvedValue({ auths: { ...DEFAULT_AUTH_SETTINGS, ...auths } }) };
  const sut = new UsersService(db as unknown as Database, {} as ProjectRepository, bound as unknown as UserRepository, contexts as unknown as ProjectContextService);
  return { sut, users, contexts };
}

async function failure(promise: Promise<unknown>): Promise<AppException> {
  try {
    await promise;
  } catch (error) {
    return error as AppException;
  }
  throw new Error('expected a failure');
}

describe('UsersService.createUser', () => {
  it('lowercases the email, hashes a plain password with argon2 and fills search and permissions', async () => {
    const { sut, users } = mocks();
    const ctx = { extras: {} } as RequestContext;
    const user = await sut.createUser('p1', { userId: 'ann', email: 'Ann@Example.COM', password: 'password123', name: 'Ann' }, ctx);
    expect(user).toMatchObject({
      uid: 'ann',
      email: 'ann@example.com',
      hash: 'argon2',
      hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 },
      search: 'ann ann@example.com Ann',
      permissions: ['read("any")', 'update("user:ann")', 'delete("user:ann")'],
      passwordHistory: [],
      status: true,
    });
    expect(await verifyPassword('password123', user.password!, 'argon2')).toBe(true);
    expect(user.passwordUpdate).toBeInstanceOf(Date);
    expect(ctx.extras.eventParams).toEqual({ userId: 'ann' });
    expect(users.create).toHaveBeenCalledTimes(1);
  });

  it('stores an imported hash as given, with its options and type', async () => {
    const { sut } = mocks();
    const hash = createHash('sha256').update('pw').digest('hex');
    const user = await sut.createUser('p1', { userId: 'u', email: 'u@example.com', password: hash, hash: 'sha', hashOptions: { version: 'sha256' } });
    expect([user.password, user.hash, user.hashOptions]).toEqual([hash, 'sha', { version: 'sha256', type: 'sha' }]);
    expect(await sut.checkPassword(user, 'pw')).toBe(true);
  });

  it('generates an ID for unique() and leaves a password-less user without password', async () => {
    const { sut } = mocks();
    const user = await sut.createUser('p1', { userId: 'unique()' });
    expect(user.uid).toMatch(/^[0-9a-f]{20}$/);
    expect([user.password, user.passwordUpdate, user.email, user.phone]).toEqual([null, null, null, null]);
  });

  it('answers 409 user_already_exists for a taken email or phone, and for a unique-index clash', async () => {
    const taken = mocks();
    taken.users.findByEmail.mockResolvedValue({ uid: 'x' });
    expect((await failure(taken.sut.createUser('p1', { userId: 'a', email: 'a@example.com' }))).type).toBe('user_already_exists');
    const phone = mocks();
    phone.users.findByPhone.mockResolvedValue({ uid: 'x' });
    expect((await failure(phone.sut.createUser('p1', { userId: 'a', phone: '+15550100' }))).type).toBe('user_already_exists');
    const race = mocks();
    race.users.create.mockRejectedValue(Object.assign(new Error("Duplicate entry 'p1-a' for key '_uid'"), { code: 'ER_DUP_ENTRY' }));
    expect((await failure(race.sut.createUser('p1', { userId: 'a' }))).code).toBe(409);
  });

  it('enforces the project user limit unless told not to', async () => {
    const { sut, users } = mocks({ limit: 2 });
    users.count.mockResolvedValue(2);
    expect((await failure(sut.createUser('p1', { userId: 'a' }))).type).toBe('user_count_exceeded');
    await expect(sut.createUser('p1', { userId: 'a' }, undefined, { enforceLimit: false })).resolves.toMatchObject({ uid: 'a' });
  });

  it('starts the password history when the project keeps one', async () => {
    const { sut } = mocks({ passwordHistory: 3 });
    const user = await sut.createUser('p1', { userId: 'a', password: 'password123' });
    expect(user.passwordHistory).toEqual([user.password]);
  });
});

describe('UsersService updates', () => {
  it('refuses a recently used password when the history is on, and rehashes otherwise', async () => {
    const { sut, users } = mocks({ passwordHistory: 2 });
    const created = await sut.createUser('p1', { userId: 'a', password: 'first-password' });
    users.findByUid.mockResolvedValue(created);
    expect((await failure(sut.updatePassword('p1', 'a', 'first-password'))).type).toBe('password_recently_used');
    const updated = await sut.updatePassword('p1', 'a', 'second-password');
    expect(updated.passwordHistory).toHaveLength(2);
    expect(await verifyPassword('second-password', updated.password!, 'argon2')).toBe(true);
  });

  it('answers 404 user_not_found, 409 for a taken email and keeps search in step', async () => {
    const { sut, users } = mocks();
    expect((await failure(sut.updateName('p1', 'nobody', 'x'))).type).toBe('user_not_found');
    users.findByUid.mockResolvedValue({ uid: 'a', email: 'a@example.com', phone: null, name: 'A' });
    users.findByEmail.mockResolvedValue({ uid: 'b' });
    expect((await failure(sut.updateEmail('p1', 'a', 'b@example.com'))).type).toBe('user_email_already_exists');
    const renamed = await sut.updateName('p1', 'a', 'Alice');
    expect(renamed.search).toBe('a a@example.com Alice');
  });
});

describe('rules and helpers', () => {
  it('validates emails, E.164 phones and prefs size like 1.3', () => {
    expect([isValidEmail('a@example.com'), isValidEmail('a@b'), isValidEmail('no-at.example.com'), isValidEmail('a..b@example.com')]).toEqual([true, false, false, false]);
    expect([isValidPhone('+14155550100'), isValidPhone('+123456789012345'), isValidPhone('+1234567890123456'), isValidPhone('14155550100'), isValidPhone('+0123')]).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    expect([isValidPrefs({}), isValidPrefs(['a']), isValidPrefs('x'), isValidPrefs({ a: 'x'.repeat(70000) })]).toEqual([true, false, false, false]);
    expect(isValidPrefs([])).toBe(true);
    // Imported hashes are stored verbatim: longer than the column used to be a 500 from SQL.
    expect([isValidPasswordHash('$2y$10$abcdefgh'), isValidPasswordHash('p'.repeat(16384)), isValidPasswordHash('p'.repeat(16385)), isValidPasswordHash('😀'.repeat(16384)), isValidPasswordHash('short')]).toEqual([true, true, false, false, false]);
    // MariaDB refuses JSON_DEPTH 32 and more: deeper prefs used to reach SQL and answer 500.
    const nested = (depth: number) => {
      let value: Record<string, unknown> = {};
      for (let level = 1; level < depth; level++) value = { a: value };
      return value;
    };
    expect([isValidPrefs(nested(31)), isValidPrefs(nested(32)), isValidPrefs({ a: [[[[nested(27)]]]] }), isValidPrefs({ a: [[[[nested(26)]]]] })]).toEqual([true, false, false, true]);
    expect([isValidPrefs(nested(30)), isValidPrefs({ ...nested(30), b: 1 })]).toEqual([true, true]);
    const deepScalar = (depth: number) => {
      let value: unknown = 1;
      for (let level = 1; level < depth; level++) value = { a: value };
      return value as Record<string, unknown>;
    };
    expect([isValidPrefs(deepScalar(31)), isValidPrefs(deepScalar(32))]).toEqual([true, false]);
  });

  it('builds search text and recognises duplicate-key errors', () => {
    expect(userSearchText({ uid: 'u', email: null, phone: '+1', name: '' })).toBe('u +1');
    expect(isDuplicateKey({ driverError: { errno: 1062 } })).toBe(true);
    expect(isDuplicateKey(new Error('other'))).toBe(false);
  });
});
