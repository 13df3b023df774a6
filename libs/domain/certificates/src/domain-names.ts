import { parse as parseDomain } from 'tldts';

/** Suffixes Appwrite's Domain class treats as test names: no certificate can ever be issued for them. */
const TEST_SUFFIXES = new Set(['test', 'example', 'invalid', 'localhost']);

/** Lower-case letters, digits, hyphens and dots only: safe as a directory and file name. */
const SAFE_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/**
 * A name a public CA can issue for (Appwrite's `isKnown() && !isTest()`): a registrable name under a
 * known ICANN suffix that is not a test suffix, and never an IP address or a single label (`localhost`).
 */
export function isPublicName(name: string): boolean {
  const parsed = parseDomain(name);
  return Boolean(!parsed.isIp && parsed.domain && parsed.isIcann && parsed.publicSuffix && !TEST_SUFFIXES.has(parsed.publicSuffix));
}

/** Whether a (lower-case) domain may name files on the certificates and config volumes. */
export function isSafeDomainFileName(domain: string): boolean {
  return SAFE_NAME.test(domain);
}

const normalize = (name: string) => name.toLowerCase().replace(/\.$/, '');

/** Appwrite 1.3's CNAME rule: one of the name's CNAME records is the target (case and a trailing dot aside). */
export function pointsAt(records: readonly string[], target: string): boolean {
  return records.some((record) => normalize(record) === normalize(target));
}
