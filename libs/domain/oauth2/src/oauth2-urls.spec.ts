import { allowedRedirectHosts, failureUrl, isAllowedRedirect, isDefaultSuccessPage, withQuery } from './oauth2-urls';
import { ErrorType } from '@appconda/contracts';

describe('OAuth2 redirect URLs', () => {
  const hosts = allowedRedirectHosts(
    [
      { type: 'web', hostname: 'app.example.com' },
      { type: 'flutter-web', hostname: 'flutter.example.com' },
      { type: 'android', hostname: 'android.example.com' },
      { type: 'web', hostname: null },
    ],
    'api.example.com',
  );

  it('accepts web platforms, localhost and the API host only', () => {
    expect([...hosts].sort()).toEqual(['api.example.com', 'app.example.com', 'flutter.example.com', 'localhost']);
    expect(isAllowedRedirect('https://app.example.com/ok?x=1', hosts)).toBe(true);
    expect(isAllowedRedirect('http://localhost:3000/', hosts)).toBe(true);
    expect(isAllowedRedirect('https://APP.example.com/', hosts)).toBe(true);
    expect(isAllowedRedirect('https://android.example.com/', hosts)).toBe(false);
    expect(isAllowedRedirect('https://app.example.com.evil.net/', hosts)).toBe(false);
    expect(isAllowedRedirect('/relative', hosts)).toBe(false);
    expect(isAllowedRedirect('not a url', hosts)).toBe(false);
  });

  it('reports failures as Appwrite 1.3 does: error={message,type,code} added to the failure URL', () => {
    const url = new URL(failureUrl('https://app.example.com/fail?keep=1', ErrorType.UserBlocked));
    expect(url.searchParams.get('keep')).toBe('1');
    expect(JSON.parse(url.searchParams.get('error') as string)).toEqual({ message: ErrorType.UserBlocked.message, type: 'user_blocked', code: 401 });
    expect(withQuery('https://a.test/p?x=1', { x: '2', y: undefined, z: '3' })).toBe('https://a.test/p?x=2&z=3');
    expect(isDefaultSuccessPage('https://api.example.com/auth/oauth2/success?x=1')).toBe(true);
    expect(isDefaultSuccessPage('https://api.example.com/welcome')).toBe(false);
  });
});
