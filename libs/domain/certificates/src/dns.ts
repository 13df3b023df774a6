import { Provider } from '@nestjs/common';
import { promises as dns } from 'node:dns';
import { AppConfig } from '@appconda/config';

import { pointsAt } from './domain-names';

/** Injection token of the CNAME lookup that verifies custom domains (api) and re-checks them before a renewal (worker). */
export const CNAME_RESOLVER = Symbol('CNAME_RESOLVER');
export type CnameResolver = (hostname: string) => Promise<string[]>;

/**
 * CNAME lookups through one DNS server (`_APP_DNS`, `ip[:port]`), or through the system resolver when
 * none is set. Tests point it at a loopback server that answers what they need.
 */
export function createCnameResolver(server?: string): CnameResolver {
  if (!server) return (hostname) => dns.resolveCname(hostname);
  const resolver = new dns.Resolver({ timeout: 3000, tries: 2 });
  resolver.setServers([server]);
  return (hostname) => resolver.resolveCname(hostname);
}

/** CNAME_RESOLVER from AppConfig. */
export const cnameResolverProvider: Provider = {
  provide: CNAME_RESOLVER,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => createCnameResolver(config.get('certificates').dnsServer),
};

/** Whether `domain` has a CNAME record pointing at `target`; a failed lookup (NXDOMAIN, timeout) counts as no. */
export async function hasCnameTo(resolve: CnameResolver, domain: string, target: string): Promise<boolean> {
  const records = await resolve(domain).catch(() => [] as string[]);
  return pointsAt(records, target);
}
