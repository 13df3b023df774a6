import * as argon2 from 'argon2';
import * as bcrypt from 'bcrypt';
import { createHash, timingSafeEqual } from 'node:crypto';

import {
  Argon2Options,
  BCRYPT_DEFAULT_COST,
  DEFAULT_HASH_ALGORITHM,
  DEFAULT_HASH_OPTIONS,
  HashAlgorithm,
  HashOptions,
  isShaVersion,
  SCRYPT_DEFAULTS,
  SHA_DEFAULT_VERSION,
  ShaVersion,
} from './hash-options';
import { phpassHash, phpassVerify } from './phpass';
import { firebaseScrypt, scryptAsync } from './scrypt';

/** PHP's `hash()` names → node's digest names. */
const SHA_DIGEST: Record<ShaVersion, string> = {
  sha1: 'sha1',
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  'sha512/224': 'sha512-224',
  'sha512/256': 'sha512-256',
  sha512: 'sha512',
  'sha3-224': 'sha3-224',
  'sha3-256': 'sha3-256',
  'sha3-384': 'sha3-384',
  'sha3-512': 'sha3-512',
};

type LooseOptions = Partial<Record<string, unknown>> | HashOptions | undefined;

function num(options: LooseOptions, key: string, fallback: number): number {
  const value = Number((options as Record<string, unknown> | undefined)?.[key]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function str(options: LooseOptions, key: string): string {
  const value = (options as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' ? value : '';
}

function shaDigest(options: LooseOptions): string {
  const version = str(options, 'version');
  return SHA_DIGEST[isShaVersion(version) ? version : SHA_DEFAULT_VERSION];
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The argon2 package writes parameters as `m=,p=,t=`; libargon2 (PHP's password_verify, so an Appwrite
 * export) only parses the reference order `m=,t=,p=`, which the package reads as well.
 */
function canonicalArgon2(encoded: string): string {
  return encoded.replace(/\$m=(\d+),p=(\d+),t=(\d+)\$/, (_all, m, p, t) => `$m=${m},t=${t},p=${p}$`);
}

/** PHP writes bcrypt as `$2y$`; it is the same algorithm as `$2b$`, which node's bcrypt reads. */
function toNodeBcrypt(stored: string): string {
  return stored.startsWith('$2y$') ? `$2b$${stored.slice(4)}` : stored;
}

/**
 * Hashes a password the way Appwrite 1.3 stores it for `algo` (hex digests for md5/sha/scrypt,
 * base64 for scrypt-modified, the algorithm's own string format for argon2/bcrypt/phpass).
 * Missing options fall back to Appwrite's defaults. `plaintext` is never stored: use the default algorithm.
 */
export async function hashPassword(plain: string, algo: HashAlgorithm | `${HashAlgorithm}` = DEFAULT_HASH_ALGORITHM, options?: LooseOptions): Promise<string> {
  switch (algo) {
    case HashAlgorithm.Argon2: {
      const defaults: Argon2Options = DEFAULT_HASH_OPTIONS;
      const encoded = await argon2.hash(plain, {
        type: argon2.argon2id,
        memoryCost: num(options, 'memoryCost', defaults.memoryCost),
        timeCost: num(options, 'timeCost', defaults.timeCost),
        parallelism: num(options, 'threads', defaults.threads),
      });
      return canonicalArgon2(encoded);
    }
    case HashAlgorithm.Bcrypt:
      return bcrypt.hash(plain, num(options, 'cost', BCRYPT_DEFAULT_COST));
    case HashAlgorithm.Md5:
      return createHash('md5').update(plain, 'utf8').digest('hex');
    case HashAlgorithm.Sha:
      return createHash(shaDigest(options)).update(plain, 'utf8').digest('hex');
    case HashAlgorithm.Phpass:
      return phpassHash(plain);
    case HashAlgorithm.Scrypt: {
      const key = await scryptAsync(plain, str(options, 'salt'), num(options, 'length', SCRYPT_DEFAULTS.length), {
        N: num(options, 'costCpu', SCRYPT_DEFAULTS.costCpu),
        r: num(options, 'costMemory', SCRYPT_DEFAULTS.costMemory),
        p: num(options, 'costParallel', SCRYPT_DEFAULTS.costParallel),
      });
      return key.toString('hex');
    }
    case HashAlgorithm.ScryptModified:
      return firebaseScrypt(plain, str(options, 'salt'), str(options, 'saltSeparator'), str(options, 'signerKey'));
    default:
      throw new Error(`Unsupported password hash algorithm: ${String(algo)}`);
  }
}

/**
 * Checks `plain` against a stored hash. Malformed hashes or options answer false rather than throw,
 * so a corrupt user record reads as a wrong password (`user_invalid_credentials`), never a 500.
 */
export async function verifyPassword(plain: string, stored: string, algo: HashAlgorithm | `${HashAlgorithm}` = DEFAULT_HASH_ALGORITHM, options?: LooseOptions): Promise<boolean> {
  if (typeof plain !== 'string' || typeof stored !== 'string' || !stored) return false;
  try {
    switch (algo) {
      case HashAlgorithm.Argon2:
        return await argon2.verify(stored, plain);
      case HashAlgorithm.Bcrypt:
        return await bcrypt.compare(plain, toNodeBcrypt(stored));
      case HashAlgorithm.Phpass:
        // Openwall's CheckPassword falls back to crypt(), which reads bcrypt hashes too.
        return stored.startsWith('$2') ? await bcrypt.compare(plain, toNodeBcrypt(stored)) : phpassVerify(plain, stored);
      case HashAlgorithm.Md5:
      case HashAlgorithm.Sha:
      case HashAlgorithm.Scrypt:
        return safeEqual(await hashPassword(plain, algo, options), stored.toLowerCase());
      case HashAlgorithm.ScryptModified:
        return safeEqual(await hashPassword(plain, algo, options), stored);
      default:
        return false;
    }
  } catch {
    return false;
  }
}
