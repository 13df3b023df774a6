import { AppConfig } from '@appconda/config';

import { SmsProviderCredentials, smsProviderName } from './sms.providers';

/** `_APP_SMTP_SECURE`: empty = plain SMTP, `tls` = STARTTLS required, `ssl` = implicit TLS. */
export type SmtpSecurity = '' | 'tls' | 'ssl';

export interface SmtpSettings {
  /** Empty disables every mail (Appwrite's general_smtp_disabled). */
  host: string;
  port: number;
  secure: SmtpSecurity;
  username: string;
  password: string;
}

export interface SenderSettings {
  name: string;
  address: string;
}

/** Everything the mail and SMS services read from the configuration. */
export interface MessagingSettings {
  smtp: SmtpSettings;
  sender: SenderSettings;
  /** Default mail locale (`_APP_LOCALE`) when the job names none. */
  locale: string;
  sms: {
    /** From the `_APP_SMS_PROVIDER` DSN; undefined disables SMS (general_phone_disabled). */
    provider?: SmsProviderCredentials;
    /** `_APP_SMS_FROM`: sender number (the flow id for Msg91). */
    from: string;
  };
}

/** Nest token for the MessagingSettings provider. */
export const MESSAGING_SETTINGS = Symbol('MESSAGING_SETTINGS');

/** Appwrite documents `_APP_SYSTEM_EMAIL_NAME` as possibly URL-encoded ("Appwrite%20Team"). */
function senderName(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The one place that maps AppConfig's `smtp`, `system`, `sms` and `locale` groups to messaging settings. */
export function readMessagingSettings(config: AppConfig): MessagingSettings {
  const smtp = config.get('smtp');
  const system = config.get('system');
  const sms = config.get('sms');
  const secure: SmtpSecurity = smtp.secure;
  // A host may carry its port (`mail.example.com:2525`); _APP_SMTP_PORT still wins when set.
  const [, bareHost = smtp.host ?? '', hostPort] = /^([^:]+):(\d{1,5})$/.exec(smtp.host ?? '') ?? [];
  return {
    smtp: {
      host: smtp.enabled ? bareHost : '',
      // Appwrite leaves the port empty by default; the SMTP client then uses the protocol's default.
      port: smtp.port ?? (hostPort ? Number(hostPort) : secure === 'ssl' ? 465 : 25),
      secure,
      username: smtp.username ?? '',
      password: smtp.password ?? '',
    },
    sender: { name: senderName(system.emailName), address: system.emailAddress },
    locale: config.get('locale'),
    sms: {
      provider: sms.provider ? { name: smsProviderName(sms.provider.provider), user: sms.provider.user, secret: sms.provider.secret } : undefined,
      from: sms.from ?? '',
    },
  };
}
