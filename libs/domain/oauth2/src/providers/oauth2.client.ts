import { fillEndpoint, OAuth2ProviderDefinition, OAuth2User, ProviderCredentials, ProviderHttp, text, TokenSet } from './provider';

/** How long one call to a provider may take. */
const PROVIDER_TIMEOUT_MS = 10_000;
/** Largest provider answer read (profiles and token responses are small). */
const MAX_BODY_BYTES = 1024 * 1024;

/** A provider answered with an error status or something unreadable. */
export class ProviderRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProviderRequestError';
  }
}

/** ProviderHttp over Node's fetch: JSON or form-encoded answers, a timeout, no redirects followed. */
export class FetchProviderHttp implements ProviderHttp {
  async request(url: string, init: { method?: string; headers?: Record<string, string>; form?: Record<string, string>; json?: unknown }): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'Appconda', ...init.headers };
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    let response: Response;
    try {
      response = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual', signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS) });
    } catch (error) {
      throw new ProviderRequestError(`provider unreachable: ${(error as Error).message}`);
    }
    const raw = await response.text();
    if (raw.length > MAX_BODY_BYTES) throw new ProviderRequestError('provider answer too large', response.status);
    if (!response.ok) throw new ProviderRequestError(`provider answered ${response.status}`, response.status);
    return parseBody(raw);
  }
}

/** JSON when it parses as an object, else a form-encoded body (`access_token=…&scope=…`). */
export function parseBody(raw: string): Record<string, unknown> {
  const trimmed = raw.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return { items: parsed };
      if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
    } catch {
      throw new ProviderRequestError('provider answered malformed JSON');
    }
  }
  return Object.fromEntries(new URLSearchParams(trimmed));
}

/**
 * One provider configured for one project: Appwrite's per-provider adapter, driven by a declarative
 * definition. Builds the authorize URL, trades the code (or a refresh token) for tokens and reads the
 * user.
 */
export class OAuth2Client {
  constructor(
    readonly definition: OAuth2ProviderDefinition,
    private readonly credentials: ProviderCredentials,
    private readonly redirectUri: string,
    private readonly http: ProviderHttp,
  ) {}

  private endpoint(name: string): string {
    const template = this.definition.endpoints[name];
    if (template === undefined) throw new ProviderRequestError(`provider ${this.definition.name} has no ${name} endpoint`);
    return fillEndpoint(template, { ...this.credentials.params, appId: this.credentials.appId, clientSecret: this.credentials.secret });
  }

  private clientSecret(): string {
    return this.definition.clientSecret ? this.definition.clientSecret(this.credentials) : this.credentials.secret;
  }

  /** The provider's authorize URL for the browser. */
  loginUrl(state: string, extraScopes: string[] = [], codeChallenge?: string): string {
    const url = new URL(this.endpoint('authorize'));
    const scopes = [...new Set([...this.definition.scopes, ...extraScopes])];
    const params: Record<string, string> = { client_id: this.credentials.appId, redirect_uri: this.redirectUri };
    if (this.definition.responseType !== false) params.response_type = 'code';
    if (scopes.length) params.scope = scopes.join(this.definition.scopeSeparator ?? ' ');
    Object.assign(params, this.definition.authorizeParams, { state });
    if (this.definition.pkce && codeChallenge) Object.assign(params, { code_challenge: codeChallenge, code_challenge_method: 'S256' });
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url.toString();
  }

  /** Trades an authorization code for tokens. */
  exchangeCode(code: string, codeVerifier?: string): Promise<TokenSet> {
    const params: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: this.redirectUri };
    if (this.definition.pkce && codeVerifier) params.code_verifier = codeVerifier;
    return this.tokenRequest(params);
  }

  /** Trades a refresh token for new tokens (PATCH /v1/account/sessions/{id}). */
  async refresh(refreshToken: string): Promise<TokenSet> {
    const tokens = await this.tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken });
    // Providers that do not rotate refresh tokens omit them: the old one stays valid.
    return { ...tokens, refreshToken: tokens.refreshToken || refreshToken };
  }

  private async tokenRequest(params: Record<string, string>): Promise<TokenSet> {
    const id = this.credentials.appId;
    const secret = this.clientSecret();
    const basic = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    const extra = this.definition.tokenParams ?? {};
    let raw: Record<string, unknown>;
    switch (this.definition.tokenAuth) {
      case 'query': {
        const url = new URL(this.endpoint('token'));
        for (const [name, value] of Object.entries({ client_id: id, client_secret: secret, ...params, ...extra })) url.searchParams.set(name, value);
        raw = await this.http.request(url.toString(), { method: 'GET' });
        break;
      }
      case 'basic':
        raw = await this.http.request(this.endpoint('token'), { method: 'POST', headers: { authorization: basic }, form: { ...params, ...extra } });
        break;
      case 'basic-json':
        raw = await this.http.request(this.endpoint('token'), { method: 'POST', headers: { authorization: basic }, json: { ...params, ...extra } });
        break;
      default:
        raw = await this.http.request(this.endpoint('token'), { method: 'POST', form: { client_id: id, client_secret: secret, ...params, ...extra } });
    }
    return readTokens(this.definition, raw);
  }

  /** The signed-in user, read with the access token. */
  async user(tokens: TokenSet): Promise<OAuth2User> {
    const get = (name: string, suffix = '') => this.resource(this.endpoint(name) + encodeURIComponent(suffix), tokens.accessToken);
    const profile = this.definition.loadProfile ? await this.definition.loadProfile(get, tokens, this.credentials) : await get('user');
    const user = this.definition.mapUser(profile, tokens);
    return { ...user, email: user.email.toLowerCase() };
  }

  private resource(endpoint: string, accessToken: string): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = { ...this.definition.userHeaders?.(this.credentials) };
    let url = endpoint;
    switch (this.definition.userAuth ?? 'bearer') {
      case 'query': {
        const parsed = new URL(endpoint);
        parsed.searchParams.set(this.definition.userTokenParam ?? 'access_token', accessToken);
        url = parsed.toString();
        break;
      }
      case 'token':
        headers.authorization = `token ${accessToken}`;
        break;
      case 'oauth':
        headers.authorization = `OAuth ${accessToken}`;
        break;
      default:
        headers.authorization = `Bearer ${accessToken}`;
    }
    return this.http.request(url, { method: this.definition.userMethod ?? 'GET', headers });
  }
}

/** The token fields of a token response, however the provider spells them. */
export function readTokens(definition: OAuth2ProviderDefinition, raw: Record<string, unknown>): TokenSet {
  const custom = definition.readTokens?.(raw) ?? {};
  const expires = Number(raw.expires_in ?? raw.expires ?? 0);
  return {
    accessToken: custom.accessToken ?? text(raw, 'access_token'),
    refreshToken: custom.refreshToken ?? text(raw, 'refresh_token'),
    expiresIn: custom.expiresIn ?? (Number.isFinite(expires) && expires > 0 ? Math.floor(expires) : 0),
    raw,
  };
}
