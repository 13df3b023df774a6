import { isPublicName } from '@appconda/certificates';
import { DeleteJobType } from '@appconda/contracts';
import { ProjectEntity } from '@appconda/database';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

import { KeySecretCipher } from './key-secret';
import { ProjectDeletesHandler } from './project-deletes.handler';
import { CreatePlatformDto, KeyDto, WebhookDto } from './projects.dto';
import { toProjectModel } from './projects.models';
import { isDomainName } from './projects.validators';

describe('KeySecretCipher', () => {
  const sut = new KeySecretCipher('a-long-openssl-key');

  it('round-trips a secret and never stores it in clear', () => {
    const secret = 'ab'.repeat(128);
    const stored = sut.encrypt(secret);
    expect(stored).not.toContain(secret);
    expect(stored.startsWith('v1:')).toBe(true);
    expect(sut.decrypt(stored)).toBe(secret);
    expect(sut.encrypt(secret)).not.toBe(stored);
  });

  it('refuses tampered values and other keys', () => {
    const stored = sut.encrypt('secret');
    const [v, iv, tag, body] = stored.split(':');
    expect(sut.decrypt([v, iv, tag, Buffer.from('x' + Buffer.from(body, 'base64url').toString('latin1'), 'latin1').toString('base64url')].join(':'))).toBeUndefined();
    expect(new KeySecretCipher('another-key').decrypt(stored)).toBeUndefined();
    expect(sut.decrypt('garbage')).toBeUndefined();
    expect(() => new KeySecretCipher('')).toThrow();
  });
});

describe('param rules', () => {
  const check = async (type: new () => object, body: object) => {
    const errors = await validate(plainToInstance(type, body, { exposeDefaultValues: true }) as object, { whitelist: true, stopAtFirstError: true });
    return errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {})[0]}`);
  };

  it('accepts API key scopes only', async () => {
    expect(await check(KeyDto, { name: 'k', scopes: ['users.read', 'health.read'] })).toEqual([]);
    expect((await check(KeyDto, { name: 'k', scopes: ['projects.read'] }))[0]).toMatch(/^scopes: Value must a valid array no longer than 100 items and Value must be one of \(users\.read, /);
    expect(await check(KeyDto, { name: 'k', scopes: [], expire: 'not a date' })).toEqual(['expire: Value must be valid date.']);
  });

  it('checks platform types and hostnames', async () => {
    expect(await check(CreatePlatformDto, { type: 'web', name: 'w', hostname: 'app.example.com' })).toEqual([]);
    expect(await check(CreatePlatformDto, { type: 'flutter-ios', name: 'f', key: 'com.example.app' })).toEqual([]);
    expect((await check(CreatePlatformDto, { type: 'ios', name: 'x' }))[0]).toMatch(/^type: Value must be one of \(web, flutter-web/);
    expect(await check(CreatePlatformDto, { type: 'web', name: 'w', hostname: 'https://x.com/path' })).toEqual(['hostname: Value must be a valid hostname without path, port and protocol.']);
  });

  it('checks webhook events and URLs', async () => {
    const ok = { name: 'h', events: ['users.*.create', 'databases.*'], url: 'https://example.com/hook', security: true };
    expect(await check(WebhookDto, ok)).toEqual([]);
    expect(await check(WebhookDto, { ...ok, events: ['nope.*'] })).toEqual(['events: Value must a valid array no longer than 100 items and Event is not valid.']);
    expect(await check(WebhookDto, { ...ok, url: 'ftp://example.com' })).toEqual(['url: Value must be a valid URL with following schemes (http, https)']);
  });

  it('knows domains and public names', () => {
    expect(isDomainName('app.example.com')).toBe(true);
    expect(isDomainName('localhost')).toBe(false);
    expect(isDomainName('bad_label.example.com')).toBe(false);
    expect(isDomainName('127.0.0.1')).toBe(false);
    expect(isPublicName('cname.appconda.io')).toBe(true);
    expect(isPublicName('localhost')).toBe(false);
    expect(isPublicName('appconda.test')).toBe(false);
    expect(isPublicName('127.0.0.1')).toBe(false);
  });
});

describe('toProjectModel', () => {
  const row = {
    uid: 'p1',
    createdAt: new Date('2023-07-18T22:21:58.123Z'),
    updatedAt: new Date('2023-07-18T22:21:58.123Z'),
    name: 'P',
    description: '',
    teamId: 't1',
    logo: '',
    url: '',
    legalName: '',
    legalCountry: '',
    legalState: '',
    legalCity: '',
    legalAddress: '',
    legalTaxId: '',
    auths: { duration: 60, methods: { usersAuthMagicURL: false } },
    services: { graphql: false },
    authProviders: { github: { appId: 'id', secret: 's', enabled: true } },
  } as unknown as ProjectEntity;

  it('flattens settings with 1.3 defaults and lists every real provider', () => {
    const model = toProjectModel(row, { platforms: [], webhooks: [], keys: [], domains: [] });
    expect(model.$createdAt).toBe('2023-07-18T22:21:58.123+00:00');
    expect(model).toMatchObject({ authDuration: 60, authLimit: 0, authSessionsLimit: 10, authPasswordHistory: 0, authPasswordDictionary: false });
    expect(model).toMatchObject({ authEmailPassword: true, authUsersAuthMagicURL: false, authJWT: true, authPhone: true });
    expect(model).toMatchObject({ serviceStatusForAccount: true, serviceStatusForGraphql: false, serviceStatusForFunctions: true });
    expect(model.providers).toHaveLength(36);
    expect(model.providers.find((p) => p.name === 'Github')).toEqual({ name: 'Github', appId: 'id', secret: 's', enabled: true });
    expect(model.providers.find((p) => p.name === 'PaypalSandbox')).toEqual({ name: 'PaypalSandbox', appId: '', secret: '', enabled: false });
    expect(model.providers.some((p) => p.name === 'Mock')).toBe(false);
  });
});

describe('ProjectDeletesHandler', () => {
  it('never sweeps the console project or a job without a project', async () => {
    const moduleRef = { get: jest.fn() };
    const sut = new ProjectDeletesHandler(moduleRef as never);
    await expect(sut.handle({ type: DeleteJobType.Projects, projectId: 'console' })).rejects.toThrow(/console/);
    await expect(sut.handle({ type: DeleteJobType.Projects, document: { $id: 'console' } })).rejects.toThrow(/console/);
    await expect(sut.handle({ type: DeleteJobType.Projects })).rejects.toThrow();
    expect(moduleRef.get).not.toHaveBeenCalled();
  });
});
