import { AppException, ErrorType } from '@appconda/core';

export enum SmsProviderName {
  Msg91 = 'msg91',
  Telesign = 'telesign',
  Textmagic = 'textmagic',
  Twilio = 'twilio',
  Vonage = 'vonage',
}

/** `_APP_SMS_PROVIDER` parsed: `sms://[USER]:[SECRET]@[PROVIDER]`. */
export interface SmsDsn {
  provider: SmsProviderName;
  user: string;
  secret: string;
  /** Query parameters after the provider, if any (`sms://u:s@msg91?template=…`). */
  params: Record<string, string>;
}

// Appwrite 1.3 documents `text-magic`; `nexmo` is Vonage's former name.
const ALIASES: Record<string, SmsProviderName> = {
  msg91: SmsProviderName.Msg91,
  nexmo: SmsProviderName.Vonage,
  telesign: SmsProviderName.Telesign,
  'text-magic': SmsProviderName.Textmagic,
  textmagic: SmsProviderName.Textmagic,
  twilio: SmsProviderName.Twilio,
  vonage: SmsProviderName.Vonage,
};

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function invalid(reason: string): AppException {
  return new AppException(ErrorType.GeneralPhoneDisabled, `The SMS provider is misconfigured: ${reason}.`);
}

/**
 * Parses the provider DSN. Secrets are taken up to the last `@`, so a raw `@`, `/` or `:` inside the
 * secret still works; percent-encoded credentials are decoded. An empty DSN means SMS is disabled
 * (general_phone_disabled), as is an unknown provider.
 */
export function parseSmsDsn(dsn: string): SmsDsn {
  const value = dsn.trim();
  if (!value) throw new AppException(ErrorType.GeneralPhoneDisabled, 'SMS is disabled: set _APP_SMS_PROVIDER to send messages.');
  const schemeEnd = value.indexOf('://');
  if (schemeEnd <= 0) throw invalid('expected sms://USER:SECRET@PROVIDER');
  const rest = value.slice(schemeEnd + 3);
  const at = rest.lastIndexOf('@');
  const credentials = at >= 0 ? rest.slice(0, at) : '';
  const location = at >= 0 ? rest.slice(at + 1) : rest;
  const [hostPart, query = ''] = location.split('?', 2);
  const host = hostPart.replace(/\/+$/, '').toLowerCase();
  const provider = ALIASES[host];
  if (!provider) throw invalid(`unknown provider "${host}"`);
  const colon = credentials.indexOf(':');
  const user = decode(colon >= 0 ? credentials.slice(0, colon) : credentials);
  const secret = decode(colon >= 0 ? credentials.slice(colon + 1) : '');
  if (!user || !secret) throw invalid('USER and SECRET are both required');
  return { provider, user, secret, params: Object.fromEntries(new URLSearchParams(query)) };
}
