import { parseQueryString, queryArray } from './query-string';

describe('parseQueryString', () => {
  it('folds every SDK array form into arrays', () => {
    expect(parseQueryString('queries%5B%5D=a&queries%5B%5D=b&project=p')).toEqual({ queries: ['a', 'b'], project: 'p' });
    expect(parseQueryString('queries[1]=b&queries[0]=a')).toEqual({ queries: ['a', 'b'] });
    expect(parseQueryString('scopes[]=email')).toEqual({ scopes: ['email'] });
    expect(parseQueryString('queries=a')).toEqual({ queries: 'a' });
    expect(parseQueryString('x=1&x=2')).toEqual({ x: ['1', '2'] });
  });

  it('keeps values with brackets, commas and quotes intact', () => {
    const query = 'equal("name", ["a,b", "c]"])';
    expect(parseQueryString(`queries[0]=${encodeURIComponent(query)}`)).toEqual({ queries: [query] });
  });

  it('treats params named like Object.prototype members as plain keys and drops prototype keys', () => {
    const parsed = parseQueryString('toString[]=1&hasOwnProperty[0]=2&valueOf=3&constructor[]=4&__proto__=x&__proto__[a]=1&prototype=p&queries[]=q');
    expect(Object.getPrototypeOf(parsed)).toBeNull();
    expect({ ...parsed }).toEqual({ toString: ['1'], hasOwnProperty: ['2'], valueOf: '3', queries: ['q'], '__proto__[a]': '1' });
    expect(Object.keys(parsed)).not.toContain('__proto__');
  });

  it('mixes the array forms of one param and never throws on odd input', () => {
    expect({ ...parseQueryString('queries=a&queries[]=c&queries[0]=b') }).toEqual({ queries: ['a', 'b', 'c'] });
    expect({ ...parseQueryString('queries[99999999999999999999]=z&queries[1]=y') }).toEqual({ queries: ['y', 'z'] });
    for (const input of ['%', '%zz=%zz', '[]=1', '&&&', '=', 'a[=1', 'a]=1', 'a[][]=1', '\u0000=\u0000']) expect(() => parseQueryString(input)).not.toThrow();
  });

  it('reads array params from a parsed query', () => {
    expect(queryArray({ queries: 'a' }, 'queries')).toEqual(['a']);
    expect(queryArray({ queries: ['a', 'b'] }, 'queries')).toEqual(['a', 'b']);
    expect(queryArray({}, 'queries')).toBeUndefined();
    expect(queryArray(parseQueryString('toString=1'), 'constructor')).toBeUndefined();
  });
});
