import { AppException, ErrorType } from '@appconda/core';

/** The SMS adapters Appwrite 1.3 knows (`mock` is its test double, posting to a request catcher). */
export enum SmsProviderName {
  Mock = 'mock',
  Msg91 = 'msg91',
  Telesign = 'telesign',
  Textmagic = 'textmagic',
  Twilio = 'twilio',
  Vonage = 'vonage',
}

/** The parts of `_APP_SMS_PROVIDER` (`sms://[USER]:[SECRET]@[PROVIDER]`) an adapter needs. */
export interface SmsProviderCredentials {
  name: SmsProviderName;
  user: string;
  secret: string;
}

// Appwrite 1.3 spells Textmagic `text-magic` in the DSN; `nexmo` is Vonage's former name.
const PROVIDER_NAMES: Record<string, SmsProviderName> = {
  mock: SmsProviderName.Mock,
  msg91: SmsProviderName.Msg91,
  nexmo: SmsProviderName.Vonage,
  telesign: SmsProviderName.Telesign,
  'text-magic': SmsProviderName.Textmagic,
  textmagic: SmsProviderName.Textmagic,
  twilio: SmsProviderName.Twilio,
  vonage: SmsProviderName.Vonage,
};

/** Maps the DSN's provider host to an adapter; an unknown one means SMS is unavailable. */
export function smsProviderName(host: string): SmsProviderName {
  const name = PROVIDER_NAMES[host.toLowerCase()];
  if (!name) throw new AppException(ErrorType.GeneralPhoneDisabled, `Unknown SMS provider "${host}".`);
  return name;
}

/** One text message to one phone number (E.164, `+` and digits). */
export interface SmsMessage {
  to: string;
  text: string;
  /** The one-time code inside `text`, for providers whose templates take it as a variable (Msg91). */
  code?: string;
}

export interface SmsReceipt {
  provider: SmsProviderName;
  /** The provider's message id, when it returns one. */
  id?: string;
}

export interface SmsAdapter {
  readonly name: SmsProviderName;
  send(message: SmsMessage): Promise<SmsReceipt>;
}

/** A provider refused or failed a message. Thrown so the queue job is retried. */
export class SmsDeliveryError extends Error {
  override name = 'SmsDeliveryError';

  constructor(
    readonly provider: SmsProviderName,
    message: string,
    readonly status?: number,
  ) {
    super(`${provider}: ${message}`);
  }
}

/** Real API hosts; tests point a provider at a loopback server instead. */
export const SMS_PROVIDER_BASE_URLS: Readonly<Record<SmsProviderName, string>> = {
  mock: 'http://request-catcher:5000',
  msg91: 'https://api.msg91.com',
  telesign: 'https://rest-api.telesign.com',
  textmagic: 'https://rest.textmagic.com',
  twilio: 'https://api.twilio.com',
  vonage: 'https://rest.nexmo.com',
};

export type SmsBaseUrls = Partial<Record<SmsProviderName, string>>;

export interface SmsProviderOptions {
  /** `_APP_SMS_FROM`. */
  from: string;
  baseUrl?: string;
  timeoutMs?: number;
}

interface ProviderResponse {
  status: number;
  ok: boolean;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  json: Record<string, unknown> | undefined;
  text: string;
}

type Body = { form: Record<string, string> } | { json: unknown };

function basicAuth(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}

/** Most providers want the number without the leading `+`. */
function digitsOnly(phone: string): string {
  return phone.replace(/[^\d]/g, '');
}

function field(source: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = source?.[key];
  return value === undefined || value === null ? undefined : String(value);
}

abstract class HttpSmsAdapter implements SmsAdapter {
  abstract readonly name: SmsProviderName;

  constructor(
    protected readonly credentials: SmsProviderCredentials,
    protected readonly options: SmsProviderOptions,
  ) {}

  abstract send(message: SmsMessage): Promise<SmsReceipt>;

  protected async post(path: string, headers: Record<string, string>, body: Body): Promise<ProviderResponse> {
    const base = (this.options.baseUrl || SMS_PROVIDER_BASE_URLS[this.name]).replace(/\/+$/, '');
    const isForm = 'form' in body;
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': isForm ? 'application/x-www-form-urlencoded' : 'application/json', ...headers },
        body: isForm ? new URLSearchParams(body.form).toString() : JSON.stringify(body.json),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new SmsDeliveryError(this.name, `request failed (${(error as Error).message})`);
    }
    const text = await response.text();
    let json: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      json = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, ok: response.ok, json, text };
  }

  protected fail(response: ProviderResponse, detail?: string): never {
    const reason = detail ?? field(response.json, 'message') ?? (response.text.slice(0, 200) || 'no response body');
    throw new SmsDeliveryError(this.name, `HTTP ${response.status}: ${reason}`, response.status);
  }
}

/** @see https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource */
class TwilioAdapter extends HttpSmsAdapter {
  readonly name = SmsProviderName.Twilio;

  async send(message: SmsMessage): Promise<SmsReceipt> {
    const { user: accountSid, secret: authToken } = this.credentials;
    const response = await this.post(`/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`, { authorization: basicAuth(accountSid, authToken) }, {
      form: { To: message.to, From: this.options.from, Body: message.text },
    });
    if (!response.ok) this.fail(response);
    return { provider: this.name, id: field(response.json, 'sid') };
  }
}

/** @see https://docs.textmagic.com/ (POST /api/v2/messages) */
class TextmagicAdapter extends HttpSmsAdapter {
  readonly name = SmsProviderName.Textmagic;

  async send(message: SmsMessage): Promise<SmsReceipt> {
    const form: Record<string, string> = { phones: digitsOnly(message.to), text: message.text };
    if (this.options.from) form.from = digitsOnly(this.options.from);
    const response = await this.post('/api/v2/messages', { 'X-TM-Username': this.credentials.user, 'X-TM-Key': this.credentials.secret }, { form });
    if (!response.ok) this.fail(response);
    return { provider: this.name, id: field(response.json, 'messageId') ?? field(response.json, 'id') };
  }
}

// Telesign answers 2xx for accepted requests and reports the message state in status.code:
// 200/203 delivered, 290-295 queued or in progress; the other codes are failures.
const TELESIGN_ACCEPTED = new Set([200, 203, 290, 291, 292, 295]);

/** @see https://developer.telesign.com/enterprise/reference/sendsms */
class TelesignAdapter extends HttpSmsAdapter {
  readonly name = SmsProviderName.Telesign;

  async send(message: SmsMessage): Promise<SmsReceipt> {
    const response = await this.post('/v1/messaging', { authorization: basicAuth(this.credentials.user, this.credentials.secret) }, {
      form: { phone_number: digitsOnly(message.to), message: message.text, message_type: 'ARN' },
    });
    const status = response.json?.status as Record<string, unknown> | undefined;
    const code = Number(field(status, 'code'));
    if (!response.ok) this.fail(response, field(status, 'description'));
    if (status && !TELESIGN_ACCEPTED.has(code)) this.fail(response, `status ${code} ${field(status, 'description') ?? ''}`.trim());
    return { provider: this.name, id: field(response.json, 'reference_id') };
  }
}

/**
 * Msg91 sends through a flow (template) created in its dashboard; the template holds the wording and
 * takes the code as the `otp` variable. As in Appwrite 1.3, the DSN user is the sender id and
 * `_APP_SMS_FROM` the flow id.
 * @see https://docs.msg91.com/ (POST /api/v5/flow/)
 */
class Msg91Adapter extends HttpSmsAdapter {
  readonly name = SmsProviderName.Msg91;

  async send(message: SmsMessage): Promise<SmsReceipt> {
    const body = {
      sender: this.credentials.user,
      flow_id: this.options.from,
      recipients: [{ mobiles: digitsOnly(message.to), otp: message.code ?? message.text }],
    };
    const response = await this.post('/api/v5/flow/', { authkey: this.credentials.secret }, { json: body });
    // Msg91 may answer 200 with {"type":"error"}.
    if (!response.ok || field(response.json, 'type') === 'error') this.fail(response);
    return { provider: this.name, id: field(response.json, 'message') };
  }
}

/** @see https://developer.vonage.com/en/api/sms (POST /sms/json) */
class VonageAdapter extends HttpSmsAdapter {
  readonly name = SmsProviderName.Vonage;

  async send(message: SmsMessage): Promise<SmsReceipt> {
    const response = await this.post('/sms/json', {}, {
      form: { api_key: this.credentials.user, api_secret: this.credentials.secret, to: digitsOnly(message.to), from: this.options.from.replace(/^\+/, ''), text: message.text },
    });
    if (!response.ok) this.fail(response);
    // Vonage answers 200 even for refused messages; each message carries status "0" on success.
    const messages = (response.json?.messages as Record<string, unknown>[] | undefined) ?? [];
    const refused = messages.find((item) => field(item, 'status') !== '0');
    if (!messages.length || refused) this.fail(response, refused ? `status ${field(refused, 'status')} ${field(refused, 'error-text') ?? ''}`.trim() : 'no message in response');
    return { provider: this.name, id: field(messages[0], 'message-id') };
  }
}

/** Appwrite's test double: JSON to a request catcher, so e2e suites can read the code back. */
class MockAdapter extends HttpSmsAdapter {
  readonly name = SmsProviderName.Mock;

  async send(message: SmsMessage): Promise<SmsReceipt> {
    const response = await this.post('/mock-sms', { 'x-username': this.credentials.user, 'x-key': this.credentials.secret }, {
      json: { message: message.text, from: this.options.from, to: message.to },
    });
    if (!response.ok) this.fail(response);
    return { provider: this.name };
  }
}

const ADAPTERS: Record<SmsProviderName, new (dsn: SmsProviderCredentials, options: SmsProviderOptions) => SmsAdapter> = {
  mock: MockAdapter,
  msg91: Msg91Adapter,
  telesign: TelesignAdapter,
  textmagic: TextmagicAdapter,
  twilio: TwilioAdapter,
  vonage: VonageAdapter,
};

export function createSmsAdapter(credentials: SmsProviderCredentials, options: SmsProviderOptions): SmsAdapter {
  return new ADAPTERS[credentials.name](credentials, options);
}
