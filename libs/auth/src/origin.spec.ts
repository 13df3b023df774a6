import { AppException } from '@appconda/core';

import { assertOriginAllowed, consolePlatforms, corsHeaders, isOriginAllowed, Platform, preflightHeaders, requestOrigin } from './origin';

const platforms: Platform[] = [
  { type: 'web', hostname: 'app.example.com' },
  { type: 'flutter-web', hostname: '*.preview.dev' },
  { type: 'apple-ios', key: 'com.example.ios' },
  { type: 'android', key: 'com.example.android' },
  { type: 'flutter-android', key: 'com.example.flutter' },
  { type: 'web', hostname: '' },
];
const context = { platforms, apiHostname: 'api.example.com' };

function rejection(fn: () => void): AppException {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppException);
    return error as AppException;
  }
  throw new Error('expected general_unknown_origin');
}

describe('origin policy', () => {
  it('reads Origin, else Referer', () => {
    expect(requestOrigin({ origin: 'https://a.io', referer: 'https://b.io/x' })).toBe('https://a.io');
    expect(requestOrigin({ referer: 'https://b.io/x?y' })).toBe('https://b.io/x?y');
    expect(requestOrigin({})).toBe('');
  });

  it.each([
    ['https://app.example.com', true],
    ['http://app.example.com:3000', true],
    ['https://APP.example.com/path', true],
    ['https://pr-1.preview.dev', true],
    ['https://a.b.preview.dev', false],
    ['appwrite-ios://com.example.ios', true],
    ['appwrite-android://com.example.android', true],
    ['appwrite-android://com.example.flutter', true],
    ['http://localhost:5173', true],
    ['https://api.example.com', true],
    ['https://evil.com', false],
    ['https://app.example.com.evil.com', false],
    ['', true],
    ['null', true],
  ])('%s allowed=%p', (origin, allowed) => {
    expect(isOriginAllowed(origin, context)).toBe(allowed);
  });

  it('keeps the console open to localhost and its own host', () => {
    expect(consolePlatforms('console.example.com:443').map((p) => p.hostname)).toEqual(['localhost', 'console.example.com']);
    expect(isOriginAllowed('http://localhost', { platforms: [] })).toBe(true);
  });

  it('guards writes without an API key only', () => {
    const evil = { ...context, origin: 'https://evil.com', hasApiKey: false };
    const error = rejection(() => assertOriginAllowed({ ...evil, method: 'POST' }));
    expect(error.type).toBe('general_unknown_origin');
    expect(error.code).toBe(403);
    expect(error.message).toContain('(evil.com) as a new Web platform');
    for (const method of ['PUT', 'patch', 'DELETE']) expect(() => assertOriginAllowed({ ...evil, method })).toThrow(AppException);
    expect(() => assertOriginAllowed({ ...evil, method: 'GET' })).not.toThrow();
    expect(() => assertOriginAllowed({ ...evil, method: 'POST', hasApiKey: true })).not.toThrow();
    expect(() => assertOriginAllowed({ ...evil, method: 'POST', origin: '' })).not.toThrow();
    expect(rejection(() => assertOriginAllowed({ ...evil, method: 'POST', origin: 'appwrite-ios://com.other' })).message).toContain('new iOS platform');
    expect(rejection(() => assertOriginAllowed({ ...evil, method: 'POST', origin: 'ftp://evil.com' })).message).toBe('Unsupported platform');
  });

  it('echoes a known web origin in CORS headers, localhost otherwise', () => {
    const known = corsHeaders({ ...context, origin: 'http://app.example.com:8080', protocol: 'https' });
    expect(known).toEqual({
      'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE',
      'Access-Control-Allow-Headers': expect.stringContaining('X-Appwrite-Project'),
      'Access-Control-Expose-Headers': 'X-Fallback-Cookies',
      'Access-Control-Allow-Origin': 'http://app.example.com:8080',
      'Access-Control-Allow-Credentials': 'true',
    });
    for (const header of ['X-Appwrite-JWT', 'X-Fallback-Cookies', 'X-Appwrite-Timestamp', 'Content-Range', 'Range', 'X-SDK-GraphQL', 'Pragma']) {
      if (header !== 'X-Fallback-Cookies') expect(known['Access-Control-Allow-Headers'].split(', ')).toContain(header);
    }
    expect(corsHeaders({ ...context, origin: 'https://evil.com', protocol: 'http' })['Access-Control-Allow-Origin']).toBe('https://localhost');
    expect(corsHeaders({ ...context, origin: '', protocol: 'http' })['Access-Control-Allow-Origin']).toBe('http://localhost');
    // Native keys are valid origins but never echoed as a browser origin.
    expect(corsHeaders({ ...context, origin: 'appwrite-ios://com.example.ios', protocol: 'https' })['Access-Control-Allow-Origin']).toBe('appwrite-ios://localhost');
    expect(corsHeaders({ platforms: [], origin: 'http://localhost:4200', protocol: 'http' })['Access-Control-Allow-Origin']).toBe('http://localhost:4200');
  });

  it('echoes any origin on preflight', () => {
    expect(preflightHeaders('https://evil.com')['Access-Control-Allow-Origin']).toBe('https://evil.com');
  });
});
