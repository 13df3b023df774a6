/**
 * The Appwrite 1.3 names the projects routes accept: auth methods, optional services, OAuth2
 * providers and platform types. Only the wire names live here; every value comes from the 1.3 contract.
 */

/** Auth method route id (`PATCH /v1/projects/{id}/auth/{method}`) → key stored under `auths.methods`. */
export const AUTH_METHODS: Readonly<Record<string, string>> = {
  'email-password': 'emailPassword',
  'magic-url': 'usersAuthMagicURL',
  anonymous: 'anonymous',
  invites: 'invites',
  jwt: 'JWT',
  phone: 'phone',
};

/** Services a project may switch off (`optional` in 1.3), in the order of the Project model's fields. */
export const OPTIONAL_SERVICES = ['account', 'avatars', 'databases', 'locale', 'health', 'storage', 'teams', 'users', 'functions', 'graphql'] as const;

/**
 * OAuth2 providers a project can configure: every enabled 1.3 provider except the `mock` test
 * provider, in 1.3's order.
 */
export const OAUTH2_PROVIDERS = [
  'amazon',
  'apple',
  'auth0',
  'authentik',
  'autodesk',
  'bitbucket',
  'bitly',
  'box',
  'dailymotion',
  'discord',
  'disqus',
  'dropbox',
  'etsy',
  'facebook',
  'github',
  'gitlab',
  'google',
  'linkedin',
  'microsoft',
  'notion',
  'okta',
  'paypal',
  'paypalSandbox',
  'podio',
  'salesforce',
  'slack',
  'spotify',
  'stripe',
  'tradeshift',
  'tradeshiftBox',
  'twitch',
  'wordpress',
  'yahoo',
  'yammer',
  'yandex',
  'zoom',
] as const;

/** Platform types of 1.3's create-platform route. */
export const PLATFORM_TYPES = [
  'web',
  'flutter-web',
  'flutter-ios',
  'flutter-android',
  'flutter-linux',
  'flutter-macos',
  'flutter-windows',
  'apple-ios',
  'apple-macos',
  'apple-watchos',
  'apple-tvos',
  'android',
  'unity',
] as const;

/** Appwrite 1.3 caps: users per project, sessions per user, passwords kept in history, session length. */
export const LIMITS = { users: 10000, sessionsMin: 1, sessionsMax: 100, passwordHistory: 20, duration: 31536000, arrayParams: 100 } as const;

/** PHP's ucfirst, used by 1.3 for `auth<Method>`, `serviceStatusFor<Service>` and provider names. */
export function ucfirst(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}
