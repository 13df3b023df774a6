import { generateKeyPairSync, verify } from 'node:crypto';

import { appleClientSecret, appleProfile } from './apple';
import { OAuth2Client, parseBody } from './oauth2.client';
import { ProviderHttp } from './provider';
import { OAuth2ProviderRegistry, providerCredentials } from './registry';

interface Call {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  form?: Record<string, string>;
  json?: unknown;
}

/** Records every provider call and answers from a table keyed by URL prefix. */
class RecordingHttp implements ProviderHttp {
  calls: Call[] = [];
  constructor(private readonly answers: Record<string, Record<string, unknown>>) {}
  async request(url: string, init: Omit<Call, 'url'>): Promise<Record<string, unknown>> {
    this.calls.push({ url, ...init });
    const key = Object.keys(this.answers).find((prefix) => url.startsWith(prefix));
    if (!key) throw new Error(`unexpected call ${url}`);
    return this.answers[key];
  }
}

const registry = new OAuth2ProviderRegistry();
const REDIRECT = 'https://api.example.com/v1/account/sessions/oauth2/callback/x/p1';

function client(name: string, http: ProviderHttp, secret = 'secret') {
  const definition = registry.get(name)!;
  return new OAuth2Client(definition, providerCredentials(definition, { appId: 'app', secret }), REDIRECT, http);
}

const TOKENS = { access_token: 'AT', refresh_token: 'RT', expires_in: 3600 };

describe('OAuth2Client', () => {
  it('builds authorize URLs with scopes, state and provider specifics', () => {
    const none = new RecordingHttp({});
    const github = new URL(client('github', none).loginUrl('ST', ['repo', 'user:email']));
    expect(github.origin + github.pathname).toBe('https://github.com/login/oauth/authorize');
    expect(Object.fromEntries(github.searchParams)).toEqual({ client_id: 'app', redirect_uri: REDIRECT, response_type: 'code', scope: 'user:email repo', state: 'ST' });

    const microsoft = new URL(client('microsoft', none, '{"clientSecret":"s","tenantID":"contoso"}').loginUrl('ST'));
    expect(microsoft.pathname).toBe('/contoso/oauth2/v2.0/authorize');
    expect(microsoft.searchParams.get('response_mode')).toBe('query');
    expect(new URL(client('disqus', none).loginUrl('ST')).searchParams.get('scope')).toBe('read,email');
    expect(new URL(client('slack', none).loginUrl('ST')).searchParams.has('response_type')).toBe(false);
    expect(new URL(client('auth0', none, '{"clientSecret":"s","auth0Domain":"acme.auth0.com"}').loginUrl('ST')).host).toBe('acme.auth0.com');
    const etsy = new URL(client('etsy', none).loginUrl('ST', [], 'CHALLENGE'));
    expect(etsy.searchParams.get('code_challenge')).toBe('CHALLENGE');
    expect(etsy.searchParams.get('code_challenge_method')).toBe('S256');
    expect(new URL(client('github', none).loginUrl('ST', [], 'CHALLENGE')).searchParams.has('code_challenge')).toBe(false);
  });

  it('authenticates at the token endpoint in each provider style', async () => {
    const http = new RecordingHttp({ 'https://': TOKENS });
    await client('github', http).exchangeCode('C1');
    expect(http.calls[0]).toMatchObject({ method: 'POST', form: { client_id: 'app', client_secret: 'secret', code: 'C1', grant_type: 'authorization_code', redirect_uri: REDIRECT } });

    await client('spotify', http).exchangeCode('C2');
    expect(http.calls[1].headers?.authorization).toBe(`Basic ${Buffer.from('app:secret').toString('base64')}`);
    expect(http.calls[1].form).toEqual({ grant_type: 'authorization_code', code: 'C2', redirect_uri: REDIRECT });

    await client('facebook', http).exchangeCode('C3');
    const facebook = new URL(http.calls[2].url);
    expect(http.calls[2].method).toBe('GET');
    expect(Object.fromEntries(facebook.searchParams)).toMatchObject({ client_id: 'app', client_secret: 'secret', code: 'C3' });

    await client('notion', http).exchangeCode('C4');
    expect(http.calls[3].json).toEqual({ grant_type: 'authorization_code', code: 'C4', redirect_uri: REDIRECT });

    await client('etsy', http).exchangeCode('C5', 'VERIFIER');
    expect(http.calls[4].form).toMatchObject({ code_verifier: 'VERIFIER' });
  });

  it('reads tokens, keeps the refresh token when a refresh does not rotate it', async () => {
    const tokens = await client('google', new RecordingHttp({ 'https://': TOKENS })).exchangeCode('C');
    expect(tokens).toMatchObject({ accessToken: 'AT', refreshToken: 'RT', expiresIn: 3600 });
    const refreshed = await client('google', new RecordingHttp({ 'https://': { access_token: 'AT2', expires_in: 60 } })).refresh('RT');
    expect(refreshed).toMatchObject({ accessToken: 'AT2', refreshToken: 'RT', expiresIn: 60 });
    const yammer = await client('yammer', new RecordingHttp({ 'https://': { access_token: { token: 'YT' } } })).exchangeCode('C');
    expect(yammer.accessToken).toBe('YT');
  });

  it('reads the user the way each provider expects', async () => {
    const tokens = { accessToken: 'AT', refreshToken: '', expiresIn: 0, raw: {} };
    const github = new RecordingHttp({
      'https://api.github.com/user/emails': { items: [{ email: 'Other@x.test', primary: false, verified: true }, { email: 'Main@X.test', primary: true, verified: true }] },
      'https://api.github.com/user': { id: 7, login: 'octo', name: null },
    });
    expect(await client('github', github).user(tokens)).toEqual({ id: '7', email: 'main@x.test', name: 'octo', verified: true });
    expect(github.calls[0].headers?.authorization).toBe('token AT');

    const yandex = new RecordingHttp({ 'https://login.yandex.ru/info': { id: '9', default_email: 'y@x.test', real_name: 'Y' } });
    expect(await client('yandex', yandex).user(tokens)).toMatchObject({ id: '9', email: 'y@x.test' });
    expect(yandex.calls[0].headers?.authorization).toBe('OAuth AT');

    const facebook = new RecordingHttp({ 'https://graph.facebook.com': { id: '5', email: 'f@x.test', name: 'F' } });
    expect(await client('facebook', facebook).user(tokens)).toEqual({ id: '5', email: 'f@x.test', name: 'F', verified: true });
    expect(new URL(facebook.calls[0].url).searchParams.get('access_token')).toBe('AT');
    expect(new URL(facebook.calls[0].url).searchParams.get('fields')).toBe('email,name');

    const dropbox = new RecordingHttp({ 'https://api.dropboxapi.com': { account_id: 'dbid', email: 'd@x.test', name: { display_name: 'D' }, email_verified: true } });
    expect(await client('dropbox', dropbox).user(tokens)).toEqual({ id: 'dbid', email: 'd@x.test', name: 'D', verified: true });
    expect(dropbox.calls[0].method).toBe('POST');

    const twitch = new RecordingHttp({ 'https://api.twitch.tv': { data: [{ id: 't1', email: 't@x.test', display_name: 'T' }] } });
    expect(await client('twitch', twitch).user(tokens)).toEqual({ id: 't1', email: 't@x.test', name: 'T', verified: true });
    expect(twitch.calls[0].headers?.['Client-Id']).toBe('app');

    const stripe = new RecordingHttp({ 'https://api.stripe.com/v1/accounts/acct_1': { id: 'acct_1', email: 's@x.test', business_profile: { name: 'Shop' } } });
    expect(await client('stripe', stripe).user({ ...tokens, raw: { stripe_user_id: 'acct_1' } })).toMatchObject({ id: 'acct_1', name: 'Shop' });

    const disqus = new RecordingHttp({ 'https://disqus.com': { response: { id: 'dq', email: 'q@x.test', name: 'Q' } } });
    expect(await client('disqus', disqus).user(tokens)).toMatchObject({ id: 'dq', email: 'q@x.test' });
    expect(Object.fromEntries(new URL(disqus.calls[0].url).searchParams)).toEqual({ api_key: 'app', api_secret: 'secret', access_token: 'AT' });
  });

  it('parses JSON and form-encoded token answers', () => {
    expect(parseBody('access_token=abc&scope=user%3Aemail&token_type=bearer')).toEqual({ access_token: 'abc', scope: 'user:email', token_type: 'bearer' });
    expect(parseBody('{"access_token":"abc"}')).toEqual({ access_token: 'abc' });
    expect(parseBody('[1,2]')).toEqual({ items: [1, 2] });
    expect(() => parseBody('{broken')).toThrow(/malformed/);
  });
});

describe('Sign in with Apple', () => {
  it('signs an ES256 client secret with the p8 key and reads the user from the id_token', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const p8 = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const jwt = appleClientSecret({ appId: 'com.example.web', secret: '', params: { keyID: 'KEY1', teamID: 'TEAM1', p8 } }, 1_700_000_000);
    const [header, payload, signature] = jwt.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'ES256', kid: 'KEY1', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toEqual({ iss: 'TEAM1', iat: 1_700_000_000, exp: 1_700_000_600, aud: 'https://appleid.apple.com', sub: 'com.example.web' });
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(appleClientSecret({ appId: 'x', secret: '', params: {} })).toBe('');

    const idToken = ['e30', Buffer.from(JSON.stringify({ sub: 'apple-1', email: 'a@x.test', email_verified: 'true' })).toString('base64url'), 'sig'].join('.');
    expect(appleProfile({ accessToken: 'AT', refreshToken: '', expiresIn: 0, raw: { id_token: idToken } })).toMatchObject({ sub: 'apple-1', email: 'a@x.test' });
    expect(appleProfile({ accessToken: 'AT', refreshToken: '', expiresIn: 0, raw: {} })).toEqual({});
  });
});
