import { AppConfig } from '@appconda/config';

import { readMessagingSettings } from './messaging.settings';
import { SmsProviderName, smsProviderName } from './sms.providers';

describe('readMessagingSettings', () => {
  it('maps the SMTP, sender, locale and SMS configuration', () => {
    const sut = readMessagingSettings(
      new AppConfig({
        _APP_SMTP_HOST: 'smtp.example.com',
        _APP_SMTP_PORT: '587',
        _APP_SMTP_SECURE: 'tls',
        _APP_SMTP_USERNAME: 'u',
        _APP_SMTP_PASSWORD: 'p',
        _APP_SYSTEM_EMAIL_NAME: 'Acme%20Team',
        _APP_SYSTEM_EMAIL_ADDRESS: 'team@acme.test',
        _APP_LOCALE: 'de',
        _APP_SMS_PROVIDER: 'sms://AC1:to%2Fken@twilio',
        _APP_SMS_FROM: '+15550000',
      }),
    );
    expect(sut).toEqual({
      smtp: { host: 'smtp.example.com', port: 587, secure: 'tls', username: 'u', password: 'p' },
      sender: { name: 'Acme Team', address: 'team@acme.test' },
      locale: 'de',
      sms: { provider: { name: SmsProviderName.Twilio, user: 'AC1', secret: 'to/ken' }, from: '+15550000' },
    });
  });

  it('leaves mail and SMS off by default and picks the port by protocol', () => {
    const sut = readMessagingSettings(new AppConfig({}));
    expect(sut.smtp).toEqual({ host: '', port: 25, secure: '', username: '', password: '' });
    expect(sut.sms).toEqual({ provider: undefined, from: '' });
    expect(sut.locale).toBe('en');
    expect(readMessagingSettings(new AppConfig({ _APP_SMTP_HOST: 'mail', _APP_SMTP_SECURE: 'ssl' })).smtp.port).toBe(465);
  });

  it('reads a port written into the host', () => {
    expect(readMessagingSettings(new AppConfig({ _APP_SMTP_HOST: 'mail.test:2525' })).smtp).toMatchObject({ host: 'mail.test', port: 2525 });
    expect(readMessagingSettings(new AppConfig({ _APP_SMTP_HOST: 'mail.test:2525', _APP_SMTP_PORT: '587' })).smtp).toMatchObject({ host: 'mail.test', port: 587 });
  });

  it.each([
    ['twilio', SmsProviderName.Twilio],
    ['text-magic', SmsProviderName.Textmagic],
    ['telesign', SmsProviderName.Telesign],
    ['msg91', SmsProviderName.Msg91],
    ['vonage', SmsProviderName.Vonage],
    ['mock', SmsProviderName.Mock],
  ])('maps the %s DSN to the %s adapter', (host, name) => {
    expect(readMessagingSettings(new AppConfig({ _APP_SMS_PROVIDER: `sms://user:secret@${host}` })).sms.provider).toEqual({ name, user: 'user', secret: 'secret' });
  });
});

describe('smsProviderName', () => {
  it('accepts the aliases and refuses unknown providers with general_phone_disabled', () => {
    expect(smsProviderName('textmagic')).toBe(SmsProviderName.Textmagic);
    expect(smsProviderName('Nexmo')).toBe(SmsProviderName.Vonage);
    expect(() => smsProviderName('carrier-pigeon')).toThrow(expect.objectContaining({ type: 'general_phone_disabled', code: 503 }));
  });
});
