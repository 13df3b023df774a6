import { hashSecret } from './secrets';
import { DEFAULT_SESSION_DURATION, findActiveSession, findValidToken, TokenType } from './verify';

describe('session and token checks', () => {
  const now = Date.UTC(2026, 5, 1);
  const iso = (ms: number) => new Date(ms).toISOString();

  it('finds the live session whose stored hash matches the secret', () => {
    const sessions = [
      { $id: 'old', $createdAt: iso(now - (DEFAULT_SESSION_DURATION + 1) * 1000), secret: hashSecret('s1') },
      { $id: 'live', $createdAt: iso(now - 1000), secret: hashSecret('s1') },
      { $id: 'other', $createdAt: new Date(now), secret: hashSecret('s2') },
    ];
    expect(findActiveSession(sessions, 's1', undefined, now)?.$id).toBe('live');
    expect(findActiveSession(sessions, 's2', undefined, now)?.$id).toBe('other');
    expect(findActiveSession(sessions, 's3', undefined, now)).toBeUndefined();
    expect(findActiveSession(sessions, '', undefined, now)).toBeUndefined();
    // A project with a 10 s session duration.
    expect(findActiveSession([{ $id: 'x', $createdAt: iso(now - 11_000), secret: hashSecret('s') }], 's', 10, now)).toBeUndefined();
    expect(findActiveSession([{ $id: 'x', $createdAt: 'garbage', secret: hashSecret('s') }], 's', 10, now)).toBeUndefined();
  });

  it('finds unexpired tokens of the asked type', () => {
    const tokens = [
      { $id: 'rec', type: TokenType.Recovery, secret: hashSecret('t'), expire: iso(now + 60_000) },
      { $id: 'ver', type: TokenType.Verification, secret: hashSecret('t'), expire: iso(now + 60_000) },
      { $id: 'gone', type: TokenType.MagicUrl, secret: hashSecret('m'), expire: iso(now - 1) },
    ];
    expect(findValidToken(tokens, TokenType.Verification, 't', now)?.$id).toBe('ver');
    expect(findValidToken(tokens, undefined, 't', now)?.$id).toBe('rec');
    expect(findValidToken(tokens, TokenType.MagicUrl, 'm', now)).toBeUndefined();
    expect(findValidToken(tokens, TokenType.Recovery, 'x', now)).toBeUndefined();
  });
});
