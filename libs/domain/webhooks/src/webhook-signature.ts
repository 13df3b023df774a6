import { createHmac } from 'node:crypto';

/**
 * PHP's rawurldecode: every `%XX` becomes its byte, everything else (including `+` and malformed
 * escapes) stays as is. Works on bytes, so a URL with escaped non-UTF-8 sequences still signs like 1.3.
 */
export function rawUrlDecode(url: string): Buffer {
  const bytes: number[] = [];
  const source = Buffer.from(url, 'utf8');
  for (let i = 0; i < source.length; i++) {
    const byte = source[i];
    if (byte === 0x25 && isHex(source[i + 1]) && isHex(source[i + 2])) {
      bytes.push(parseInt(String.fromCharCode(source[i + 1], source[i + 2]), 16));
      i += 2;
    } else {
      bytes.push(byte);
    }
  }
  return Buffer.from(bytes);
}

function isHex(byte: number | undefined): boolean {
  return byte !== undefined && ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66));
}

/**
 * `X-Appwrite-Webhook-Signature`: base64 of the HMAC-SHA1, keyed by the webhook's signature key, of the
 * URL-decoded webhook URL immediately followed by the exact body bytes.
 */
export function webhookSignature(url: string, body: string | Buffer, signatureKey: string): string {
  return createHmac('sha1', signatureKey).update(rawUrlDecode(url)).update(body).digest('base64');
}
