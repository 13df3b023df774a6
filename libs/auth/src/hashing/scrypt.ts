import { createCipheriv, scrypt as scryptCallback, ScryptOptions as NodeScryptOptions } from 'node:crypto';

/** Promise form of node's scrypt, with maxmem raised to what the parameters need. */
export function scryptAsync(password: string | Buffer, salt: string | Buffer, length: number, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  // Node refuses parameters needing more than 32 MiB unless maxmem says otherwise; scrypt uses 128*N*r*p bytes.
  const options: NodeScryptOptions = { ...cost, maxmem: Math.max(32 * 1024 * 1024, 256 * cost.N * cost.r * cost.p) };
  return new Promise((resolve, reject) => scryptCallback(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/**
 * Firebase's modified scrypt, as Appwrite 1.3 imports it: scrypt(password, salt + separator,
 * N=16384, r=8, p=1, 64 bytes); the first 32 bytes are an AES-256-CTR key (zero IV) that encrypts the
 * project's signer key; the result in base64 is the stored hash.
 * @see https://github.com/firebase/scrypt
 */
export async function firebaseScrypt(password: string, salt: string, saltSeparator: string, signerKey: string): Promise<string> {
  const saltBytes = Buffer.concat([Buffer.from(salt, 'base64'), Buffer.from(saltSeparator, 'base64')]);
  const derived = await scryptAsync(Buffer.from(password, 'utf8'), saltBytes, 64, { N: 16384, r: 8, p: 1 });
  const cipher = createCipheriv('aes-256-ctr', derived.subarray(0, 32), Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.from(signerKey, 'base64')), cipher.final()]).toString('base64');
}
