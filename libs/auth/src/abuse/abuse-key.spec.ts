import { abuseKeyPatterns, AbuseKeyValues, buildAbuseKey, windowStart } from './abuse-key';

const values: AbuseKeyValues = {
  url: 'localhost/v1/account/sessions/email',
  ip: '1.2.3.4',
  userId: 'u1',
  method: 'POST',
  userAgent: 'UA/1',
  params: { email: 'a@b.c', roles: ['owner'], zero: '0', empty: '', none: null, list: [] },
};

describe('abuse keys', () => {
  it('fills every placeholder', () => {
    expect(buildAbuseKey('url:{url},ip:{ip}', values)).toBe('url:localhost/v1/account/sessions/email,ip:1.2.3.4');
    expect(buildAbuseKey('{method}|{userId}|{userAgent}|{param-email}|{param-roles}', values)).toBe('POST|u1|UA/1|a@b.c|["owner"]');
  });

  it.each(['zero', 'empty', 'none', 'list', 'missing'])('skips the key when param %s is empty (PHP empty())', (name) => {
    expect(buildAbuseKey(`url:{url},x:{param-${name}}`, values)).toBeUndefined();
  });

  it('defaults the pattern and accepts lists', () => {
    expect(abuseKeyPatterns({ limit: 1 })).toEqual(['url:{url},ip:{ip}']);
    expect(abuseKeyPatterns({ limit: 1, key: ['a', 'b'] })).toEqual(['a', 'b']);
  });

  it('aligns windows to multiples of their length', () => {
    expect(windowStart(7205, 3600)).toBe(7200);
    expect(windowStart(7200, 60)).toBe(7200);
  });
});
