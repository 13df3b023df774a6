import { AppConfig } from '@appconda/config';

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

/** Everything the mail and SMS services read from the environment. */
export interface MessagingSettings {
  smtp: SmtpSettings;
  sender: SenderSettings;
  /** Default mail locale (`_APP_LOCALE`) when the job names none. */
  locale: string;
  /** `_APP_SMS_PROVIDER` DSN, e.g. `sms://SID:TOKEN@twilio`; empty disables SMS. */
  smsProvider: string;
  /** `_APP_SMS_FROM`: sender number (or sender id / flow id, per provider). */
  smsFrom: string;
}

/** Nest token for the MessagingSettings provider. */
export const MESSAGING_SETTINGS = Symbol('MESSAGING_SETTINGS');

type Env = Record<string, string | undefined>;

function smtpSecurity(raw: string | undefined): SmtpSecurity {
  const value = (raw ?? '').trim().toLowerCase();
  return value === 'tls' || value === 'ssl' ? value : '';
}

function smtpPort(raw: string | undefined, secure: SmtpSecurity): number {
  const value = Number((raw ?? '').trim());
  if (Number.isInteger(value) && value > 0 && value < 65536) return value;
  // Appwrite leaves the port empty by default; the SMTP client then uses the protocol's default.
  return secure === 'ssl' ? 465 : 25;
}

/** Appwrite documents `_APP_SYSTEM_EMAIL_NAME` as possibly URL-encoded ("Appwrite%20Team"). */
function senderName(raw: string | undefined): string {
  const value = raw === undefined || raw === '' ? 'Appconda' : raw;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The one place that maps `_APP_SMTP_*`, `_APP_SYSTEM_EMAIL_*` and `_APP_SMS_*` to settings.
 * AppConfig has no typed `smtp`/`system` groups yet, so these are read straight from the environment;
 * the locale already comes from AppConfig. When `config.get('smtp')` / `config.get('system')` exist,
 * only this function changes.
 */
export function readMessagingSettings(config: AppConfig | undefined, env: Env = process.env): MessagingSettings {
  const secure = smtpSecurity(env._APP_SMTP_SECURE);
  return {
    smtp: {
      host: (env._APP_SMTP_HOST ?? '').trim(),
      port: smtpPort(env._APP_SMTP_PORT, secure),
      secure,
      username: env._APP_SMTP_USERNAME ?? '',
      password: env._APP_SMTP_PASSWORD ?? '',
    },
    sender: {
      name: senderName(env._APP_SYSTEM_EMAIL_NAME),
      address: env._APP_SYSTEM_EMAIL_ADDRESS || 'team@appconda.local',
    },
    locale: config?.get('locale') || env._APP_LOCALE || 'en',
    smsProvider: (env._APP_SMS_PROVIDER ?? '').trim(),
    smsFrom: (env._APP_SMS_FROM ?? '').trim(),
  };
}
