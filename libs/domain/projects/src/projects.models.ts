import { toApiDate } from '@appconda/core';
import { DomainEntity, KeyEntity, PlatformEntity, ProjectEntity, WebhookEntity } from '@appconda/database';
import { authSettings } from '@appconda/identity';

import { AUTH_METHODS, OAUTH2_PROVIDERS, OPTIONAL_SERVICES, ucfirst } from './projects.catalog';

// Response models of the 1.3 projects routes (console spec `components.schemas`), field by field.

type Stamped = { $id: string; $createdAt: string; $updatedAt: string };

export type Platform = Stamped & { name: string; type: string; key: string; store: string; hostname: string; httpUser: string; httpPass: string };
export type Key = Stamped & { name: string; expire: string | null; scopes: string[]; secret: string; accessedAt: string; sdks: string[] };
export type Webhook = Stamped & { name: string; url: string; events: string[]; security: boolean; httpUser: string; httpPass: string; signatureKey: string };
export type Domain = Stamped & { domain: string; registerable: string; tld: string; verification: boolean; certificateId: string };
export interface Provider {
  name: string;
  appId: string;
  secret: string;
  enabled: boolean;
}
export type Project = Stamped & Record<string, unknown> & { providers: Provider[]; platforms: Platform[]; webhooks: Webhook[]; keys: Key[]; domains: Domain[] };

/** What a project model nests besides its own row. */
export interface ProjectChildren {
  platforms: Platform[];
  webhooks: Webhook[];
  keys: Key[];
  domains: Domain[];
}

/** One configured OAuth2 provider as stored in `authProviders`. */
export interface StoredProvider {
  appId?: string;
  secret?: string;
  enabled?: boolean;
}

function stamps(row: { uid: string; createdAt: Date; updatedAt: Date }): Stamped {
  return { $id: row.uid, $createdAt: toApiDate(row.createdAt), $updatedAt: toApiDate(row.updatedAt) };
}

export function toPlatformModel(row: PlatformEntity): Platform {
  return { ...stamps(row), name: row.name, type: row.type, key: row.key ?? '', store: row.store ?? '', hostname: row.hostname ?? '', httpUser: '', httpPass: '' };
}

/** `secret` is the decrypted secret (empty when it could not be recovered). */
export function toKeyModel(row: KeyEntity, secret: string): Key {
  return {
    ...stamps(row),
    name: row.name,
    expire: row.expire ? toApiDate(row.expire) : null,
    scopes: row.scopes ?? [],
    secret,
    accessedAt: toApiDate(row.accessedAt),
    sdks: row.sdks ?? [],
  };
}

export function toWebhookModel(row: WebhookEntity): Webhook {
  return {
    ...stamps(row),
    name: row.name,
    url: row.url,
    events: row.events ?? [],
    security: Boolean(row.security),
    httpUser: row.httpUser,
    httpPass: row.httpPass,
    signatureKey: row.signatureKey,
  };
}

export function toDomainModel(row: DomainEntity): Domain {
  return { ...stamps(row), domain: row.domain, registerable: row.registerable, tld: row.tld, verification: Boolean(row.verification), certificateId: row.certificateId ?? '' };
}

/**
 * The 1.3 Project model: settings flattened from `auths`, `services` and `authProviders` with 1.3's
 * defaults (methods and services on, providers off), plus the nested platforms, webhooks, keys and domains.
 */
export function toProjectModel(row: ProjectEntity, children: ProjectChildren): Project {
  const auths = authSettings(row.auths);
  const services = row.services ?? {};
  const stored = (row.authProviders ?? {}) as Record<string, StoredProvider | undefined>;
  const model: Project = {
    ...stamps(row),
    name: row.name,
    description: row.description,
    teamId: row.teamId ?? '',
    logo: row.logo,
    url: row.url,
    legalName: row.legalName,
    legalCountry: row.legalCountry,
    legalState: row.legalState,
    legalCity: row.legalCity,
    legalAddress: row.legalAddress,
    legalTaxId: row.legalTaxId,
    authDuration: auths.duration,
    authLimit: auths.limit,
    authSessionsLimit: auths.maxSessions,
    authPasswordHistory: auths.passwordHistory,
    authPasswordDictionary: auths.passwordDictionary,
    providers: OAUTH2_PROVIDERS.map((name) => ({
      name: ucfirst(name),
      appId: stored[name]?.appId ?? '',
      secret: stored[name]?.secret ?? '',
      enabled: stored[name]?.enabled ?? false,
    })),
    ...children,
  };
  for (const key of Object.values(AUTH_METHODS)) model[`auth${ucfirst(key)}`] = auths.methods[key] !== false;
  for (const service of OPTIONAL_SERVICES) model[`serviceStatusFor${ucfirst(service)}`] = services[service] !== false;
  return model;
}
