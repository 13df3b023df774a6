import { OAUTH2_PROVIDER_DEFINITIONS, OAUTH2_PROVIDER_NAMES, OAuth2ProviderRegistry, providerCredentials, storedProviderSettings } from './registry';

/** Appwrite 1.3's providers.json keys (the client spec's provider list plus the test-only `mock`). */
const APPWRITE_13_PROVIDERS = [
  'amazon', 'apple', 'auth0', 'authentik', 'autodesk', 'bitbucket', 'bitly', 'box', 'dailymotion', 'discord', 'disqus', 'dropbox', 'etsy',
  'facebook', 'github', 'gitlab', 'google', 'linkedin', 'microsoft', 'notion', 'okta', 'paypal', 'paypalSandbox', 'podio', 'salesforce',
  'slack', 'spotify', 'stripe', 'tradeshift', 'tradeshiftBox', 'twitch', 'wordpress', 'yahoo', 'yammer', 'yandex', 'zoom', 'mock',
];

describe('OAuth2 provider catalogue', () => {
  it('covers every 1.3 provider, in order, with https endpoints', () => {
    expect(OAUTH2_PROVIDER_NAMES).toEqual(APPWRITE_13_PROVIDERS);
    for (const definition of OAUTH2_PROVIDER_DEFINITIONS) {
      if (definition.name === 'mock') continue;
      expect(definition.endpoints.authorize).toMatch(/^(https:\/\/|\{endpoint\})/);
      expect(definition.endpoints.token).toMatch(/^(https:\/\/|\{endpoint\})/);
      if (definition.name !== 'apple') expect(definition.endpoints.user).toMatch(/^(https:\/\/|\{endpoint\})/);
    }
  });

  it('reads both stored shapes of a project provider', () => {
    expect(storedProviderSettings({ github: { appId: 'a', secret: 's', enabled: true } }, 'github')).toEqual({ appId: 'a', secret: 's', enabled: true });
    expect(storedProviderSettings({ github: { appId: 'a', secret: 's', enabled: false } }, 'github').enabled).toBe(false);
    expect(storedProviderSettings({ githubAppid: 'a', githubSecret: 's', githubEnabled: true }, 'github')).toEqual({ appId: 'a', secret: 's', enabled: true });
    expect(storedProviderSettings({ github: { appId: 'a', secret: 's' } }, 'github').enabled).toBe(false);
    expect(storedProviderSettings({ githubAppid: 'a', githubSecret: 's', githubEnabled: false }, 'github').enabled).toBe(false);
    expect(storedProviderSettings({}, 'github')).toEqual({ appId: '', secret: '', enabled: false });
    expect(storedProviderSettings(null, 'github').enabled).toBe(false);
  });

  it('splits JSON secrets into the client secret and provider parameters with defaults', () => {
    const registry = new OAuth2ProviderRegistry();
    const credentials = (name: string, secret: string) => providerCredentials(registry.get(name)!, { appId: 'id', secret });
    expect(credentials('auth0', JSON.stringify({ clientSecret: 'cs', auth0Domain: 'acme.eu.auth0.com' }))).toEqual({ appId: 'id', secret: 'cs', params: { auth0Domain: 'acme.eu.auth0.com' } });
    expect(credentials('microsoft', JSON.stringify({ clientSecret: 'cs' })).params).toEqual({ tenantID: 'common' });
    expect(credentials('okta', JSON.stringify({ clientSecret: 'cs', oktaDomain: 'acme.okta.com' })).params).toEqual({ oktaDomain: 'acme.okta.com', authorizationServerId: 'default' });
    expect(credentials('gitlab', 'plain-secret')).toEqual({ appId: 'id', secret: 'plain-secret', params: { endpoint: 'https://gitlab.com' } });
    expect(credentials('github', '{"looks":"like json"}').secret).toBe('{"looks":"like json"}');
  });

  it('overrides and restores endpoints per provider', () => {
    const registry = new OAuth2ProviderRegistry();
    registry.overrideEndpoints('github', { token: 'http://127.0.0.1:1/token' });
    expect(registry.get('github')!.endpoints).toMatchObject({ token: 'http://127.0.0.1:1/token', authorize: 'https://github.com/login/oauth/authorize' });
    registry.reset('github');
    expect(registry.get('github')!.endpoints.token).toBe('https://github.com/login/oauth/access_token');
    expect(() => registry.overrideEndpoints('myspace', {})).toThrow();
    expect(registry.has('myspace')).toBe(false);
  });
});
