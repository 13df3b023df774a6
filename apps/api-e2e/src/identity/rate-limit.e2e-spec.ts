import { bootstrapConsole, ConsoleSession, testIp } from '../../support/console';
import { failure, raw, signedInUser, uniqueEmail, webClient } from '../../support/identity-clients';

describe('identity: abuse limits (appconda all)', () => {
  let consoleSession: ConsoleSession;

  beforeAll(async () => {
    consoleSession = await bootstrapConsole('ratelimit');
  });

  it('allows 10 email sessions per email and hour, then answers 429 general_rate_limit_exceeded', async () => {
    const user = await signedInUser(consoleSession.projectId, 'limited');
    const headers = { 'x-appwrite-project': consoleSession.projectId };
    const remaining: string[] = [];
    for (let n = 1; n <= 9; n++) {
      // A new client IP each time: the limit follows the email, not the caller.
      const res = await raw('POST', '/account/sessions/email', { ...headers, 'x-forwarded-for': testIp() }, { email: user.email, password: n % 2 ? 'wrong-password' : user.password });
      expect(res.status).toBe(n % 2 ? 401 : 201);
      expect(res.headers.get('x-ratelimit-limit')).toBe('10');
      remaining.push(res.headers.get('x-ratelimit-remaining')!);
    }
    // The first session of signedInUser() counted too: this is the 11th attempt.
    expect(remaining).toEqual(['8', '7', '6', '5', '4', '3', '2', '1', '0']);
    const blocked = await raw('POST', '/account/sessions/email', { ...headers, 'x-forwarded-for': testIp() }, { email: user.email, password: user.password });
    expect([blocked.status, blocked.body.type]).toEqual([429, 'general_rate_limit_exceeded']);
    const reset = Number(blocked.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThan(Date.now() / 1000);
    expect(reset).toBeLessThanOrEqual(Date.now() / 1000 + 3600);
    expect(blocked.headers.get('x-ratelimit-remaining')).toBe('0');

    // The web SDK sees the same answer; another email is not affected.
    expect(await failure(webClient(consoleSession.projectId).account.createEmailSession(user.email, user.password))).toEqual({ code: 429, type: 'general_rate_limit_exceeded' });
    const other = await signedInUser(consoleSession.projectId, 'unaffected');
    expect(await webClient(consoleSession.projectId).account.createEmailSession(other.email, other.password)).toMatchObject({ userId: other.userId });
  });

  it('allows 10 sign-ups per IP and hour', async () => {
    const ip = testIp();
    const c = webClient(consoleSession.projectId, ip);
    for (let n = 0; n < 10; n++) await c.account.create('unique()', uniqueEmail('burst'), 'password1234');
    expect(await failure(c.account.create('unique()', uniqueEmail('burst'), 'password1234'))).toEqual({ code: 429, type: 'general_rate_limit_exceeded' });
    expect(await webClient(consoleSession.projectId).account.create('unique()', uniqueEmail('elsewhere'), 'password1234')).toMatchObject({ status: true });
  });

  it('limits invitations per IP for users but never blocks an API key (headers still sent)', async () => {
    const owner = await signedInUser(consoleSession.projectId, 'inviter');
    const team = await owner.teams.create('unique()', 'Invites');
    for (let n = 0; n < 10; n++) await owner.teams.createMembership(team.$id, ['member'], 'http://localhost/join', uniqueEmail('inv'));
    expect(await failure(owner.teams.createMembership(team.$id, ['member'], 'http://localhost/join', uniqueEmail('inv')))).toEqual({ code: 429, type: 'general_rate_limit_exceeded' });

    const ip = testIp();
    const headers = { 'x-appwrite-project': consoleSession.projectId, 'x-appwrite-key': consoleSession.key, 'x-forwarded-for': ip };
    let last;
    for (let n = 0; n < 11; n++) {
      last = await raw('POST', `/teams/${team.$id}/memberships`, headers, { email: uniqueEmail('keyinv'), roles: ['member'], url: 'http://localhost/join' });
      expect(last.status).toBe(201);
    }
    expect(last!.headers.get('x-ratelimit-limit')).toBe('10');
    expect(last!.headers.get('x-ratelimit-remaining')).toBe('0');
  });

  // 1.3 keeps abuse counters in the project's database (TimeLimit on $dbForProject): this found
  // libs/auth's limiter sharing one Redis counter across projects (fixed: the key now has the project).
  it('counts per project: the same email in another project has its own limit', async () => {
    const other = await bootstrapConsole('ratelimit-other');
    const email = uniqueEmail('twoprojects');
    for (const projectId of [consoleSession.projectId, other.projectId]) await webClient(projectId).account.create('unique()', email, 'password1234');
    for (let n = 0; n < 10; n++) await raw('POST', '/account/sessions/email', { 'x-appwrite-project': consoleSession.projectId, 'x-forwarded-for': testIp() }, { email, password: 'wrong-password' });
    expect(await failure(webClient(consoleSession.projectId).account.createEmailSession(email, 'password1234'))).toMatchObject({ code: 429 });
    expect(await webClient(other.projectId).account.createEmailSession(email, 'password1234')).toMatchObject({ provider: 'email' });
  });
});
