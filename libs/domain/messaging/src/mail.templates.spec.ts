import { escapeHtml, renderMail, resolveMailLocale } from './mail.templates';
import { MAIL_TRANSLATIONS, MailTemplate } from './mail.translations';

const LINK = 'https://app.example.com/verify?userId=u1&secret=s%2F3&expire=2030-01-01+00%3A00';
const LOCALES = ['en', 'de', 'fr', 'es', 'pt-br', 'it'];
const TEMPLATES = Object.values(MailTemplate);
const variables = { link: LINK, project: 'Acme', user: 'Ada', team: 'Core', inviter: 'Grace' };

describe('mail templates', () => {
  it('ships at least the required locales, each with every template', () => {
    for (const locale of LOCALES) {
      expect(Object.keys(MAIL_TRANSLATIONS[locale].templates).sort()).toEqual([...TEMPLATES].sort());
    }
  });

  describe.each(LOCALES)('locale %s', (locale) => {
    it.each(TEMPLATES)('renders %s with subject, text and html', (template) => {
      const sut = renderMail(template, variables, locale);
      expect(sut.locale).toBe(locale);
      expect(sut.subject).toContain('Acme');
      expect(sut.subject).not.toMatch(/[{}]/);
      expect(sut.text).toContain(LINK);
      expect(sut.text).toContain('Ada');
      expect(sut.text).not.toMatch(/\{\w+\}/);
      expect(sut.html).toContain(`href="${escapeHtml(LINK)}"`);
      expect(sut.html).toContain(`lang="${locale}"`);
      expect(sut.html).not.toMatch(/\{\w+\}/);
      if (template === MailTemplate.Invitation) {
        expect(sut.subject).toContain('Core');
        expect(sut.text).toContain('Grace');
        expect(sut.html).toContain('Grace');
      }
    });
  });

  it('renders the certificate-failure mail with the domain, the attempt and the CA\'s error', () => {
    const sut = renderMail(MailTemplate.Certificate, { link: 'https://shop.example.com', project: 'Appwrite', user: 'Administrator', domain: 'shop.example.com', attempt: '5', error: 'connection refused <x>' }, 'en');
    expect(sut.subject).toBe('Appwrite: certificate failure for shop.example.com');
    expect(sut.text).toContain('This was attempt 5, and it failed with: connection refused <x>');
    expect(sut.html).toContain('connection refused &lt;x&gt;');
  });

  it('uses distinct wording per locale', () => {
    const subjects = LOCALES.map((locale) => renderMail(MailTemplate.Recovery, variables, locale).subject);
    expect(new Set(subjects).size).toBe(LOCALES.length);
  });

  it('escapes every interpolated value in the HTML body but keeps the text body verbatim', () => {
    const hostile = { link: 'https://x.test/a?b=1&c="2"', project: '<b>Evil & Co</b>', user: '<script>alert(1)</script>', team: '"T"eam', inviter: "O'Brien <o@x>" };
    const sut = renderMail(MailTemplate.Invitation, hostile, 'en');
    expect(sut.html).not.toContain('<script>');
    expect(sut.html).not.toContain('<b>Evil');
    expect(sut.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(sut.html).toContain('&lt;b&gt;Evil &amp; Co&lt;/b&gt;');
    expect(sut.html).toContain('&quot;T&quot;eam');
    expect(sut.html).toContain('O&#39;Brien &lt;o@x&gt;');
    expect(sut.html).toContain('href="https://x.test/a?b=1&amp;c=&quot;2&quot;"');
    expect(sut.text).toContain('<script>alert(1)</script>');
    expect(sut.text).toContain('https://x.test/a?b=1&c="2"');
  });

  it('does not re-interpolate placeholders found inside values', () => {
    const sut = renderMail(MailTemplate.Verification, { ...variables, user: '{project}' }, 'en');
    expect(sut.text).toContain('Hello {project},');
  });

  it('keeps user-provided line breaks out of the subject', () => {
    const sut = renderMail(MailTemplate.Recovery, { ...variables, project: 'A\r\nBcc: x@y' }, 'en');
    expect(sut.subject).not.toMatch(/[\r\n]/);
  });

  it('greets without a name when the user has none', () => {
    expect(renderMail(MailTemplate.MagicSession, { ...variables, user: '' }, 'en').text.startsWith('Hello,\n')).toBe(true);
    expect(renderMail(MailTemplate.MagicSession, { ...variables, user: undefined }, 'de').text.startsWith('Hallo,\n')).toBe(true);
  });

  it('names someone when an invitation has no inviter', () => {
    expect(renderMail(MailTemplate.Invitation, { ...variables, inviter: '' }, 'fr').text).toContain("Quelqu'un vous invite");
  });

  it('refuses links that are not http(s)', () => {
    expect(() => renderMail(MailTemplate.Recovery, { ...variables, link: 'javascript:alert(1)' }, 'en')).toThrow(
      expect.objectContaining({ type: 'general_argument_invalid' }),
    );
    expect(() => renderMail(MailTemplate.Recovery, { ...variables, link: 'not a url' }, 'en')).toThrow(expect.objectContaining({ type: 'general_argument_invalid' }));
  });

  describe('locale resolution', () => {
    it.each([
      ['de', undefined, 'de'],
      ['DE', undefined, 'de'],
      ['pt-BR', undefined, 'pt-br'],
      ['pt_BR', undefined, 'pt-br'],
      ['pt', undefined, 'pt-br'],
      ['de-AT', undefined, 'de'],
      ['xx', undefined, 'en'],
      ['', undefined, 'en'],
      [undefined, 'it', 'it'],
      ['xx', 'fr', 'fr'],
      [undefined, 'zz', 'en'],
      ['es', 'fr', 'es'],
    ])('%p with server default %p → %p', (code, fallback, expected) => {
      expect(resolveMailLocale(code, fallback)).toBe(expected);
    });

    it('renders unknown locales in English', () => {
      const sut = renderMail(MailTemplate.Verification, variables, 'tlh');
      expect(sut.locale).toBe('en');
      expect(sut.subject).toBe('Confirm your email address for Acme');
    });
  });
});
