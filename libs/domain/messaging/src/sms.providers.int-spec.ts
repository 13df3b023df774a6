import { AppConfig } from '@appconda/config';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { readMessagingSettings } from './messaging.settings';
import { SmsDeliveryError, SmsProviderName } from './sms.providers';
import { SmsService } from './sms.service';

interface Captured {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
}

interface Reply {
  status: number;
  body: unknown;
}

/** A loopback HTTP server standing in for a provider API: records requests, answers with `reply`. */
class FakeProviderApi {
  readonly requests: Captured[] = [];
  reply: Reply = { status: 200, body: {} };
  private server?: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, raw: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(this.reply.status, { 'content-type': 'application/json' });
        response.end(typeof this.reply.body === 'string' ? this.reply.body : JSON.stringify(this.reply.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  last(): Captured {
    expect(this.requests.length).toBeGreaterThan(0);
    return this.requests[this.requests.length - 1];
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

const api = new FakeProviderApi();

function service(provider: SmsProviderName, dsn: string, from = '+15550001111'): SmsService {
  const settings = readMessagingSettings(new AppConfig({ _APP_SMS_PROVIDER: dsn, _APP_SMS_FROM: from }));
  return new SmsService(settings, { [provider]: api.url });
}

const form = (raw: string) => Object.fromEntries(new URLSearchParams(raw));
const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
const MESSAGE = { to: '+491701234567', text: 'Your Acme login code is 123456', code: '123456' };

beforeAll(() => api.start());
afterAll(() => api.stop());
beforeEach(() => {
  api.requests.length = 0;
});

describe('Twilio', () => {
  const sut = () => service(SmsProviderName.Twilio, 'sms://AC0123456789:tw-token@twilio');

  it('posts the message form to the account Messages resource with basic auth', async () => {
    api.reply = { status: 201, body: { sid: 'SM42', status: 'queued' } };
    await expect(sut().send(MESSAGE)).resolves.toEqual({ provider: 'twilio', id: 'SM42' });
    const request = api.last();
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/2010-04-01/Accounts/AC0123456789/Messages.json');
    expect(request.headers.authorization).toBe(basic('AC0123456789', 'tw-token'));
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(form(request.raw)).toEqual({ To: '+491701234567', From: '+15550001111', Body: MESSAGE.text });
  });

  it('fails on an error response', async () => {
    api.reply = { status: 400, body: { code: 21211, message: "The 'To' number is not valid.", status: 400 } };
    await expect(sut().send(MESSAGE)).rejects.toThrow(SmsDeliveryError);
    await expect(sut().send(MESSAGE)).rejects.toThrow(/400.*not valid/);
  });
});

describe('Textmagic', () => {
  const sut = () => service(SmsProviderName.Textmagic, 'sms://tm-user:tm-key@text-magic');

  it('posts phones and text with the X-TM headers', async () => {
    api.reply = { status: 201, body: { id: 7, messageId: 49576009, href: '/api/v2/messages/49576009' } };
    await expect(sut().send(MESSAGE)).resolves.toEqual({ provider: 'textmagic', id: '49576009' });
    const request = api.last();
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/api/v2/messages');
    expect(request.headers['x-tm-username']).toBe('tm-user');
    expect(request.headers['x-tm-key']).toBe('tm-key');
    expect(request.headers.authorization).toBeUndefined();
    expect(form(request.raw)).toEqual({ phones: '491701234567', text: MESSAGE.text, from: '15550001111' });
  });

  it('fails on an error response', async () => {
    api.reply = { status: 401, body: { code: 401, message: 'Unauthorized' } };
    await expect(sut().send(MESSAGE)).rejects.toThrow(/textmagic: HTTP 401: Unauthorized/);
  });
});

describe('Telesign', () => {
  const sut = () => service(SmsProviderName.Telesign, 'sms://CUST-ID:base64key==@telesign');

  it('posts phone_number, message and message_type=ARN with basic auth', async () => {
    api.reply = { status: 200, body: { reference_id: 'REF1', status: { code: 290, description: 'Message in progress' } } };
    await expect(sut().send(MESSAGE)).resolves.toEqual({ provider: 'telesign', id: 'REF1' });
    const request = api.last();
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/messaging');
    expect(request.headers.authorization).toBe(basic('CUST-ID', 'base64key=='));
    expect(form(request.raw)).toEqual({ phone_number: '491701234567', message: MESSAGE.text, message_type: 'ARN' });
  });

  it('fails on an HTTP error', async () => {
    api.reply = { status: 401, body: { status: { code: 10033, description: 'Invalid Customer ID.' } } };
    await expect(sut().send(MESSAGE)).rejects.toThrow(/401: Invalid Customer ID/);
  });

  it('fails on a failure status inside a 200 answer', async () => {
    api.reply = { status: 200, body: { reference_id: 'REF2', status: { code: 221, description: 'Invalid phone number' } } };
    await expect(sut().send(MESSAGE)).rejects.toThrow(/status 221 Invalid phone number/);
  });
});

describe('Msg91', () => {
  it('posts the flow JSON with the authkey header', async () => {
    api.reply = { status: 200, body: { type: 'success', message: '3763646c3058373530393131' } };
    const sut = service(SmsProviderName.Msg91, 'sms://ACMEIN:msg91-auth@msg91', 'flow-123');
    await expect(sut.send(MESSAGE)).resolves.toEqual({ provider: 'msg91', id: '3763646c3058373530393131' });
    const request = api.last();
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/api/v5/flow/');
    expect(request.headers.authkey).toBe('msg91-auth');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.raw)).toEqual({ sender: 'ACMEIN', flow_id: 'flow-123', recipients: [{ mobiles: '491701234567', otp: '123456' }] });
  });

  it('fails on an error payload even with HTTP 200', async () => {
    api.reply = { status: 200, body: { type: 'error', message: 'Authentication failure' } };
    await expect(service(SmsProviderName.Msg91, 'sms://ACMEIN:bad@msg91').send(MESSAGE)).rejects.toThrow(/msg91: HTTP 200: Authentication failure/);
  });
});

describe('Vonage', () => {
  const sut = () => service(SmsProviderName.Vonage, 'sms://vn-key:vn-secret@vonage');

  it('posts api_key, api_secret, to, from and text as a form', async () => {
    api.reply = { status: 200, body: { 'message-count': '1', messages: [{ to: '491701234567', 'message-id': 'MID1', status: '0' }] } };
    await expect(sut().send(MESSAGE)).resolves.toEqual({ provider: 'vonage', id: 'MID1' });
    const request = api.last();
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/sms/json');
    expect(form(request.raw)).toEqual({ api_key: 'vn-key', api_secret: 'vn-secret', to: '491701234567', from: '15550001111', text: MESSAGE.text });
  });

  it('fails when a message carries a non-zero status', async () => {
    api.reply = { status: 200, body: { 'message-count': '1', messages: [{ status: '4', 'error-text': 'Bad Credentials' }] } };
    await expect(sut().send(MESSAGE)).rejects.toThrow(/status 4 Bad Credentials/);
  });

  it('fails on a server error', async () => {
    api.reply = { status: 503, body: 'upstream down' };
    await expect(sut().send(MESSAGE)).rejects.toThrow(/vonage: HTTP 503: upstream down/);
  });
});

describe('Mock (Appwrite test double)', () => {
  it('posts message, from and to as JSON with the x-username / x-key headers', async () => {
    api.reply = { status: 200, body: {} };
    await expect(service(SmsProviderName.Mock, 'sms://mock-user:mock-key@mock').send(MESSAGE)).resolves.toEqual({ provider: 'mock' });
    const request = api.last();
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/mock-sms');
    expect(request.headers['x-username']).toBe('mock-user');
    expect(request.headers['x-key']).toBe('mock-key');
    expect(JSON.parse(request.raw)).toEqual({ message: MESSAGE.text, from: '+15550001111', to: '+491701234567' });
  });

  it('fails on an error status', async () => {
    api.reply = { status: 500, body: { message: 'catcher down' } };
    await expect(service(SmsProviderName.Mock, 'sms://u:k@mock').send(MESSAGE)).rejects.toThrow(/mock: HTTP 500: catcher down/);
  });
});

describe('SmsService', () => {
  it('answers general_phone_disabled when no provider is configured, without any request', async () => {
    const sut = new SmsService(readMessagingSettings(new AppConfig({})));
    expect(sut.enabled).toBe(false);
    await expect(sut.send(MESSAGE)).rejects.toMatchObject({ type: 'general_phone_disabled', code: 503 });
    expect(api.requests).toHaveLength(0);
  });

  it('refuses numbers that are not E.164', async () => {
    await expect(service(SmsProviderName.Twilio, 'sms://a:b@twilio').send({ to: 'call me', text: 'x' })).rejects.toMatchObject({ type: 'general_argument_invalid' });
    expect(api.requests).toHaveLength(0);
  });

  it('surfaces an unreachable provider as a delivery failure', async () => {
    const settings = readMessagingSettings(new AppConfig({ _APP_SMS_PROVIDER: 'sms://a:b@twilio', _APP_SMS_FROM: '+1555' }));
    const sut = new SmsService(settings, { twilio: 'http://127.0.0.1:1' });
    await expect(sut.send(MESSAGE)).rejects.toThrow(SmsDeliveryError);
  });
});
