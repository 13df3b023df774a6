import { lazyRequire, toApiDate } from '@appconda/core';
import { AuditEntity, MembershipEntity, SessionEntity, TeamEntity, TokenEntity, UserEntity } from '@appconda/database';
import type * as CountryNames from 'i18n-iso-countries';

import { detectDevice, DeviceInfo } from './device';

/** Country names (every language's, ~0.6 MB of source), loaded by the first session or log shown, not by each thread at start. */
const countryNames = lazyRequire<typeof CountryNames>('i18n-iso-countries');

/** Appwrite 1.3 `preferences`: an open key-value model; empty is `{}`, never `[]`. */
export type Preferences = Record<string, unknown>;

/** The 1.3 `account` model (`user` minus the password hash and its algorithm). */
export interface AccountModel {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  name: string;
  registration: string;
  status: boolean;
  passwordUpdate: string;
  email: string;
  phone: string;
  emailVerification: boolean;
  phoneVerification: boolean;
  prefs: Preferences;
}

/** The 1.3 `user` model served by `/v1/users*`. */
export interface UserModel extends AccountModel {
  password: string;
  hash: string;
  hashOptions: Record<string, unknown>;
}

export interface SessionModel extends DeviceInfo {
  $id: string;
  $createdAt: string;
  userId: string;
  expire: string;
  provider: string;
  providerUid: string;
  providerAccessToken: string;
  providerAccessTokenExpiry: string;
  providerRefreshToken: string;
  ip: string;
  countryCode: string;
  countryName: string;
  current: boolean;
}

export interface LogModel extends DeviceInfo {
  event: string;
  userId: string;
  userEmail: string;
  userName: string;
  mode: string;
  ip: string;
  time: string;
  countryCode: string;
  countryName: string;
}

export interface TokenModel {
  $id: string;
  $createdAt: string;
  userId: string;
  secret: string;
  expire: string;
}

export interface MembershipModel {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  userId: string;
  userName: string;
  userEmail: string;
  teamId: string;
  teamName: string;
  invited: string;
  joined: string;
  confirm: boolean;
  roles: string[];
}

/** What 1.3 reports for a session or log it cannot place (its `locale.country.unknown` text). */
export const UNKNOWN_COUNTRY_CODE = '--';
export const UNKNOWN_COUNTRY_NAME = 'Unknown';

/** English country name of a two-letter code, `Unknown` for `--` and anything unplaceable. */
export function countryNameOf(code: string | null | undefined): string {
  if (!code || code === UNKNOWN_COUNTRY_CODE) return UNKNOWN_COUNTRY_NAME;
  return countryNames().getName(code.toUpperCase(), 'en') ?? UNKNOWN_COUNTRY_NAME;
}

/**
 * `hashOptions` as the 1.3 user model shows it: the stored options as they are, with their `type`.
 * 1.3 declares `algo*` models for the field, but the stored value is a plain JSON array, not a
 * document, so its response filter passes it through untouched: an imported SHA user shows its
 * `version`, a scrypt user its salt and costs, an imported argon2 user just `{type: 'argon2'}`
 * (1.3's own users e2e test asserts `hashOptions.version` and `hashOptions.salt`).
 */
export function toHashOptionsModel(hash: string | null, options: Record<string, unknown> | null): Record<string, unknown> {
  const stored = options && typeof options === 'object' && !Array.isArray(options) ? options : {};
  const type = typeof stored.type === 'string' ? stored.type : (hash ?? '');
  return type ? { ...stored, type } : {};
}

/** A stored JSON object as an open model: `{}` for empty or non-object values. */
export function toPreferences(value: unknown): Preferences {
  return value && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Preferences) } : {};
}

/** The 1.3 `account` model of a user (what `/v1/account*` routes answer). */
export function toAccountModel(user: UserEntity): AccountModel {
  return {
    $id: user.uid,
    $createdAt: toApiDate(user.createdAt),
    $updatedAt: toApiDate(user.updatedAt),
    name: user.name ?? '',
    registration: toApiDate(user.registration),
    status: Boolean(user.status),
    passwordUpdate: toApiDate(user.passwordUpdate),
    email: user.email ?? '',
    phone: user.phone ?? '',
    emailVerification: Boolean(user.emailVerification),
    phoneVerification: Boolean(user.phoneVerification),
    prefs: toPreferences(user.prefs),
  };
}

/** The full 1.3 `user` model (what `/v1/users*` routes answer): the account model plus password hash, algorithm and options. */
export function toUserModel(user: UserEntity): UserModel {
  const account = toAccountModel(user);
  return {
    ...account,
    password: user.password ?? '',
    hash: user.hash ?? '',
    hashOptions: toHashOptionsModel(user.hash, user.hashOptions),
  };
}

/**
 * The 1.3 `session` model. `current` is true for the session the request authenticated with. Provider
 * tokens are shown as stored (1.3 hides nothing here); secrets are never part of the model.
 */
export function toSessionModel(session: SessionEntity, currentSessionId?: string | null): SessionModel {
  return {
    $id: session.uid,
    $createdAt: toApiDate(session.createdAt),
    userId: session.userId,
    expire: toApiDate(session.expire),
    provider: session.provider,
    providerUid: session.providerUid ?? '',
    providerAccessToken: session.providerAccessToken ?? '',
    providerAccessTokenExpiry: toApiDate(session.providerAccessTokenExpiry),
    providerRefreshToken: session.providerRefreshToken ?? '',
    ip: session.ip ?? '',
    osCode: session.osCode ?? '',
    osName: session.osName ?? '',
    osVersion: session.osVersion ?? '',
    clientType: session.clientType ?? '',
    clientCode: session.clientCode ?? '',
    clientName: session.clientName ?? '',
    clientVersion: session.clientVersion ?? '',
    clientEngine: session.clientEngine ?? '',
    clientEngineVersion: session.clientEngineVersion ?? '',
    deviceName: session.deviceName ?? '',
    deviceBrand: session.deviceBrand ?? '',
    deviceModel: session.deviceModel ?? '',
    countryCode: session.countryCode || UNKNOWN_COUNTRY_CODE,
    countryName: countryNameOf(session.countryCode),
    current: Boolean(currentSessionId) && session.uid === currentSessionId,
  };
}

/** The 1.3 `log` model of an audit entry; os/client/device come from the entry's user agent, as 1.3 parses them at read time. */
export function toLogModel(entry: AuditEntity): LogModel {
  const countryCode = entry.location && entry.location.length === 2 ? entry.location.toLowerCase() : UNKNOWN_COUNTRY_CODE;
  return {
    event: entry.event,
    userId: entry.userId ?? '',
    userEmail: entry.userEmail ?? '',
    userName: entry.userName ?? '',
    mode: entry.mode ?? '',
    ip: entry.ip ?? '',
    time: toApiDate(entry.time),
    ...detectDevice(entry.userAgent),
    countryCode,
    countryName: countryNameOf(countryCode),
  };
}

/**
 * The 1.3 `token` model. `secret` is the plain secret only in the response that created the token
 * (pass it in); stored secrets are hashes and are shown as an empty string.
 */
export function toTokenModel(token: TokenEntity, plainSecret = ''): TokenModel {
  return {
    $id: token.uid,
    $createdAt: toApiDate(token.createdAt),
    userId: token.userId,
    secret: plainSecret,
    expire: toApiDate(token.expire),
  };
}

/** The 1.3 `membership` model; user and team names come from the rows the caller loaded (empty when gone). */
export function toMembershipModel(
  membership: MembershipEntity,
  user?: Pick<UserEntity, 'name' | 'email'> | null,
  team?: Pick<TeamEntity, 'name'> | null,
): MembershipModel {
  return {
    $id: membership.uid,
    $createdAt: toApiDate(membership.createdAt),
    $updatedAt: toApiDate(membership.updatedAt),
    userId: membership.userId,
    userName: user?.name ?? '',
    userEmail: user?.email ?? '',
    teamId: membership.teamId,
    teamName: team?.name ?? '',
    invited: toApiDate(membership.invited),
    joined: toApiDate(membership.joined),
    confirm: Boolean(membership.confirm),
    roles: Array.isArray(membership.roles) ? [...membership.roles] : [],
  };
}
