import { AppConfig } from '@appconda/config';
import { AddressInfo, createServer, Server } from 'node:net';

import { MailService } from './mail.service';
import { escapeHtml, renderMail } from './mail.templates';
import { MailTemplate } from './mail.translations';
import { MessagingSettings, readMessagingSettings } from './messaging.settings';
import { LoopbackSmtp, startLoopbackSmtp } from './testing/loopback-smtp';

const LINK = 'https://app.example.com/auth/verify?userId=64f1a2b3c4d5e6f7a8b9&secret=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08&expire=2030-01-01+00%3A00%3A00';

function settings(port: number, env: Record<string, string> = {}): MessagingSettings {
  return readMessagingSettings(
    new AppConfig({
    _APP_SMTP_HOST: '127.0.0.1',
    _APP_SMTP_PORT: String(port),
    _APP_SYSTEM_EMAIL_NAME: 'Acme Cloud',
    _APP_SYSTEM_EMAIL_ADDRESS: 'no-reply@acme.test',
    _APP_LOCALE: 'en',
      ...env,
    }),
  );
}

describe('MailService against a loopback SMTP server', () => {
  let smtp: LoopbackSmtp;
  const services: MailService[] = [];
  const newService = (s: MessagingSettings) => {
    const sut = new MailService(s);
    services.push(sut);
    return sut;
  };

  beforeAll(async () => {
    smtp = await startLoopbackSmtp({ rejectRecipients: ['nobody@acme.test'] });
  });

  afterAll(async () => {
    services.forEach((service) => service.onModuleDestroy());
    await smtp.close();
  });

  it('delivers a verification mail with the exact action link', async () => {
    const sut = newService(settings(smtp.port));
    const receipt = await sut.sendTemplate({
      to: { email: 'ada@example.com', name: 'Ada Lovelace' },
      template: MailTemplate.Verification,
      variables: { link: LINK, project: 'Acme <Shop>', user: 'Ada Lovelace' },
    });
    const mail = await smtp.nextMail();
    expect(receipt.accepted).toEqual(['ada@example.com']);
    expect(mail.envelopeFrom).toBe('no-reply@acme.test');
    expect(mail.envelopeTo).toEqual(['ada@example.com']);
    expect(mail.headers.from).toBe('Acme Cloud <no-reply@acme.test>');
    expect(mail.headers.to).toBe('Ada Lovelace <ada@example.com>');
    expect(mail.subject).toBe('Confirm your email address for Acme <Shop>');
    expect(mail.text).toContain(LINK);
    expect(mail.text).toContain('Hello Ada Lovelace,');
    expect(mail.html).toContain(`href="${escapeHtml(LINK)}"`);
    expect(mail.html).toContain('Acme &lt;Shop&gt;');
    expect(mail.html).not.toContain('Acme <Shop>');
  });

  it('renders in the job locale, with non-ASCII subject and body intact', async () => {
    const sut = newService(settings(smtp.port));
    const variables = { link: LINK, project: 'Acme', user: 'Jürgen', team: 'Größe', inviter: 'Zoë' };
    await sut.sendTemplate({ to: { email: 'j@example.com' }, template: MailTemplate.Invitation, variables, locale: 'de' });
    const mail = await smtp.nextMail();
    const expected = renderMail(MailTemplate.Invitation, variables, 'de');
    expect(mail.subject).toBe(expected.subject);
    expect(mail.subject).toBe('Einladung zum Team Größe bei Acme');
    expect(mail.text).toBe(expected.text);
    expect(mail.text).toContain('Zoë hat dich eingeladen');
    expect(mail.text).toContain(LINK);
  });

  it('falls back to _APP_LOCALE, then to English', async () => {
    const sut = newService(settings(smtp.port, { _APP_LOCALE: 'fr' }));
    await sut.sendTemplate({ to: { email: 'a@example.com' }, template: MailTemplate.Recovery, variables: { link: LINK, project: 'Acme' } });
    expect((await smtp.nextMail()).subject).toBe('Réinitialisez votre mot de passe Acme');
    await sut.sendTemplate({ to: { email: 'a@example.com' }, template: MailTemplate.MagicSession, variables: { link: LINK, project: 'Acme' }, locale: 'xx' });
    expect((await smtp.nextMail()).subject).toBe('Votre lien de connexion à Acme');
    const english = newService(settings(smtp.port, { _APP_LOCALE: 'zz' }));
    await english.sendTemplate({ to: { email: 'a@example.com' }, template: MailTemplate.MagicSession, variables: { link: LINK, project: 'Acme' }, locale: 'xx' });
    expect((await smtp.nextMail()).subject).toBe('Your sign-in link for Acme');
  });

  it('fails when the server refuses the recipient, so the job is retried', async () => {
    const sut = newService(settings(smtp.port));
    await expect(sut.send({ to: { email: 'nobody@acme.test' }, subject: 's', text: 't', html: '<p>t</p>' })).rejects.toThrow();
  });

  it('refuses to send with general_smtp_disabled when _APP_SMTP_HOST is empty, without connecting', async () => {
    const before = smtp.mails.length;
    const sut = newService(settings(smtp.port, { _APP_SMTP_HOST: '' }));
    expect(sut.enabled).toBe(false);
    await expect(
      sut.sendTemplate({ to: { email: 'a@example.com' }, template: MailTemplate.Verification, variables: { link: LINK, project: 'Acme' } }),
    ).rejects.toMatchObject({ type: 'general_smtp_disabled', code: 503 });
    await expect(sut.send({ to: { email: 'a@example.com' }, subject: 's', text: 't', html: 'h' })).rejects.toMatchObject({ type: 'general_smtp_disabled' });
    expect(smtp.mails.length).toBe(before);
  });
});

describe('MailService with SMTP authentication', () => {
  let smtp: LoopbackSmtp;
  const services: MailService[] = [];

  beforeAll(async () => {
    smtp = await startLoopbackSmtp({ users: { mailer: 's3cr3t!' } });
  });

  afterAll(async () => {
    services.forEach((service) => service.onModuleDestroy());
    await smtp.close();
  });

  it('logs in with _APP_SMTP_USERNAME / _APP_SMTP_PASSWORD', async () => {
    const sut = new MailService(settings(smtp.port, { _APP_SMTP_USERNAME: 'mailer', _APP_SMTP_PASSWORD: 's3cr3t!' }));
    services.push(sut);
    await sut.send({ to: { email: 'a@example.com' }, subject: 'Hi', text: 'plain', html: '<p>html</p>' });
    const mail = await smtp.nextMail();
    expect(mail.authUser).toBe('mailer');
    expect(mail.subject).toBe('Hi');
    expect(mail.text.trim()).toBe('plain');
  });

  it('fails with a wrong password', async () => {
    const sut = new MailService(settings(smtp.port, { _APP_SMTP_USERNAME: 'mailer', _APP_SMTP_PASSWORD: 'wrong' }));
    services.push(sut);
    await expect(sut.send({ to: { email: 'a@example.com' }, subject: 'Hi', text: 'plain', html: 'h' })).rejects.toThrow(/auth|Invalid/i);
  });

  it('fails without credentials when the server requires them', async () => {
    const sut = new MailService(settings(smtp.port));
    services.push(sut);
    await expect(sut.send({ to: { email: 'a@example.com' }, subject: 'Hi', text: 'plain', html: 'h' })).rejects.toThrow();
    expect(smtp.mails).toHaveLength(1);
  });
});

describe('MailService with _APP_SMTP_SECURE=tls', () => {
  let server: Server;
  let port: number;
  const commands: string[] = [];

  beforeAll(async () => {
    // A plain server that never offers STARTTLS: "tls" must refuse to go on in clear text.
    server = createServer((socket) => {
      socket.write('220 plain.test ESMTP\r\n');
      socket.on('data', (data) => {
        const line = data.toString();
        commands.push(line.trim());
        if (/^EHLO/i.test(line)) socket.write('250-plain.test\r\n250 AUTH PLAIN\r\n');
        else if (/^STARTTLS/i.test(line)) socket.write('502 not implemented\r\n');
        else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('does not send over a connection without STARTTLS', async () => {
    const sut = new MailService(settings(port, { _APP_SMTP_SECURE: 'tls' }));
    await expect(sut.send({ to: { email: 'a@example.com' }, subject: 'Hi', text: 'plain', html: 'h' })).rejects.toThrow();
    expect(commands.some((command) => /^MAIL FROM/i.test(command))).toBe(false);
    sut.onModuleDestroy();
  });
});
