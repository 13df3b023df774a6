import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Portable phpass hashes (`$P$` from WordPress/phpBB's `$H$`): `<id><count char><8-char salt><22 chars>`,
 * where the tail is phpass's own base64 of md5 iterated 2^count times over (previous digest + password).
 * This mirrors Openwall's PasswordHash `crypt_private`, which Appwrite 1.3 ports for imports.
 * @see https://www.openwall.com/phpass/
 */
const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** phpass's base64 variant (little-endian groups, its own alphabet). */
export function phpassEncode64(input: Buffer, count: number): string {
  let output = '';
  let i = 0;
  while (i < count) {
    let value = input[i++];
    output += ITOA64[value & 0x3f];
    if (i < count) value |= input[i] << 8;
    output += ITOA64[(value >> 6) & 0x3f];
    if (i++ >= count) break;
    if (i < count) value |= input[i] << 16;
    output += ITOA64[(value >> 12) & 0x3f];
    if (i++ >= count) break;
    output += ITOA64[(value >> 18) & 0x3f];
  }
  return output;
}

const md5 = (...parts: Buffer[]) => createHash('md5').update(Buffer.concat(parts)).digest();

/** Hashes `password` with the setting (`$P$` + count char + salt) of an existing or new hash; `*0` on a bad setting. */
export function phpassCrypt(password: string, setting: string): string {
  const failure = setting.startsWith('*0') ? '*1' : '*0';
  const id = setting.slice(0, 3);
  if (id !== '$P$' && id !== '$H$') return failure;
  const countLog2 = ITOA64.indexOf(setting[3]);
  if (countLog2 < 7 || countLog2 > 30) return failure;
  const salt = setting.slice(4, 12);
  if (salt.length !== 8) return failure;
  const secret = Buffer.from(password, 'utf8');
  let hash = md5(Buffer.from(salt, 'binary'), secret);
  for (let count = 1 << countLog2; count > 0; count--) hash = md5(hash, secret);
  return setting.slice(0, 12) + phpassEncode64(hash, 16);
}

/** A new portable `$P$` hash with 2^countLog2 iterations (phpass's default is 8). */
export function phpassHash(password: string, countLog2 = 8): string {
  const setting = '$P$' + ITOA64[Math.min(countLog2 + 5, 30)] + phpassEncode64(randomBytes(6), 6);
  return phpassCrypt(password, setting);
}

/** Checks a portable phpass hash; anything else (including `*0`) never matches. */
export function phpassVerify(password: string, stored: string): boolean {
  const computed = phpassCrypt(password, stored);
  if (computed.startsWith('*')) return false;
  const a = Buffer.from(computed);
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}
