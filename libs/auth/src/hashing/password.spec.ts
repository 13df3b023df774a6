import { createHash, scryptSync } from 'node:crypto';

import { DEFAULT_HASH_OPTIONS, HashAlgorithm, SHA_VERSIONS } from './hash-options';
import { hashPassword, verifyPassword } from './password';
import { phpassCrypt, phpassHash } from './phpass';

const nodeDigest = (version: string) => version.replace('sha512/', 'sha512-');

describe('password hashing', () => {
  describe('argon2', () => {
    it('hashes with the Appwrite default options and verifies', async () => {
      const stored = await hashPassword('secret-pass');
      expect(stored).toMatch(/^\$argon2id\$v=19\$m=2048,t=4,p=3\$/);
      expect(await verifyPassword('secret-pass', stored, HashAlgorithm.Argon2, DEFAULT_HASH_OPTIONS)).toBe(true);
      expect(await verifyPassword('secret-pasS', stored, HashAlgorithm.Argon2)).toBe(false);
    });

    it('honours memoryCost/timeCost/threads', async () => {
      const stored = await hashPassword('x', HashAlgorithm.Argon2, { type: HashAlgorithm.Argon2, memoryCost: 4096, timeCost: 2, threads: 1 });
      expect(stored).toMatch(/\$m=4096,t=2,p=1\$/);
    });

    it('verifies the reference implementation vector (argon2i, "password"/"somesalt")', async () => {
      const stored = '$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG';
      expect(await verifyPassword('password', stored, 'argon2')).toBe(true);
      expect(await verifyPassword('passwore', stored, 'argon2')).toBe(false);
    });
  });

  describe('bcrypt', () => {
    // OpenBSD bcrypt test vector.
    const vector = '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';

    it('verifies a published vector, also in PHP\'s $2y$ spelling', async () => {
      expect(await verifyPassword('U*U', vector, 'bcrypt')).toBe(true);
      expect(await verifyPassword('U*U', vector.replace('$2a$', '$2y$'), 'bcrypt')).toBe(true);
      expect(await verifyPassword('U*V', vector, 'bcrypt')).toBe(false);
    });

    it('hashes with the given cost (default 8)', async () => {
      expect(await hashPassword('pw', 'bcrypt')).toMatch(/^\$2b\$08\$/);
      const stored = await hashPassword('pw', 'bcrypt', { type: HashAlgorithm.Bcrypt, cost: 5 });
      expect(stored).toMatch(/^\$2b\$05\$/);
      expect(await verifyPassword('pw', stored, 'bcrypt')).toBe(true);
      expect(await verifyPassword('pW', stored, 'bcrypt')).toBe(false);
    });
  });

  describe('md5', () => {
    it('is the hex digest', async () => {
      const stored = createHash('md5').update('hello').digest('hex');
      expect(stored).toBe('5d41402abc4b2a76b9719d911017c592');
      expect(await hashPassword('hello', 'md5')).toBe(stored);
      expect(await verifyPassword('hello', stored, 'md5')).toBe(true);
      expect(await verifyPassword('hello', stored.toUpperCase(), 'md5')).toBe(true);
      expect(await verifyPassword('hellO', stored, 'md5')).toBe(false);
    });
  });

  describe('sha', () => {
    it.each(SHA_VERSIONS.map((v) => [v]))('%s', async (version) => {
      const stored = createHash(nodeDigest(version)).update('pässword').digest('hex');
      const options = { type: HashAlgorithm.Sha, version } as const;
      expect(await hashPassword('pässword', 'sha', options)).toBe(stored);
      expect(await verifyPassword('pässword', stored, 'sha', options)).toBe(true);
      expect(await verifyPassword('password', stored, 'sha', options)).toBe(false);
    });

    it('defaults to sha3-512 (Appwrite\'s default version)', async () => {
      const stored = createHash('sha3-512').update('abc').digest('hex');
      expect(await verifyPassword('abc', stored, 'sha', { type: HashAlgorithm.Sha })).toBe(true);
    });

    it('knows a published sha1 vector', async () => {
      expect(await verifyPassword('abc', 'a9993e364706816aba3e25717850c26c9cd0d89d', 'sha', { type: 'sha', version: 'sha1' })).toBe(true);
    });
  });

  describe('phpass', () => {
    it('verifies the Openwall test vector', async () => {
      const stored = '$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0';
      expect(await verifyPassword('test12345', stored, 'phpass')).toBe(true);
      expect(await verifyPassword('test12346', stored, 'phpass')).toBe(false);
    });

    it('accepts phpBB $H$ and rejects malformed settings', async () => {
      const p = phpassHash('pw');
      expect(p).toMatch(/^\$P\$B.{8}.{22}$/);
      const h = phpassCrypt('pw', '$H$' + p.slice(3, 12));
      expect(await verifyPassword('pw', h, 'phpass')).toBe(true);
      expect(await verifyPassword('pw', '$P$', 'phpass')).toBe(false);
      expect(await verifyPassword('pw', '*0', 'phpass')).toBe(false);
      expect(await verifyPassword('pw', 'garbage', 'phpass')).toBe(false);
    });

    it('falls back to bcrypt like crypt() does', async () => {
      expect(await verifyPassword('U*U', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW', 'phpass')).toBe(true);
    });

    it('round-trips new hashes', async () => {
      const stored = await hashPassword('new one', 'phpass');
      expect(await verifyPassword('new one', stored, 'phpass')).toBe(true);
      expect(await verifyPassword('new two', stored, 'phpass')).toBe(false);
    });
  });

  describe('scrypt', () => {
    const options = { type: HashAlgorithm.Scrypt, salt: 'appwrite', costCpu: 16384, costMemory: 13, costParallel: 2, length: 64 } as const;

    it('is the hex of node scrypt with N=costCpu r=costMemory p=costParallel', async () => {
      const stored = scryptSync('secret', 'appwrite', 64, { N: 16384, r: 13, p: 2, maxmem: 128 * 1024 * 1024 }).toString('hex');
      expect(await hashPassword('secret', 'scrypt', options)).toBe(stored);
      expect(await verifyPassword('secret', stored, 'scrypt', options)).toBe(true);
      expect(await verifyPassword('secreT', stored, 'scrypt', options)).toBe(false);
      expect(await verifyPassword('secret', stored, 'scrypt', { ...options, salt: 'other' })).toBe(false);
    });

    it('uses Appwrite\'s defaults for missing costs', async () => {
      const stored = scryptSync('pw', 'salt', 64, { N: 8, r: 14, p: 1 }).toString('hex');
      expect(await verifyPassword('pw', stored, 'scrypt', { salt: 'salt' })).toBe(true);
    });
  });

  describe('scrypt modified (Firebase)', () => {
    // The example published with github.com/firebase/scrypt.
    const options = {
      type: HashAlgorithm.ScryptModified,
      salt: '42xEC+ixf3L2lw==',
      saltSeparator: 'Bw==',
      signerKey: 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
    } as const;
    const stored = 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==';

    it('matches the Firebase example and rejects a wrong password', async () => {
      expect(await hashPassword('user1password', 'scryptMod', options)).toBe(stored);
      expect(await verifyPassword('user1password', stored, 'scryptMod', options)).toBe(true);
      expect(await verifyPassword('user2password', stored, 'scryptMod', options)).toBe(false);
    });
  });

  // Hashes of the password "appwrite" published in Appwrite's own e2e suite (tests/e2e/Services/Users).
  describe('Appwrite e2e vectors', () => {
    it.each([
      ['argon2', '$argon2i$v=19$m=20,t=3,p=2$YXBwd3JpdGU$A/54i238ed09ZR4NwlACU5XnkjNBZU9QeOEuhjLiexI', undefined],
      ['sha', '4243da0a694e8a2f727c8060fe0507c8fa01ca68146c76d2c190805b638c20c6bf6ba04e21f11ae138785d0bff63c416e6f87badbffad37f6dee50094cc38c70', { type: 'sha', version: 'sha512' }],
      ['phpass', '$P$Br387rwferoKN7uwHZqNMu98q3U8RO.', undefined],
      [
        'scrypt',
        '3fdef49701bc4cfaacd551fe017283513284b4731e6945c263246ef948d3cf63b5d269c31fd697246085111a428245e24a4ddc6b64c687bc60a8910dbafc1d5b',
        { type: 'scrypt', salt: 'appwrite', costCpu: 16384, costMemory: 13, costParallel: 2, length: 64 },
      ],
      [
        'scryptMod',
        'UlM7JiXRcQhzAGlaonpSqNSLIz475WMddOgLjej5De9vxTy48K6WtqlEzrRFeK4t0COfMhWCb8wuMHgxOFCHFQ==',
        { type: 'scryptMod', salt: 'UxLMreBr6tYyjQ==', saltSeparator: 'Bw==', signerKey: 'XyEKE9RcTDeLEsL/RjwPDBv/RqDl8fb3gpYEOQaPihbxf1ZAtSOHCjuAAa7Q3oHpCYhXSN9tizHgVOwn6krflQ==' },
      ],
    ] as const)('%s', async (algo, stored, options) => {
      expect(await verifyPassword('appwrite', stored, algo, options)).toBe(true);
      expect(await verifyPassword('appwritf', stored, algo, options)).toBe(false);
    });

    it('md5 of "password"', async () => {
      expect(await verifyPassword('password', '5f4dcc3b5aa765d61d8327deb882cf99', 'md5')).toBe(true);
    });
  });

  it('answers false for unknown algorithms and non-string input', async () => {
    expect(await verifyPassword('x', 'x', 'plaintext' as HashAlgorithm)).toBe(false);
    expect(await verifyPassword('x', '', 'md5')).toBe(false);
    expect(await verifyPassword(undefined as unknown as string, 'abc', 'md5')).toBe(false);
    expect(await verifyPassword('x', 'not-an-argon-hash', 'argon2')).toBe(false);
    await expect(hashPassword('x', 'plaintext' as HashAlgorithm)).rejects.toThrow(/Unsupported/);
  });
});
