import { OAuth2ProviderDefinition, oidcUser, pick, text, truthy } from './provider';

const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'];

function paypal(name: string, web: string, api: string): OAuth2ProviderDefinition {
  return {
    name,
    endpoints: { authorize: `${web}/connect/`, token: `${api}/v1/oauth2/token`, user: `${api}/v1/identity/oauth2/userinfo?schema=paypalv1.1` },
    scopes: ['openid', 'profile', 'email'],
    authorizeParams: { flowEntry: 'static' },
    tokenAuth: 'basic',
    mapUser: (p) => {
      const emails = Array.isArray(p.emails) ? (p.emails as Record<string, unknown>[]) : [];
      const primary = emails.find((item) => truthy(item.primary)) ?? emails[0];
      return { id: text(p, 'payer_id', 'user_id'), email: primary ? text(primary, 'value') : text(p, 'email'), name: text(p, 'name'), verified: truthy(p.verified_account) };
    },
  };
}

function tradeshift(name: string, api: string): OAuth2ProviderDefinition {
  return {
    name,
    endpoints: { authorize: `${api}/tradeshift/auth/login`, token: `${api}/tradeshift/auth/token`, user: `${api}/tradeshift/rest/external/account/info/user` },
    scopes: ['openid', 'offline'],
    tokenAuth: 'basic',
    mapUser: (p) => ({
      id: text(p, 'Id'),
      email: text(p, 'Username'),
      name: [text(p, 'FirstName'), text(p, 'LastName')].filter(Boolean).join(' '),
      verified: false,
    }),
  };
}

/**
 * Providers `google` … `zoom` of Appwrite 1.3's list, plus `mock` (Appwrite's test-suite provider
 * served by the API's own mock routes), with the endpoints each provider documents.
 */
export const PROVIDERS_B: OAuth2ProviderDefinition[] = [
  {
    name: 'google',
    endpoints: { authorize: 'https://accounts.google.com/o/oauth2/v2/auth', token: 'https://oauth2.googleapis.com/token', user: 'https://www.googleapis.com/oauth2/v2/userinfo' },
    scopes: ['https://www.googleapis.com/auth/userinfo.email', 'https://www.googleapis.com/auth/userinfo.profile', 'openid'],
    tokenAuth: 'body',
    mapUser: (p) => ({ id: text(p, 'id', 'sub'), email: text(p, 'email'), name: text(p, 'name'), verified: truthy(p.verified_email) || truthy(p.email_verified) }),
  },
  {
    name: 'linkedin',
    endpoints: {
      authorize: 'https://www.linkedin.com/oauth/v2/authorization',
      token: 'https://www.linkedin.com/oauth/v2/accessToken',
      user: 'https://api.linkedin.com/v2/me',
      email: 'https://api.linkedin.com/v2/emailAddress?q=members&projection=(elements*(handle~))',
    },
    scopes: ['r_liteprofile', 'r_emailaddress'],
    tokenAuth: 'body',
    loadProfile: async (get) => ({ ...(await get('user')), emailAddress: pick(await get('email'), 'elements.0.handle~.emailAddress') }),
    // LinkedIn only returns the member's confirmed primary address.
    mapUser: (p) => ({
      id: text(p, 'id'),
      email: text(p, 'emailAddress'),
      name: [text(p, 'localizedFirstName'), text(p, 'localizedLastName')].filter(Boolean).join(' '),
      verified: text(p, 'emailAddress') !== '',
    }),
  },
  {
    name: 'microsoft',
    endpoints: {
      authorize: 'https://login.microsoftonline.com/{tenantID}/oauth2/v2.0/authorize',
      token: 'https://login.microsoftonline.com/{tenantID}/oauth2/v2.0/token',
      user: 'https://graph.microsoft.com/v1.0/me',
    },
    scopes: ['offline_access', 'user.read'],
    authorizeParams: { response_mode: 'query' },
    tokenAuth: 'body',
    secretFields: { clientSecret: '', tenantID: 'common' },
    mapUser: (p) => ({ id: text(p, 'id'), email: text(p, 'mail', 'userPrincipalName'), name: text(p, 'displayName'), verified: false }),
  },
  {
    name: 'notion',
    endpoints: { authorize: 'https://api.notion.com/v1/oauth/authorize', token: 'https://api.notion.com/v1/oauth/token', user: 'https://api.notion.com/v1/users/me' },
    scopes: [],
    authorizeParams: { owner: 'user' },
    tokenAuth: 'basic-json',
    userHeaders: () => ({ 'Notion-Version': '2021-08-16' }),
    mapUser: (p) => ({
      id: text(p, 'bot.owner.user.id', 'id'),
      email: text(p, 'bot.owner.user.person.email', 'person.email'),
      name: text(p, 'bot.owner.user.name', 'name'),
      verified: false,
    }),
  },
  {
    name: 'okta',
    endpoints: {
      authorize: 'https://{oktaDomain}/oauth2/{authorizationServerId}/v1/authorize',
      token: 'https://{oktaDomain}/oauth2/{authorizationServerId}/v1/token',
      user: 'https://{oktaDomain}/oauth2/{authorizationServerId}/v1/userinfo',
    },
    scopes: OIDC_SCOPES,
    tokenAuth: 'body',
    secretFields: { clientSecret: '', oktaDomain: '', authorizationServerId: 'default' },
    mapUser: oidcUser,
  },
  paypal('paypal', 'https://www.paypal.com', 'https://api.paypal.com'),
  paypal('paypalSandbox', 'https://www.sandbox.paypal.com', 'https://api.sandbox.paypal.com'),
  {
    name: 'podio',
    endpoints: {
      authorize: 'https://podio.com/oauth/authorize',
      token: 'https://api.podio.com/oauth/token',
      user: 'https://api.podio.com/user',
      profile: 'https://api.podio.com/user/profile/',
    },
    scopes: [],
    tokenAuth: 'body',
    loadProfile: async (get) => ({ ...(await get('user')), profile: await get('profile') }),
    mapUser: (p) => ({ id: text(p, 'user_id'), email: text(p, 'mail'), name: text(p, 'profile.name'), verified: false }),
  },
  {
    name: 'salesforce',
    endpoints: {
      authorize: 'https://login.salesforce.com/services/oauth2/authorize',
      token: 'https://login.salesforce.com/services/oauth2/token',
      user: 'https://login.salesforce.com/services/oauth2/userinfo',
    },
    scopes: ['openid'],
    tokenAuth: 'basic',
    mapUser: (p) => ({ id: text(p, 'user_id', 'sub'), email: text(p, 'email'), name: text(p, 'name'), verified: truthy(p.email_verified) }),
  },
  {
    name: 'slack',
    endpoints: { authorize: 'https://slack.com/oauth/authorize', token: 'https://slack.com/api/oauth.access', user: 'https://slack.com/api/users.identity' },
    scopes: ['identity.avatar', 'identity.basic', 'identity.email', 'identity.team'],
    responseType: false,
    tokenAuth: 'query',
    mapUser: (p) => ({ id: text(p, 'user.id'), email: text(p, 'user.email'), name: text(p, 'user.name'), verified: text(p, 'user.email') !== '' }),
  },
  {
    name: 'spotify',
    endpoints: { authorize: 'https://accounts.spotify.com/authorize', token: 'https://accounts.spotify.com/api/token', user: 'https://api.spotify.com/v1/me' },
    scopes: ['user-read-email'],
    tokenAuth: 'basic',
    mapUser: (p) => ({ id: text(p, 'id'), email: text(p, 'email'), name: text(p, 'display_name'), verified: false }),
  },
  {
    name: 'stripe',
    endpoints: { authorize: 'https://connect.stripe.com/oauth/authorize', token: 'https://connect.stripe.com/oauth/token', user: 'https://api.stripe.com/v1/accounts/' },
    scopes: ['read_write'],
    tokenAuth: 'body',
    // The connected account's id comes with the token; its details live under /v1/accounts/{id}.
    loadProfile: async (get, tokens) => get('user', text(tokens.raw, 'stripe_user_id')),
    mapUser: (p) => ({ id: text(p, 'id'), email: text(p, 'email'), name: text(p, 'business_profile.name', 'settings.dashboard.display_name'), verified: false }),
  },
  tradeshift('tradeshift', 'https://api.tradeshift.com'),
  tradeshift('tradeshiftBox', 'https://api-sandbox.tradeshift.com'),
  {
    name: 'twitch',
    endpoints: { authorize: 'https://id.twitch.tv/oauth2/authorize', token: 'https://id.twitch.tv/oauth2/token', user: 'https://api.twitch.tv/helix/users' },
    scopes: ['user:read:email'],
    authorizeParams: { force_verify: 'true' },
    tokenAuth: 'body',
    userHeaders: (c) => ({ 'Client-Id': c.appId }),
    // Twitch only returns an address once the user verified it.
    mapUser: (p) => ({ id: text(p, 'data.0.id'), email: text(p, 'data.0.email'), name: text(p, 'data.0.display_name', 'data.0.login'), verified: text(p, 'data.0.email') !== '' }),
  },
  {
    name: 'wordpress',
    endpoints: {
      authorize: 'https://public-api.wordpress.com/oauth2/authorize',
      token: 'https://public-api.wordpress.com/oauth2/token',
      user: 'https://public-api.wordpress.com/rest/v1/me',
    },
    scopes: ['auth'],
    tokenAuth: 'body',
    mapUser: (p) => ({ id: text(p, 'ID'), email: text(p, 'email'), name: text(p, 'display_name', 'username'), verified: truthy(p.email_verified) }),
  },
  {
    name: 'yahoo',
    endpoints: {
      authorize: 'https://api.login.yahoo.com/oauth2/request_auth',
      token: 'https://api.login.yahoo.com/oauth2/get_token',
      user: 'https://api.login.yahoo.com/openid/v1/userinfo',
    },
    scopes: ['sdct-r', 'sdpp-w'],
    tokenAuth: 'basic',
    mapUser: oidcUser,
  },
  {
    name: 'yammer',
    endpoints: {
      authorize: 'https://www.yammer.com/oauth2/authorize',
      token: 'https://www.yammer.com/oauth2/access_token.json',
      user: 'https://www.yammer.com/api/v1/users/current.json',
    },
    scopes: [],
    tokenAuth: 'body',
    // Yammer nests the token: { access_token: { token: "…" } }.
    readTokens: (raw) => ({ accessToken: text(raw, 'access_token.token', 'access_token') }),
    mapUser: (p) => ({ id: text(p, 'id'), email: text(p, 'email'), name: text(p, 'full_name', 'name'), verified: false }),
  },
  {
    name: 'yandex',
    endpoints: { authorize: 'https://oauth.yandex.com/authorize', token: 'https://oauth.yandex.com/token', user: 'https://login.yandex.ru/info?format=json' },
    scopes: [],
    tokenAuth: 'basic',
    userAuth: 'oauth',
    mapUser: (p) => ({ id: text(p, 'id'), email: text(p, 'default_email'), name: text(p, 'real_name', 'display_name'), verified: false }),
  },
  {
    name: 'zoom',
    endpoints: { authorize: 'https://zoom.us/oauth/authorize', token: 'https://zoom.us/oauth/token', user: 'https://api.zoom.us/v2/users/me' },
    scopes: [],
    tokenAuth: 'basic',
    mapUser: (p) => ({
      id: text(p, 'id'),
      email: text(p, 'email'),
      name: [text(p, 'first_name'), text(p, 'last_name')].filter(Boolean).join(' '),
      verified: truthy(p.verified),
    }),
  },
  {
    // Appwrite's test-only provider, answered by the API's own /v1/mock/tests/general/oauth2 routes.
    name: 'mock',
    endpoints: {
      authorize: 'http://localhost/v1/mock/tests/general/oauth2',
      token: 'http://localhost/v1/mock/tests/general/oauth2/token',
      user: 'http://localhost/v1/mock/tests/general/oauth2/user',
    },
    scopes: [],
    responseType: false,
    tokenAuth: 'query',
    userAuth: 'query',
    userTokenParam: 'token',
    mapUser: (p) => ({ id: text(p, 'id'), email: text(p, 'email'), name: text(p, 'name'), verified: true }),
  },
];
