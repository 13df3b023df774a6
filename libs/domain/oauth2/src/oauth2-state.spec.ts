import { codeChallenge, OAuth2StateSigner, readUnverifiedState } from './oauth2-state';

describe('OAuth2StateSigner', () => {
  const sut = new OAuth2StateSigner('state-spec-key');
  const input = { success: 'https://app.example.com/ok', failure: 'https://app.example.com/fail', project: 'p1', provider: 'github' };

  it('round-trips a signed state and refuses tampering, other keys and expiry', () => {
    const state = sut.create(input, Date.UTC(2030, 0, 1));
    const token = sut.sign(state);
    expect(sut.verify(token, Date.UTC(2030, 0, 1))).toEqual(state);

    const [payload, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...state, success: 'https://evil.example.net' })).toString('base64url');
    expect(sut.verify(`${forged}.${mac}`, Date.UTC(2030, 0, 1))).toBeUndefined();
    expect(sut.verify(`${payload}.${mac.slice(0, -2)}xx`, Date.UTC(2030, 0, 1))).toBeUndefined();
    expect(sut.verify(`${payload}`, Date.UTC(2030, 0, 1))).toBeUndefined();
    expect(sut.verify(`${token}.extra`, Date.UTC(2030, 0, 1))).toBeUndefined();
    expect(new OAuth2StateSigner('another-key').verify(token, Date.UTC(2030, 0, 1))).toBeUndefined();
    expect(sut.verify(token, Date.UTC(2030, 0, 1) + 3601 * 1000)).toBeUndefined();
    expect(readUnverifiedState(`${forged}.${mac}`)?.success).toBe('https://evil.example.net');
    expect(readUnverifiedState('not base64 json')).toBeUndefined();
  });

  it('derives a PKCE verifier per login that never appears in the state', () => {
    const a = sut.create(input);
    const b = sut.create(input);
    expect(a.nonce).not.toBe(b.nonce);
    expect(sut.codeVerifier(a)).toBe(sut.codeVerifier({ ...a }));
    expect(sut.codeVerifier(a)).not.toBe(sut.codeVerifier(b));
    expect(sut.codeVerifier(a)).toMatch(/^[\w-]{43}$/);
    expect(sut.sign(a)).not.toContain(sut.codeVerifier(a));
  });

  it('computes S256 challenges: unpadded base64url of the SHA-256 (value computed with Python hashlib)', () => {
    expect(codeChallenge('dBjftJeZ4CVP-mJ92K9uGtKGxWF9SVfeKpiAR4w3lbg')).toBe('L2uSynHd2OQ3JeT3YicFScrmiaQfoMKqOkyD80pGWac');
  });

  it('refuses to run without a key', () => {
    expect(() => new OAuth2StateSigner('')).toThrow(/_APP_OPENSSL_KEY_V1/);
  });
});
