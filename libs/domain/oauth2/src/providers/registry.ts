import { PROVIDERS_A } from './catalog-a';
import { PROVIDERS_B } from './catalog-b';
import { OAuth2ProviderDefinition, ProviderCredentials, ProviderEndpoints } from './provider';

/** Every OAuth2 provider of Appwrite 1.3 (providers.json), `mock` included. */
export const OAUTH2_PROVIDER_DEFINITIONS: readonly OAuth2ProviderDefinition[] = [...PROVIDERS_A, ...PROVIDERS_B];

/** Provider ids the routes accept, in 1.3's order. */
export const OAUTH2_PROVIDER_NAMES: readonly string[] = OAUTH2_PROVIDER_DEFINITIONS.map((definition) => definition.name);

/** What a project stores per provider (written by the projects API: `authProviders[provider]`). */
export interface StoredProviderSettings {
  appId: string;
  secret: string;
  enabled: boolean;
}

/**
 * A project's settings for one provider. Reads the projects API's `{ [provider]: { appId, secret,
 * enabled } }` and, for rows imported from Appwrite, its flat `<provider>Appid/Secret/Enabled` keys.
 * Like 1.3 (and the projects API's Project model), a provider is enabled only when `enabled` says so.
 */
export function storedProviderSettings(authProviders: Record<string, unknown> | null | undefined, provider: string): StoredProviderSettings {
  const all = authProviders ?? {};
  const nested = all[provider];
  const entry = nested && typeof nested === 'object' ? (nested as Record<string, unknown>) : {};
  const appId = String(entry.appId ?? all[`${provider}Appid`] ?? '');
  const secret = String(entry.secret ?? all[`${provider}Secret`] ?? '');
  const flag = entry.enabled ?? all[`${provider}Enabled`];
  return { appId, secret, enabled: flag === true || flag === 'true' || flag === 1 };
}

/**
 * The credentials sent to a provider. Some providers keep several values in the secret as JSON
 * (Appwrite's console forms): `{ clientSecret, auth0Domain }`, `{ clientSecret, tenantID }`,
 * `{ keyID, teamID, p8 }` … A plain secret is the client secret itself; missing fields take defaults.
 */
export function providerCredentials(definition: OAuth2ProviderDefinition, settings: Pick<StoredProviderSettings, 'appId' | 'secret'>): ProviderCredentials {
  const params: Record<string, string> = { ...definition.secretFields };
  let secret = settings.secret;
  if (definition.secretFields && secret.trim().startsWith('{')) {
    try {
      const parsed = JSON.parse(secret) as Record<string, unknown>;
      for (const name of Object.keys(definition.secretFields)) {
        if (typeof parsed[name] === 'string' && parsed[name] !== '') params[name] = parsed[name] as string;
      }
      secret = typeof parsed.clientSecret === 'string' ? parsed.clientSecret : '';
    } catch {
      // Not JSON after all: the whole value is the client secret.
    }
  }
  delete params.clientSecret;
  return { appId: settings.appId, secret, params };
}

/**
 * The provider catalogue of this process. Endpoints can be replaced per provider, which is how tests
 * point a provider at a local fake (and how a self-hosted provider could be reached).
 */
export class OAuth2ProviderRegistry {
  private readonly definitions = new Map<string, OAuth2ProviderDefinition>(OAUTH2_PROVIDER_DEFINITIONS.map((definition) => [definition.name, definition]));

  get(name: string): OAuth2ProviderDefinition | undefined {
    return this.definitions.get(name);
  }

  has(name: string): boolean {
    return this.definitions.has(name);
  }

  /** Replaces some endpoints of a provider (authorize, token, user, extras). */
  overrideEndpoints(name: string, endpoints: Partial<ProviderEndpoints>): void {
    const definition = this.definitions.get(name);
    if (!definition) throw new Error(`unknown OAuth2 provider ${name}`);
    this.definitions.set(name, { ...definition, endpoints: { ...definition.endpoints, ...endpoints } as ProviderEndpoints });
  }

  /** Restores the catalogue's endpoints of a provider. */
  reset(name: string): void {
    const original = OAUTH2_PROVIDER_DEFINITIONS.find((definition) => definition.name === name);
    if (original) this.definitions.set(name, original);
  }
}
