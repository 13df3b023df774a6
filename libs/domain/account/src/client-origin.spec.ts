import { AppException } from '@appconda/core';

import { assertRedirectUrl, clientHostnames, isSameSite, registrableDomain, withQuery } from './client-origin';

describe('client origin rules', () => {
  it('finds the registrable domain, and none for IPs and single labels', () => {
    expect(registrableDomain('api.example.com')).toBe('example.com');
    expect(registrableDomain('a.b.example.co.uk')).toBe('example.co.uk');
    expect(registrableDomain('example.com.')).toBe('example.com');
    for (const host of ['localhost', '127.0.0.1', '::1', '[::1]', '', undefined, 'co.uk']) expect(registrableDomain(host)).toBe('');
  });

  it('treats only a registered origin on the API site as same-site (no fallback header)', () => {
    const clients = ['localhost', 'app.example.com'];
    expect(isSameSite('api.example.com', 'https://app.example.com', clients)).toBe(true);
    // Unregistered origins count as localhost, as in 1.3.
    expect(isSameSite('api.example.com', 'https://evil.example.com', clients)).toBe(false);
    expect(isSameSite('api.example.com', '', clients)).toBe(false);
    expect(isSameSite('api.other.org', 'https://app.example.com', clients)).toBe(false);
    expect(isSameSite('127.0.0.1', 'http://localhost', clients)).toBe(false);
  });

  it('lists web and flutter-web hostnames, console first, without duplicates', () => {
    const hosts = clientHostnames(
      [{ type: 'web', hostname: 'localhost' }],
      [
        { type: 'web', hostname: 'App.Example.com' },
        { type: 'flutter-web', hostname: 'flutter.example.com' },
        { type: 'android', hostname: null },
        { type: 'web', hostname: 'localhost' },
      ],
    );
    expect(hosts).toEqual(['localhost', 'app.example.com', 'flutter.example.com']);
  });

  it('accepts redirect URLs on client hosts only, with Appwrite’s message', () => {
    expect(assertRedirectUrl('https://app.example.com/x?a=1', ['localhost', 'app.example.com']).hostname).toBe('app.example.com');
    expect(() => assertRedirectUrl('https://evil.test/', ['localhost', 'app.example.com'])).toThrow(AppException);
    expect(() => assertRedirectUrl('not a url', ['localhost'])).toThrow('Invalid url: URL host must be one of: localhost');
  });

  it('merges token params into the redirect query', () => {
    expect(withQuery(new URL('https://app.example.com/v?keep=1&userId=old'), { userId: 'u1', secret: 's p' })).toBe('https://app.example.com/v?keep=1&userId=u1&secret=s+p');
  });
});
