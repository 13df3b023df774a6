import { createHash } from 'node:crypto';

import {
  cookieDomain,
  expiredSessionCookies,
  fallbackCookiesValue,
  parseCookieHeader,
  parseFallbackCookies,
  pickSessionValue,
  sessionCookies,
} from './cookies';
import { decodeSession, encodeSession, generateSecret, hashSecret, secretMatches } from './secrets';

describe('session secrets', () => {
  it('generates 256 hex chars (128 random bytes), never twice the same', () => {
    const a = generateSecret();
    expect(a).toMatch(/^[0-9a-f]{256}$/);
    expect(generateSecret()).not.toBe(a);
  });

  it('stores sha256 hex of the secret', () => {
    expect(hashSecret('abc')).toBe(createHash('sha256').update('abc').digest('hex'));
    expect(secretMatches('abc', hashSecret('abc'))).toBe(true);
    expect(secretMatches('abd', hashSecret('abc'))).toBe(false);
    expect(secretMatches('abc', 'short')).toBe(false);
  });

  it('encodes base64 JSON {id, secret} and decodes it back', () => {
    const value = encodeSession({ id: 'user1', secret: 's3cr3t' });
    expect(JSON.parse(Buffer.from(value, 'base64').toString())).toEqual({ id: 'user1', secret: 's3cr3t' });
    expect(decodeSession(value)).toEqual({ id: 'user1', secret: 's3cr3t' });
  });

  it.each([undefined, '', 'not base64 !!', Buffer.from('[1,2]').toString('base64'), Buffer.from('{"id":1,"secret":"x"}').toString('base64'), Buffer.from('{"id":"a"}').toString('base64'), 'x'.repeat(5000), 42])(
    'decodeSession(%p) is undefined',
    (value) => {
      expect(decodeSession(value)).toBeUndefined();
    },
  );
});

describe('session cookies', () => {
  const expires = new Date(Date.UTC(2027, 0, 2, 3, 4, 5));

  it('builds the SameSite=None cookie and its legacy twin', () => {
    const [main, legacy] = sessionCookies('p1', 'ab+c/=', { expires, secure: true, hostname: 'api.example.com' });
    expect(main).toBe('a_session_p1=ab%2Bc%2F%3D; Expires=Sat, 02 Jan 2027 03:04:05 GMT; Path=/; Domain=.api.example.com; Secure; HttpOnly; SameSite=None');
    expect(legacy).toBe('a_session_p1_legacy=ab%2Bc%2F%3D; Expires=Sat, 02 Jan 2027 03:04:05 GMT; Path=/; Domain=.api.example.com; Secure; HttpOnly');
  });

  it('leaves out Domain for localhost and IPs, and Secure over http', () => {
    const [main] = sessionCookies('p1', 'v', { expires, secure: false, hostname: 'localhost' });
    expect(main).toBe('a_session_p1=v; Expires=Sat, 02 Jan 2027 03:04:05 GMT; Path=/; HttpOnly; SameSite=None');
    for (const host of ['localhost:8080', '127.0.0.1', '10.0.0.1:80', '[::1]', '::1', '[::1]:80']) expect(cookieDomain(host)).toBeUndefined();
    expect(cookieDomain('Example.com:443')).toBe('.example.com');
  });

  it('expires both cookies an hour in the past with empty values', () => {
    const now = Date.UTC(2026, 5, 1, 12);
    const [main, legacy] = expiredSessionCookies('p1', 'example.com', false, now);
    expect(main).toBe('a_session_p1=; Expires=Mon, 01 Jun 2026 11:00:00 GMT; Path=/; Domain=.example.com; HttpOnly; SameSite=None');
    expect(legacy.startsWith('a_session_p1_legacy=; Expires=Mon, 01 Jun 2026 11:00:00 GMT')).toBe(true);
  });

  it('parses X-Fallback-Cookies safely', () => {
    expect(parseFallbackCookies(fallbackCookiesValue('p1', 'v1'))).toEqual({ a_session_p1: 'v1' });
    expect(parseFallbackCookies('{"a":"1","b":2,"c":null}')).toEqual({ a: '1' });
    for (const bad of [undefined, '', '[]', '[1]', 'null', '{broken', '"str"', 42]) expect(parseFallbackCookies(bad)).toEqual({});
  });

  it('picks the session from cookie, then legacy cookie, then fallback header', () => {
    const fallback = fallbackCookiesValue('p1', 'from-header');
    expect(pickSessionValue('p1', { a_session_p1: 'main', a_session_p1_legacy: 'legacy' }, fallback)).toBe('main');
    expect(pickSessionValue('p1', { a_session_p1_legacy: 'legacy' }, fallback)).toBe('legacy');
    expect(pickSessionValue('p1', { a_session_p2: 'other' }, fallback)).toBe('from-header');
    expect(pickSessionValue('p1', undefined, 'junk')).toBeUndefined();
  });

  it('parses a Cookie header and decodes values', () => {
    expect(parseCookieHeader('a_session_p1=ab%2Bc%3D; other="q"; a_session_p1=second; bad; =x; pct=%E0%A4%A')).toEqual({
      a_session_p1: 'ab+c=',
      other: 'q',
      pct: '%E0%A4%A',
    });
    expect(parseCookieHeader(undefined)).toEqual({});
  });
});
