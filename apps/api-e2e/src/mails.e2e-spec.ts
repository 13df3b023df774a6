import { randomBytes } from 'node:crypto';

import { bootstrapConsole, ConsoleSession, installLocalStorage, testIp } from '../support/console';
import { linkIn, waitForMail } from '../support/mailbox';

installLocalStorage();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the web SDK reads localStorage when it loads
const { Account, Client } = require('appwrite') as typeof import('appwrite');

describe('mails through worker-mails (appconda all, loopback SMTP)', () => {
  let consoleSession: ConsoleSession;

  beforeAll(async () => {
    consoleSession = await bootstrapConsole('mails');
  });

  it('delivers the email verification mail whose link verifies the account', async () => {
    const client = new Client().setEndpoint(consoleSession.endpoint).setProject(consoleSession.projectId);
    client.headers['X-Forwarded-For'] = testIp();
    const account = new Account(client);
    const email = `verify-${randomBytes(4).toString('hex')}@example.test`;
    await account.create('unique()', email, 'password1234', 'Verifier');
    await account.createEmailSession(email, 'password1234');
    const token = await account.createVerification('http://localhost/verify');
    expect(token).toMatchObject({ userId: expect.any(String), secret: '' });

    const mail = await waitForMail(email);
    const link = linkIn(mail, 'http://localhost/verify');
    expect(link.searchParams.get('userId')).toBe(token.userId);
    await account.updateVerification(link.searchParams.get('userId')!, link.searchParams.get('secret')!);
    expect((await account.get()).emailVerification).toBe(true);
  });

  it('delivers the password recovery mail whose secret resets the password', async () => {
    const client = new Client().setEndpoint(consoleSession.endpoint).setProject(consoleSession.projectId);
    client.headers['X-Forwarded-For'] = testIp();
    const account = new Account(client);
    const email = `recover-${randomBytes(4).toString('hex')}@example.test`;
    const user = await account.create('unique()', email, 'password1234', 'Forgetful');
    await account.createRecovery(email, 'http://localhost/recover');
    const link = linkIn(await waitForMail(email, (m) => m.text.includes('http://localhost/recover')), 'http://localhost/recover');
    expect(link.searchParams.get('userId')).toBe(user.$id);
    await account.updateRecovery(user.$id, link.searchParams.get('secret')!, 'brand-new-password', 'brand-new-password');
    await expect(account.createEmailSession(email, 'password1234')).rejects.toMatchObject({ code: 401, type: 'user_invalid_credentials' });
    expect(await account.createEmailSession(email, 'brand-new-password')).toMatchObject({ userId: user.$id, provider: 'email' });
  });
});
