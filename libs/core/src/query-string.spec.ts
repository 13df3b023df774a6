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

  it('reads array params from a parsed query', () => {
    expect(queryArray({ queries: 'a' }, 'queries')).toEqual(['a']);
    expect(queryArray({ queries: ['a', 'b'] }, 'queries')).toEqual(['a', 'b']);
    expect(queryArray({}, 'queries')).toBeUndefined();
  });
});
