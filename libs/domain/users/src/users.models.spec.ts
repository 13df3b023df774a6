import { AuditEntity, MembershipEntity, SessionEntity, TokenEntity, UserEntity } from '@appconda/database';

import { detectDevice } from './device';
import { toAccountModel, toHashOptionsModel, toLogModel, toMembershipModel, toSessionModel, toTokenModel, toUserModel } from './users.models';

const created = new Date('2023-07-18T22:21:58.123Z');

function user(overrides: Partial<UserEntity> = {}): UserEntity {
  return Object.assign(new UserEntity(), {
    internalId: '1',
    uid: 'u1',
    project: 'p1',
    createdAt: created,
    updatedAt: created,
    permissions: [],
    name: 'Ann',
    email: 'ann@example.com',
    phone: null,
    status: true,
    password: '$argon2id$v=19$m=2048,t=4,p=3$abc$def',
    hash: 'argon2',
    hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 },
    passwordHistory: [],
    passwordUpdate: null,
    prefs: {},
    registration: created,
    emailVerification: false,
    phoneVerification: false,
    reset: false,
    accessedAt: null,
    search: 'u1 ann@example.com Ann',
    ...overrides,
  });
}

describe('toUserModel / toAccountModel', () => {
  it('serialises every 1.3 user field with Appwrite dates and {} prefs', () => {
    const sut = toUserModel(user());
    expect(sut).toEqual({
      $id: 'u1',
      $createdAt: '2023-07-18T22:21:58.123+00:00',
      $updatedAt: '2023-07-18T22:21:58.123+00:00',
      name: 'Ann',
      password: '$argon2id$v=19$m=2048,t=4,p=3$abc$def',
      hash: 'argon2',
      hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 },
      registration: '2023-07-18T22:21:58.123+00:00',
      status: true,
      passwordUpdate: '',
      email: 'ann@example.com',
      phone: '',
      emailVerification: false,
      phoneVerification: false,
      prefs: {},
    });
  });

  it('leaves the password hash and its algorithm out of the account model', () => {
    const sut = toAccountModel(user({ prefs: { theme: 'dark' } }));
    expect(sut).not.toHaveProperty('password');
    expect(sut).not.toHaveProperty('hash');
    expect(sut).not.toHaveProperty('hashOptions');
    expect(sut.prefs).toEqual({ theme: 'dark' });
  });

  it('shows the stored options as they are, with their type (1.3 passes the JSON through)', () => {
    expect(toHashOptionsModel('scrypt', { type: 'scrypt', salt: 'secret-salt', costCpu: 16, costMemory: 8, costParallel: 2, length: 32 })).toEqual({
      type: 'scrypt',
      salt: 'secret-salt',
      costCpu: 16,
      costMemory: 8,
      costParallel: 2,
      length: 32,
    });
    expect(toHashOptionsModel('sha', { type: 'sha', version: 'sha256' })).toEqual({ type: 'sha', version: 'sha256' });
    expect(toHashOptionsModel('sha', { version: 'sha512' })).toEqual({ type: 'sha', version: 'sha512' });
    expect(toHashOptionsModel('argon2', { type: 'argon2' })).toEqual({ type: 'argon2' });
    expect(toHashOptionsModel('scryptMod', { type: 'scryptMod', salt: 's', saltSeparator: 'b', signerKey: 'k' })).toEqual({
      type: 'scryptMod',
      salt: 's',
      saltSeparator: 'b',
      signerKey: 'k',
    });
    expect(toHashOptionsModel(null, null)).toEqual({});
  });
});

describe('toSessionModel', () => {
  const session = Object.assign(new SessionEntity(), {
    uid: 's1',
    createdAt: created,
    userId: 'u1',
    provider: 'email',
    providerUid: 'ann@example.com',
    providerAccessToken: '',
    providerAccessTokenExpiry: null,
    providerRefreshToken: '',
    expire: new Date('2024-07-18T22:21:58.123Z'),
    ip: '127.0.0.1',
    countryCode: 'de',
    osCode: 'MAC',
    osName: 'Mac',
    osVersion: '10.15',
    clientType: 'browser',
    clientCode: 'CH',
    clientName: 'Chrome',
    clientVersion: '120.0',
    clientEngine: 'Blink',
    clientEngineVersion: '120.0',
    deviceName: 'desktop',
    deviceBrand: 'Apple',
    deviceModel: '',
  });

  it('marks the current session and names the country', () => {
    const sut = toSessionModel(session as SessionEntity, 's1');
    expect(sut).toMatchObject({ $id: 's1', userId: 'u1', current: true, countryCode: 'de', countryName: 'Germany', expire: '2024-07-18T22:21:58.123+00:00', providerAccessTokenExpiry: '' });
    expect(sut).not.toHaveProperty('secret');
    expect(toSessionModel(session as SessionEntity).current).toBe(false);
    expect(toSessionModel({ ...session, countryCode: '--' } as SessionEntity).countryName).toBe('Unknown');
  });
});

describe('toLogModel', () => {
  it('derives client, os and device from the stored user agent', () => {
    const entry = Object.assign(new AuditEntity(), {
      event: 'session.create',
      userId: 'u1',
      userEmail: 'ann@example.com',
      userName: 'Ann',
      mode: 'default',
      ip: '10.0.0.1',
      location: '',
      time: created,
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    });
    expect(toLogModel(entry as AuditEntity)).toEqual({
      event: 'session.create',
      userId: 'u1',
      userEmail: 'ann@example.com',
      userName: 'Ann',
      mode: 'default',
      ip: '10.0.0.1',
      time: '2023-07-18T22:21:58.123+00:00',
      osCode: 'WIN',
      osName: 'Windows',
      osVersion: '10',
      clientType: 'browser',
      clientCode: 'CH',
      clientName: 'Chrome',
      clientVersion: '120.0.0.0',
      clientEngine: 'Blink',
      clientEngineVersion: '120.0.0.0',
      deviceName: 'desktop',
      deviceBrand: '',
      deviceModel: '',
      countryCode: '--',
      countryName: 'Unknown',
    });
  });
});

describe('detectDevice', () => {
  it('recognises iOS Safari and Firefox on Linux, and answers empty fields for nothing', () => {
    expect(detectDevice('Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.5 Mobile/15E148 Safari/604.1')).toMatchObject({
      osCode: 'IOS',
      osVersion: '16.5',
      clientName: 'Safari',
      deviceName: 'smartphone',
      deviceBrand: 'Apple',
    });
    expect(detectDevice('Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0')).toMatchObject({ osCode: 'LIN', clientCode: 'FF', clientEngineVersion: '109.0' });
    expect(detectDevice('').osCode).toBe('');
  });
});

describe('toTokenModel / toMembershipModel', () => {
  it('hides stored token secrets unless the plain one is passed', () => {
    const token = Object.assign(new TokenEntity(), { uid: 't1', createdAt: created, userId: 'u1', secret: 'hashed', expire: created });
    expect(toTokenModel(token as TokenEntity)).toEqual({ $id: 't1', $createdAt: '2023-07-18T22:21:58.123+00:00', userId: 'u1', secret: '', expire: '2023-07-18T22:21:58.123+00:00' });
    expect(toTokenModel(token as TokenEntity, 'plain').secret).toBe('plain');
  });

  it('fills user and team names from the loaded rows', () => {
    const membership = Object.assign(new MembershipEntity(), {
      uid: 'm1',
      createdAt: created,
      updatedAt: created,
      userId: 'u1',
      teamId: 't1',
      roles: ['owner'],
      invited: created,
      joined: null,
      confirm: false,
    });
    expect(toMembershipModel(membership as MembershipEntity, { name: 'Ann', email: 'ann@example.com' }, { name: 'Team' })).toEqual({
      $id: 'm1',
      $createdAt: '2023-07-18T22:21:58.123+00:00',
      $updatedAt: '2023-07-18T22:21:58.123+00:00',
      userId: 'u1',
      userName: 'Ann',
      userEmail: 'ann@example.com',
      teamId: 't1',
      teamName: 'Team',
      invited: '2023-07-18T22:21:58.123+00:00',
      joined: '',
      confirm: false,
      roles: ['owner'],
    });
  });
});
