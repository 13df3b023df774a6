import { AppConfig } from '@appconda/config';

import { readMessagingSettings } from './messaging.settings';

describe('readMessagingSettings', () => {
  it('maps the SMTP, sender and SMS variables', () => {
    const sut = readMessagingSettings(undefined, {
      _APP_SMTP_HOST: 'smtp.example.com',
      _APP_SMTP_PORT: '587',
      _APP_SMTP_SECURE: 'TLS',
      _APP_SMTP_USERNAME: 'u',
      _APP_SMTP_PASSWORD: 'p',
      _APP_SYSTEM_EMAIL_NAME: 'Acme%20Team',
      _APP_SYSTEM_EMAIL_ADDRESS: 'team@acme.test',
      _APP_LOCALE: 'de',
      _APP_SMS_PROVIDER: 'sms://a:b@twilio',
      _APP_SMS_FROM: '+15550000',
    });
    expect(sut).toEqual({
      smtp: { host: 'smtp.example.com', port: 587, secure: 'tls', username: 'u', password: 'p' },
      sender: { name: 'Acme Team', address: 'team@acme.test' },
      locale: 'de',
      smsProvider: 'sms://a:b@twilio',
      smsFrom: '+15550000',
    });
  });

  it('defaults the port by protocol and leaves mail off without a host', () => {
    expect(readMessagingSettings(undefined, {}).smtp).toEqual({ host: '', port: 25, secure: '', username: '', password: '' });
    expect(readMessagingSettings(undefined, { _APP_SMTP_SECURE: 'ssl' }).smtp.port).toBe(465);
  });

  it('takes the locale from AppConfig', () => {
    expect(readMessagingSettings(new AppConfig({ _APP_LOCALE: 'fr' }), {}).locale).toBe('fr');
  });
});
