/**
 * The field sets of the Appwrite 1.3 response models the identity services answer with (the
 * `components.schemas` of the 1.3 OpenAPI specs), to check that a response has exactly these keys:
 * no field missing (an SDK model would lack it) and none extra (e.g. a leaked secret or hash).
 */
const USER = ['$createdAt', '$id', '$updatedAt', 'email', 'emailVerification', 'hash', 'hashOptions', 'name', 'password', 'passwordUpdate', 'phone', 'phoneVerification', 'prefs', 'registration', 'status'];

export const MODEL_KEYS = {
  user: USER,
  /** What every `/v1/account*` route serialises in 1.3.8: the user without password, hash, hashOptions. */
  account: USER.filter((k) => !['hash', 'hashOptions', 'password'].includes(k)),
  session: [
    '$createdAt', '$id', 'clientCode', 'clientEngine', 'clientEngineVersion', 'clientName', 'clientType', 'clientVersion', 'countryCode', 'countryName', 'current', 'deviceBrand', 'deviceModel',
    'deviceName', 'expire', 'ip', 'osCode', 'osName', 'osVersion', 'provider', 'providerAccessToken', 'providerAccessTokenExpiry', 'providerRefreshToken', 'providerUid', 'userId',
  ],
  team: ['$createdAt', '$id', '$updatedAt', 'name', 'prefs', 'total'],
  membership: ['$createdAt', '$id', '$updatedAt', 'confirm', 'invited', 'joined', 'roles', 'teamId', 'teamName', 'userEmail', 'userId', 'userName'],
  token: ['$createdAt', '$id', 'expire', 'secret', 'userId'],
  jwt: ['jwt'],
  log: [
    'clientCode', 'clientEngine', 'clientEngineVersion', 'clientName', 'clientType', 'clientVersion', 'countryCode', 'countryName', 'deviceBrand', 'deviceModel', 'deviceName', 'event', 'ip', 'mode',
    'osCode', 'osName', 'osVersion', 'time', 'userEmail', 'userId', 'userName',
  ],
  key: ['$createdAt', '$id', '$updatedAt', 'accessedAt', 'expire', 'name', 'scopes', 'sdks', 'secret'],
  platform: ['$createdAt', '$id', '$updatedAt', 'hostname', 'httpPass', 'httpUser', 'key', 'name', 'store', 'type'],
  webhook: ['$createdAt', '$id', '$updatedAt', 'events', 'httpPass', 'httpUser', 'name', 'security', 'signatureKey', 'url'],
  project: [
    '$createdAt', '$id', '$updatedAt', 'authAnonymous', 'authDuration', 'authEmailPassword', 'authInvites', 'authJWT', 'authLimit', 'authPasswordDictionary', 'authPasswordHistory', 'authPhone',
    'authSessionsLimit', 'authUsersAuthMagicURL', 'description', 'domains', 'keys', 'legalAddress', 'legalCity', 'legalCountry', 'legalName', 'legalState', 'legalTaxId', 'logo', 'name', 'platforms',
    'providers', 'serviceStatusForAccount', 'serviceStatusForAvatars', 'serviceStatusForDatabases', 'serviceStatusForFunctions', 'serviceStatusForGraphql', 'serviceStatusForHealth',
    'serviceStatusForLocale', 'serviceStatusForStorage', 'serviceStatusForTeams', 'serviceStatusForUsers', 'teamId', 'url', 'webhooks',
  ],
} as const;

export type ModelName = keyof typeof MODEL_KEYS;

/** `{ model, keys }` of a response, for `toEqual(modelShape(name))` (the diff names the odd keys). */
export function keysOf(model: ModelName, value: unknown): { model: ModelName; keys: string[] } {
  return { model, keys: Object.keys(value as object).sort() };
}

export function modelShape(model: ModelName): { model: ModelName; keys: string[] } {
  return { model, keys: [...MODEL_KEYS[model]].sort() };
}
