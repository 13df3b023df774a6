import { appleClientSecret, appleProfile } from './apple';
import { OAuth2ProviderDefinition, oidcUser, pick, text, truthy } from './provider';

/** Of a list of e-mail records, the primary one (else the first). */
function primaryEmail(list: unknown, emailKey: string, primaryKey: string, verifiedKey: string): { email: string; verified: boolean } {
  const items = Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
  const chosen = items.find((item) => truthy(item[primaryKey])) ?? items[0];
  return { email: chosen ? text(chosen, emailKey) : '', verified: chosen ? truthy(chosen[verifiedKey]) : false };
}

const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'];

/**
 * Providers `amazon` … `gitlab` of Appwrite 1.3's list, with the endpoints each provider documents.
 * @see https://developer.amazon.com/docs/login-with-amazon/authorization-code-grant.html
 * @see https://developer.apple.com/documentation/sign_in_with_apple/sign_in_with_apple_rest_api
 */
export const PROVIDERS_A: OAuth2ProviderDefinition[] = [
  {
    name: 'amazon',
    endpoints: { authorize: 'https://www.amazon.com/ap/oa', token: 'https://api.amazon.com/auth/o2/token', user: 'https://api.amazon.com/user/profile' },
    scopes: ['profile'],
    tokenAuth: 'body',
    // Amazon only hands out addresses its users confirmed.
    mapUser: (p) => ({ id: text(p, 'user_id'), email: text(p, 'email'), name: text(p, 'name'), verified: text(p, 'email') !== '' }),
  },
  {
    name: 'apple',
    endpoints: { authorize: 'https://appleid.apple.com/auth/authorize', token: 'https://appleid.apple.com/auth/token', user: '' },
    scopes: ['name', 'email'],
    // Apple posts the code back (form_post) when name/email scopes are requested.
    authorizeParams: { response_mode: 'form_post' },
    tokenAuth: 'body',
    secretFields: { keyID: '', teamID: '', p8: '' },
    clientSecret: appleClientSecret,
    loadProfile: async (_get, tokens) => appleProfile(tokens),
    mapUser: (p) => ({ id: text(p, 'sub'), email: text(p, 'email'), name: '', verified: truthy(p.email_verified) }),
  },
  {
    name: 'auth0',
    endpoints: { authorize: 'https://{auth0Domain}/authorize', token: 'https://{auth0Domain}/oauth/token', user: 'https://{auth0Domain}/userinfo' },
    scopes: OIDC_SCOPES,
    tokenAuth: 'body',
    secretFields: { clientSecret: '', auth0Domain: '' },
    mapUser: oidcUser,
  },
  {
    name: 'authentik',
    endpoints: {
      authorize: 'https://{authentikDomain}/application/o/authorize/',
      token: 'https://{authentikDomain}/application/o/token/',
      user: 'https://{authentikDomain}/application/o/userinfo/',
    },
    scopes: OIDC_SCOPES,
    tokenAuth: 'body',
    secretFields: { clientSecret: '', authentikDomain: '' },
    mapUser: oidcUser,
  },
  {
    name: 'autodesk',
    endpoints: {
      authorize: 'https://developer.api.autodesk.com/authentication/v1/authorize',
      token: 'https://developer.api.autodesk.com/authentication/v1/gettoken',
      user: 'https://developer.api.autodesk.com/userprofile/v1/users/@me',
    },
    scopes: ['user-profile:read'],
    tokenAuth: 'body',
    mapUser: (p) => ({
      id: text(p, 'userId'),
      email: text(p, 'emailId'),
      name: text(p, 'userName') || [text(p, 'firstName'), text(p, 'lastName')].filter(Boolean).join(' '),
      verified: truthy(p.emailVerified),
    }),
  },
  {
    name: 'bitbucket',
    endpoints: {
      authorize: 'https://bitbucket.org/site/oauth2/authorize',
      token: 'https://bitbucket.org/site/oauth2/access_token',
      user: 'https://api.bitbucket.org/2.0/user',
      emails: 'https://api.bitbucket.org/2.0/user/emails',
    },
    // Bitbucket grants what the consumer was configured with; it takes no scope parameter.
    scopes: [],
    tokenAuth: 'basic',
    loadProfile: async (get) => ({ ...(await get('user')), emails: (await get('emails')).values }),
    mapUser: (p) => {
      const email = primaryEmail(p.emails, 'email', 'is_primary', 'is_confirmed');
      return { id: text(p, 'uuid', 'account_id'), email: email.email, name: text(p, 'display_name', 'username'), verified: email.verified };
    },
  },
  {
    name: 'bitly',
    endpoints: { authorize: 'https://bitly.com/oauth/authorize', token: 'https://api-ssl.bitly.com/oauth/access_token', user: 'https://api-ssl.bitly.com/v4/user' },
    scopes: [],
    responseType: false,
    tokenAuth: 'body',
    mapUser: (p) => {
      const email = primaryEmail(p.emails, 'email', 'is_primary', 'is_verified');
      return { id: text(p, 'login'), email: email.email, name: text(p, 'name', 'login'), verified: email.verified };
    },
  },
  {
    name: 'box',
    endpoints: { authorize: 'https://account.box.com/api/oauth2/authorize', token: 'https://api.box.com/oauth2/token', user: 'https://api.box.com/2.0/users/me' },
    scopes: ['manage_app_users'],
    tokenAuth: 'body',
    mapUser: (p) => ({ id: text(p, 'id'), email: text(p, 'login'), name: text(p, 'name'), verified: false }),
  },
  {
    name: 'dailymotion',
    endpoints: {
      authorize: 'https://www.dailymotion.com/oauth/authorize',
      token: 'https://api.dailymotion.com/oauth/token',
      user: 'https://api.dailymotion.com/user/me?fields=email,id,screenname,verified',
    },
    scopes: ['userinfo', 'email'],
    tokenAuth: 'body',
    mapUser: (p) => ({ id: text(p, 'id'), email: text(p, 'email'), name: text(p, 'screenname'), verified: truthy(p.verified) }),
  },
  {
    name: 'discord',
    endpoints: { authorize: 'https://discord.com/api/oauth2/authorize', token: 'https://discord.com/api/oauth2/token', user: 'https://discord.com/api/users/@me' },
    scopes: ['identify', 'email'],
    tokenAuth: 'body',
    mapUser: (p) => ({ id: text(p, 'id'), email: text(p, 'email'), name: text(p, 'global_name', 'username'), verified: truthy(p.verified) }),
  },
  {
    name: 'disqus',
    endpoints: {
      authorize: 'https://disqus.com/api/oauth/2.0/authorize/',
      token: 'https://disqus.com/api/oauth/2.0/access_token/',
      // Disqus wants the application's key pair next to the user's token on every call.
      user: 'https://disqus.com/api/3.0/users/details.json?api_key={appId}&api_secret={clientSecret}',
    },
    scopes: ['read', 'email'],
    scopeSeparator: ',',
    tokenAuth: 'body',
    userAuth: 'query',
    mapUser: (p) => ({
      id: text(p, 'response.id'),
      email: text(p, 'response.email'),
      name: text(p, 'response.name', 'response.username'),
      verified: truthy(pick(p, 'response.isVerified')),
    }),
  },
  {
    name: 'dropbox',
    endpoints: {
      authorize: 'https://www.dropbox.com/oauth2/authorize',
      token: 'https://api.dropboxapi.com/oauth2/token',
      user: 'https://api.dropboxapi.com/2/users/get_current_account',
    },
    scopes: [],
    tokenAuth: 'body',
    userMethod: 'POST',
    mapUser: (p) => ({ id: text(p, 'account_id'), email: text(p, 'email'), name: text(p, 'name.display_name'), verified: truthy(p.email_verified) }),
  },
  {
    name: 'etsy',
    endpoints: {
      authorize: 'https://www.etsy.com/oauth/connect',
      token: 'https://api.etsy.com/v3/public/oauth/token',
      user: 'https://api.etsy.com/v3/application/users/me',
      users: 'https://api.etsy.com/v3/application/users/',
    },
    scopes: ['email_r', 'profile_r'],
    tokenAuth: 'body',
    // Etsy's v3 API only accepts authorization-code grants with PKCE, and every call needs the app key.
    pkce: true,
    userHeaders: (c) => ({ 'x-api-key': c.appId }),
    loadProfile: async (get) => {
      const me = await get('user');
      return { ...me, ...(await get('users', text(me, 'user_id'))) };
    },
    mapUser: (p) => ({
      id: text(p, 'user_id'),
      email: text(p, 'primary_email'),
      name: [text(p, 'first_name'), text(p, 'last_name')].filter(Boolean).join(' '),
      verified: false,
    }),
  },
  {
    name: 'facebook',
    endpoints: {
      authorize: 'https://www.facebook.com/v2.8/dialog/oauth',
      token: 'https://graph.facebook.com/v2.8/oauth/access_token',
      user: 'https://graph.facebook.com/v2.8/me?fields=email,name',
    },
    scopes: ['email'],
    tokenAuth: 'query',
    userAuth: 'query',
    // Facebook only reports confirmed addresses.
    mapUser: (p) => ({ id: text(p, 'id'), email: text(p, 'email'), name: text(p, 'name'), verified: text(p, 'email') !== '' }),
  },
  {
    name: 'github',
    endpoints: {
      authorize: 'https://github.com/login/oauth/authorize',
      token: 'https://github.com/login/oauth/access_token',
      user: 'https://api.github.com/user',
      emails: 'https://api.github.com/user/emails',
    },
    scopes: ['user:email'],
    tokenAuth: 'body',
    userAuth: 'token',
    loadProfile: async (get) => {
      const user = await get('user');
      let emails: unknown = [];
      try {
        emails = (await get('emails')).items;
      } catch {
        // Without the user:email scope the list is refused; the public profile e-mail remains.
      }
      return { ...user, emails };
    },
    mapUser: (p) => {
      const listed = primaryEmail(p.emails, 'email', 'primary', 'verified');
      return { id: text(p, 'id'), email: listed.email || text(p, 'email'), name: text(p, 'name', 'login'), verified: listed.verified };
    },
  },
  {
    name: 'gitlab',
    endpoints: { authorize: '{endpoint}/oauth/authorize', token: '{endpoint}/oauth/token', user: '{endpoint}/api/v4/user' },
    scopes: ['read_user'],
    tokenAuth: 'body',
    // A JSON secret may name a self-managed GitLab instance.
    secretFields: { clientSecret: '', endpoint: 'https://gitlab.com' },
    mapUser: (p) => ({ id: text(p, 'id'), email: text(p, 'email'), name: text(p, 'name', 'username'), verified: Boolean(pick(p, 'confirmed_at')) }),
  },
];
