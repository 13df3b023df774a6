import { quoteIdentifier, quoteString, toLine } from './influx.client';

describe('InfluxQL quoting', () => {
  it('quotes tag values as string literals, escaping backslashes before quotes', () => {
    expect(quoteString('p1')).toBe("'p1'");
    expect(quoteString("x' OR '1'='1")).toBe("'x\\' OR \\'1\\'=\\'1'");
    expect(quoteString('a\\')).toBe("'a\\\\'");
  });

  it('quotes identifiers in double quotes', () => {
    expect(quoteIdentifier('usage')).toBe('"usage"');
    expect(quoteIdentifier('a"b')).toBe('"a\\"b"');
  });

  it('writes line protocol with escaped tags and no empty ones', () => {
    expect(toLine({ measurement: 'usage', tags: { project: 'p 1', metric: 'm,x', detached: '' }, value: 2, time: 5n })).toBe('usage,metric=m\\,x,project=p\\ 1 value=2 5');
  });
});
