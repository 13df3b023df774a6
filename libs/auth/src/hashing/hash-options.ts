/**
 * Password hash algorithms Appwrite 1.3 stores in a user's `hash` field, and the `hashOptions`
 * shapes that go with them (the `algo*` models of the 1.3 spec). The names are the wire values:
 * Firebase's scrypt variant is stored as `scryptMod`.
 */
export enum HashAlgorithm {
  Argon2 = 'argon2',
  Bcrypt = 'bcrypt',
  Md5 = 'md5',
  Phpass = 'phpass',
  Scrypt = 'scrypt',
  ScryptModified = 'scryptMod',
  Sha = 'sha',
}

/** SHA variants accepted by `POST /v1/users/sha` (`passwordVersion`), with PHP's `hash()` names. */
export const SHA_VERSIONS = [
  'sha1',
  'sha224',
  'sha256',
  'sha384',
  'sha512/224',
  'sha512/256',
  'sha512',
  'sha3-224',
  'sha3-256',
  'sha3-384',
  'sha3-512',
] as const;

export type ShaVersion = (typeof SHA_VERSIONS)[number];

export interface Argon2Options {
  type: HashAlgorithm.Argon2;
  memoryCost: number;
  timeCost: number;
  threads: number;
}

export interface BcryptOptions {
  type: HashAlgorithm.Bcrypt;
  cost?: number;
}

export interface Md5Options {
  type: HashAlgorithm.Md5;
}

export interface PhpassOptions {
  type: HashAlgorithm.Phpass;
}

export interface ShaOptions {
  type: HashAlgorithm.Sha;
  version?: ShaVersion;
}

export interface ScryptOptions {
  type: HashAlgorithm.Scrypt;
  /** Plain (not base64) salt, as passed to `POST /v1/users/scrypt`. */
  salt: string;
  /** scrypt N. */
  costCpu: number;
  /** scrypt r. */
  costMemory: number;
  /** scrypt p. */
  costParallel: number;
  /** Derived key length in bytes; the stored hash is its hex form. */
  length: number;
}

export interface ScryptModifiedOptions {
  type: HashAlgorithm.ScryptModified;
  /** Base64. */
  salt: string;
  /** Base64. */
  saltSeparator: string;
  /** Base64. */
  signerKey: string;
}

export type HashOptions = Argon2Options | BcryptOptions | Md5Options | PhpassOptions | ShaOptions | ScryptOptions | ScryptModifiedOptions;

/** Options per algorithm, for typed call sites: `hashPassword('scrypt', ...)` wants ScryptOptions. */
export interface HashOptionsMap {
  [HashAlgorithm.Argon2]: Argon2Options;
  [HashAlgorithm.Bcrypt]: BcryptOptions;
  [HashAlgorithm.Md5]: Md5Options;
  [HashAlgorithm.Phpass]: PhpassOptions;
  [HashAlgorithm.Scrypt]: ScryptOptions;
  [HashAlgorithm.ScryptModified]: ScryptModifiedOptions;
  [HashAlgorithm.Sha]: ShaOptions;
}

/** The algorithm new passwords are hashed with (Appwrite 1.3 `Auth::DEFAULT_ALGO`). */
export const DEFAULT_HASH_ALGORITHM = HashAlgorithm.Argon2;

/** Appwrite 1.3 `Auth::DEFAULT_ALGO_OPTIONS`, stored on every user created with a plain password. */
export const DEFAULT_HASH_OPTIONS: Readonly<Argon2Options> = Object.freeze({ type: HashAlgorithm.Argon2, memoryCost: 2048, timeCost: 4, threads: 3 });

/** Defaults Appwrite's hashers fall back to when an option is missing. */
export const BCRYPT_DEFAULT_COST = 8;
export const SHA_DEFAULT_VERSION: ShaVersion = 'sha3-512';
export const SCRYPT_DEFAULTS = Object.freeze({ costCpu: 8, costMemory: 14, costParallel: 1, length: 64 });

const ALGORITHMS: ReadonlySet<string> = new Set(Object.values(HashAlgorithm));

/** True when `value` is a hash algorithm name Appwrite stores. */
export function isHashAlgorithm(value: unknown): value is HashAlgorithm {
  return typeof value === 'string' && ALGORITHMS.has(value);
}

export function isShaVersion(value: unknown): value is ShaVersion {
  return typeof value === 'string' && (SHA_VERSIONS as readonly string[]).includes(value);
}
