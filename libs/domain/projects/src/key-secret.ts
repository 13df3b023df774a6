import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
/** Separates this use of `_APP_OPENSSL_KEY_V1` from any other key derived from it. */
const CONTEXT = 'appconda:api-key-secret';

/**
 * Encrypts and decrypts API key secrets at rest with AES-256-GCM. Appwrite 1.3 returns a key's
 * secret from get/list, so the secret must stay recoverable; the lookup itself uses the sha256 hash.
 * The AES key is derived from `_APP_OPENSSL_KEY_V1` with HKDF-SHA256; the stored form is
 * `v1:<iv>:<tag>:<ciphertext>` (base64url parts).
 */
export class KeySecretCipher {
  private readonly key: Buffer;

  constructor(opensslKey: string) {
    if (!opensslKey) throw new Error('_APP_OPENSSL_KEY_V1 is empty: API key secrets cannot be encrypted');
    this.key = Buffer.from(hkdfSync('sha256', Buffer.from(opensslKey, 'utf8'), Buffer.alloc(0), CONTEXT, 32));
  }

  encrypt(secret: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join(':');
  }

  /** The secret, or undefined when the value is malformed or was encrypted under another key. */
  decrypt(stored: string): string | undefined {
    const [version, iv, tag, ciphertext] = stored.split(':');
    if (version !== VERSION || !iv || !tag || ciphertext === undefined) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}
