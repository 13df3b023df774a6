import { createHmac } from 'node:crypto';
import { AppException } from '@appconda/core';

import { JWT_TTL_SECONDS, signJwt, verifyJwt } from './jwt';

const KEY = 'test-openssl-key';

function expectInvalid(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppException);
    expect((error as AppException).type).toBe('user_jwt_invalid');
    expect((error as AppException).code).toBe(401);
    return;
  }
  throw new Error('expected user_jwt_invalid');
}

/** An independent HS256 encoder, to check interop rather than round trip only. */
function handmade(payload: object, key = KEY, alg = 'HS256'): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const data = `${enc({ typ: 'JWT', alg })}.${enc(payload)}`;
  return `${data}.${createHmac('sha256', key).update(data).digest('base64url')}`;
}

describe('jwt', () => {
  const now = Date.UTC(2026, 0, 1);

  it('round-trips claims with a 900 s lifetime', () => {
    const token = signJwt({ userId: 'u1', sessionId: 's1' }, KEY, undefined, now);
    const payload = verifyJwt(token, KEY, now);
    expect(payload).toEqual({ userId: 'u1', sessionId: 's1', iat: now / 1000, exp: now / 1000 + JWT_TTL_SECONDS });
    const [header] = token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ typ: 'JWT', alg: 'HS256' });
  });

  it('accepts a token encoded elsewhere with the same key', () => {
    const iat = now / 1000;
    expect(verifyJwt(handmade({ userId: 'u2', sessionId: 's2', iat, exp: iat + 60 }), KEY, now).userId).toBe('u2');
  });

  it('rejects expired tokens (10 s leeway)', () => {
    const token = signJwt({ userId: 'u', sessionId: 's' }, KEY, 900, now);
    expect(verifyJwt(token, KEY, now + 905_000).userId).toBe('u');
    expectInvalid(() => verifyJwt(token, KEY, now + 911_000));
  });

  it('rejects a wrong key, a tampered payload, another alg and garbage', () => {
    const token = signJwt({ userId: 'u', sessionId: 's' }, KEY, 900, now);
    expectInvalid(() => verifyJwt(token, 'other-key', now));
    const [h, , s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ userId: 'admin', sessionId: 's', exp: now / 1000 + 900 })).toString('base64url');
    expectInvalid(() => verifyJwt(`${h}.${forged}.${s}`, KEY, now));
    expectInvalid(() => verifyJwt(handmade({ userId: 'u', exp: now / 1000 + 60 }, KEY, 'none'), KEY, now));
    for (const bad of ['', 'abc', 'a.b', 'a.b.c', 'x.y.z.w', undefined, 42, '{}.{}.{}']) expectInvalid(() => verifyJwt(bad, KEY, now));
  });

  it('rejects tokens without exp or userId', () => {
    expectInvalid(() => verifyJwt(handmade({ userId: 'u' }), KEY, now));
    expectInvalid(() => verifyJwt(handmade({ sessionId: 's', exp: now / 1000 + 60 }), KEY, now));
  });
});
