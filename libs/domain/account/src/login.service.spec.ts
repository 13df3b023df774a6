import { AppConfig } from '@appconda/config';
import { AuthType, RequestContext } from '@appconda/core';
import { UserRepository } from '@appconda/database';
import { authSettings, Identity, ProjectContext } from '@appconda/identity';
import { UsersService } from '@appconda/users';

import { AccountService } from './account.service';
import { LoginService } from './login.service';
import { SessionsService } from './sessions.service';
import { TokensService } from './tokens.service';
import { VerificationService } from './verification.service';
import { WebExchange } from './web-exchange';

function project(id: string, methods: Record<string, boolean> = {}): ProjectContext {
  return { id, internalId: '1', name: 'Acme', teamId: null, auths: authSettings({ methods }), services: {}, authProviders: {}, platforms: [], entity: null };
}

function context(identity: Partial<Identity> & { project: ProjectContext }): RequestContext {
  return {
    requestId: 'r1',
    projectId: identity.project.id,
    authType: identity.user ? AuthType.Session : AuthType.Guest,
    role: identity.user ? 'users' : 'guests',
    scopes: new Set(['public']),
    roles: new Set(['any']),
    skipPermissions: false,
    ip: '10.0.0.1',
    userAgent: '',
    extras: { identity: { mode: 'default', ...identity } },
  };
}

const web: WebExchange = { hostname: 'localhost', secure: false, origin: '', protocol: 'http', header: jest.fn() };

function config(values: { smtp?: boolean; sms?: boolean; emails?: string[]; ips?: string[] } = {}): AppConfig {
  const tree: Record<string, unknown> = {
    smtp: { enabled: values.smtp ?? true },
    sms: { enabled: values.sms ?? true },
    console: { whitelistRoot: true, whitelistEmails: values.emails ?? [], whitelistIps: values.ips ?? [] },
  };
  return { get: (key: string) => tree[key] } as unknown as AppConfig;
}

describe('LoginService and VerificationService refusals', () => {
  const users = { createUser: jest.fn(), get: jest.fn(), checkPassword: jest.fn() } as unknown as UsersService;
  const userRows = { findByEmail: jest.fn().mockResolvedValue(null), findByPhone: jest.fn().mockResolvedValue(null) } as unknown as UserRepository;
  const sessions = {} as SessionsService;
  const tokens = {} as TokensService;
  const sut = (values?: { smtp?: boolean; sms?: boolean }) => new LoginService(config(values), sessions, tokens, users, userRows);

  it('answers 501 user_auth_method_unsupported for a disabled method, except on the console and for admins', async () => {
    const closed = project('p1', { emailPassword: false, anonymous: false, phone: false, usersAuthMagicURL: false });
    await expect(sut().emailSession(context({ project: closed }), web, 'a@b.co', 'password123')).rejects.toMatchObject({ type: 'user_auth_method_unsupported', code: 501 });
    await expect(sut().anonymousSession(context({ project: closed }), web)).rejects.toMatchObject({ type: 'user_auth_method_unsupported' });
    await expect(sut().createPhoneSession(context({ project: closed }), 'unique()', '+15550100')).rejects.toMatchObject({ type: 'user_auth_method_unsupported' });
    await expect(sut().createMagicUrl(context({ project: closed }), web, 'unique()', 'a@b.co', undefined)).rejects.toMatchObject({ type: 'user_auth_method_unsupported' });
    // Admin mode skips the check and reaches the credentials check.
    await expect(sut().emailSession(context({ project: closed, mode: 'admin' }), web, 'a@b.co', 'password123')).rejects.toMatchObject({ type: 'user_invalid_credentials' });
  });

  it('needs an SMS provider for phone sessions and SMTP for magic URLs', async () => {
    await expect(sut({ sms: false }).createPhoneSession(context({ project: project('p1') }), 'unique()', '+15550100')).rejects.toMatchObject({ type: 'general_phone_disabled', code: 503 });
    await expect(sut({ smtp: false }).createMagicUrl(context({ project: project('p1') }), web, 'unique()', 'a@b.co', undefined)).rejects.toMatchObject({ type: 'general_smtp_disabled', code: 503 });
  });

  it('needs SMTP for verification and recovery mails, and SMS for phone verification', async () => {
    const verification = new VerificationService(config({ smtp: false, sms: false }), tokens, users, userRows);
    const ctx = context({ project: project('p1') });
    await expect(verification.createEmailVerification(ctx, web, 'http://localhost/v')).rejects.toMatchObject({ type: 'general_smtp_disabled' });
    await expect(verification.createRecovery(ctx, web, 'a@b.co', 'http://localhost/r')).rejects.toMatchObject({ type: 'general_smtp_disabled' });
    await expect(verification.createPhoneVerification(ctx)).rejects.toMatchObject({ type: 'general_phone_disabled' });
  });
});

describe('AccountService console whitelists', () => {
  const created = { uid: 'u1', name: '', email: 'root@acme.test', createdAt: new Date(), updatedAt: new Date(), registration: new Date(), prefs: {} };
  const users = { createUser: jest.fn().mockResolvedValue(created) } as unknown as UsersService;
  const sut = (values: { emails?: string[]; ips?: string[] }) => new AccountService({} as never, config(values), {} as SessionsService, users);
  const input = { userId: 'unique()', email: 'Root@Acme.test', password: 'password123' };

  it('admits only whitelisted emails (case-insensitive) and IPs on the console', async () => {
    const consoleCtx = context({ project: project('console') });
    await expect(sut({ emails: ['boss@acme.test'] }).create(consoleCtx, input)).rejects.toMatchObject({ type: 'user_email_not_whitelisted', code: 401 });
    await expect(sut({ ips: ['10.9.9.9'] }).create(consoleCtx, input)).rejects.toMatchObject({ type: 'user_ip_not_whitelisted', code: 401 });
    await expect(sut({ emails: ['ROOT@acme.test'], ips: ['10.0.0.1'] }).create(consoleCtx, input)).resolves.toMatchObject({ $id: 'u1' });
    expect(users.createUser).toHaveBeenCalledWith('console', { userId: 'unique()', email: 'root@acme.test', password: 'password123', name: '' }, consoleCtx);
  });

  it('ignores the console whitelists on other projects', async () => {
    await expect(sut({ emails: ['boss@acme.test'], ips: ['10.9.9.9'] }).create(context({ project: project('p1') }), input)).resolves.toMatchObject({ $id: 'u1' });
  });
});
