import { MailJob } from '@appconda/contracts';

import { toTemplateMail } from './mails.handler';
import { MailTemplate } from './mail.translations';

const job = (over: Partial<MailJob> = {}): MailJob => ({
  recipient: 'ada@example.com',
  name: 'Ada',
  template: 'emails.invitation',
  locale: 'de',
  variables: { redirect: 'https://app.test/join?x=1', project: 'Acme', team: 'Core', owner: 'Grace' },
  ...over,
});

describe('toTemplateMail', () => {
  it('reads Appwrite-style template keys and variable names', () => {
    expect(toTemplateMail(job())).toEqual({
      to: { email: 'ada@example.com', name: 'Ada' },
      template: MailTemplate.Invitation,
      locale: 'de',
      variables: { link: 'https://app.test/join?x=1', project: 'Acme', user: 'Ada', team: 'Core', inviter: 'Grace' },
    });
  });

  it('reads bare template names and our variable names; an empty locale means the server default', () => {
    const sut = toTemplateMail(job({ template: 'recovery', locale: '', name: undefined, variables: { link: 'https://a.test/r', project: 'P', user: 'U', inviter: 'I' } }));
    expect(sut.template).toBe(MailTemplate.Recovery);
    expect(sut.locale).toBeUndefined();
    expect(sut.to).toEqual({ email: 'ada@example.com', name: undefined });
    expect(sut.variables).toMatchObject({ link: 'https://a.test/r', user: 'U', inviter: 'I' });
  });

  it('reads the certificate mail worker-certificates sends to the security address', () => {
    const variables = { domain: 'shop.example.com', error: 'timeout', attempt: '5', redirect: 'https://shop.example.com', project: 'Appwrite' };
    expect(toTemplateMail(job({ template: 'emails.certificate', name: 'Administrator', locale: 'en', variables }))).toMatchObject({
      template: MailTemplate.Certificate,
      variables: { link: 'https://shop.example.com', project: 'Appwrite', user: 'Administrator', domain: 'shop.example.com', attempt: '5', error: 'timeout' },
    });
  });

  it.each(['emails.welcome', 'sms.base', ''])('refuses the unknown template %p', (template) => {
    expect(() => toTemplateMail(job({ template }))).toThrow(/unknown mail template/);
  });

  it('refuses a job without a link', () => {
    expect(() => toTemplateMail(job({ variables: { project: 'Acme' } }))).toThrow(/no action link/);
  });
});
