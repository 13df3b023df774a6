import { isPublicName, isSafeDomainFileName, pointsAt } from './domain-names';
import { traefikConfig } from './certificate-files';
import { ACME_TOKEN } from './acme-challenges';

describe('domain names', () => {
  it('accepts only names a public CA can issue for (1.3 isKnown && !isTest)', () => {
    for (const name of ['app.example.com', 'api.shop.co.uk', 'cname.appconda.io']) expect([name, isPublicName(name)]).toEqual([name, true]);
    for (const name of ['localhost', '127.0.0.1', '::1', 'shop.test', 'a.example', 'x.invalid', 'foo.localhost', 'com', 'intranet']) expect([name, isPublicName(name)]).toEqual([name, false]);
  });

  it('lets only plain lower-case names become file names', () => {
    expect(isSafeDomainFileName('app.example.com')).toBe(true);
    for (const name of ['../etc', 'App.example.com', 'a/b.com', '.hidden.com', 'example.com.', 'x', '']) expect([name, isSafeDomainFileName(name)]).toEqual([name, false]);
  });

  it('compares CNAME records like 1.3, ignoring case and the trailing dot', () => {
    expect(pointsAt(['Target.Example.com.'], 'target.example.com')).toBe(true);
    expect(pointsAt(['other.example.com'], 'target.example.com')).toBe(false);
    expect(pointsAt([], 'target.example.com')).toBe(false);
  });

  it('accepts the HTTP-01 tokens 1.3 accepts (up to 100 of A-Z a-z 0-9 - _)', () => {
    expect(ACME_TOKEN.test('aB-_09')).toBe(true);
    for (const token of ['', 'a.b', 'a/b', 'x'.repeat(101)]) expect(ACME_TOKEN.test(token)).toBe(false);
  });

  it('writes the Traefik file 1.3 writes', () => {
    expect(traefikConfig('/storage/certificates/app.example.com')).toBe(
      'tls:\n  certificates:\n    - certFile: /storage/certificates/app.example.com/fullchain.pem\n      keyFile: /storage/certificates/app.example.com/privkey.pem\n',
    );
  });
});
