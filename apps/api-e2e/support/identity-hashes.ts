import { createCipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';

/**
 * Password hashes produced the way the source systems produce them (independently of libs/auth), for
 * the users import routes: the imported user must then sign in with the plain password.
 */
export const md5 = (password: string): string => createHash('md5').update(password).digest('hex');

export const sha = (password: string, version: string): string => createHash(version).update(password).digest('hex');

/** Plain scrypt as PHP's scrypt extension returns it (hex). */
export function scryptHex(password: string, salt: string, cpu: number, memory: number, parallel: number, length: number): string {
  return scryptSync(password, salt, length, { N: cpu, r: memory, p: parallel, maxmem: 256 * cpu * memory * parallel + 1024 * 1024 }).toString('hex');
}

/** Firebase's modified scrypt: AES-256-CTR of the signer key under scrypt(password, salt + separator). */
export function firebaseScrypt(password: string, saltB64: string, separatorB64: string, signerKeyB64: string, rounds = 8, memCost = 14): string {
  const salt = Buffer.concat([Buffer.from(saltB64, 'base64'), Buffer.from(separatorB64, 'base64')]);
  const key = scryptSync(password, salt, 32, { N: 2 ** memCost, r: rounds, p: 1, maxmem: 128 * 2 ** memCost * rounds * 2 });
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16, 0));
  return Buffer.concat([cipher.update(Buffer.from(signerKeyB64, 'base64')), cipher.final()]).toString('base64');
}

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function encode64(input: Buffer, count: number): string {
  let out = '';
  let i = 0;
  do {
    let value = input[i++];
    out += ITOA64[value & 0x3f];
    if (i < count) value |= input[i] << 8;
    out += ITOA64[(value >> 6) & 0x3f];
    if (i++ >= count) break;
    if (i < count) value |= input[i] << 16;
    out += ITOA64[(value >> 12) & 0x3f];
    if (i++ >= count) break;
    out += ITOA64[(value >> 18) & 0x3f];
  } while (i < count);
  return out;
}

/** A portable phpass (`$P$`) hash (WordPress), 2^log2 MD5 rounds. */
export function phpass(password: string, log2 = 8): string {
  const salt = encode64(randomBytes(6), 6);
  let hash = createHash('md5').update(salt + password).digest();
  for (let n = 1 << log2; n > 0; n--) hash = createHash('md5').update(Buffer.concat([hash, Buffer.from(password)])).digest();
  return `$P$${ITOA64[log2]}${salt}${encode64(hash, 16)}`;
}
