import { Query as WebQuery } from 'appwrite';
import { Query as ServerQuery } from 'node-appwrite';

import { parseQueries } from './query.groups';
import { parseQuery } from './query.parser';
import { QueryMethod } from './query.types';

/** Both official SDK builders must produce strings that parse back to what the caller meant. */
describe.each([
  ['node-appwrite@9', ServerQuery],
  ['appwrite@11', WebQuery],
])('strings built by %s', (_name, Query) => {
  it.each([
    [() => Query.equal('title', 'x'), QueryMethod.Equal, 'title', ['x']],
    [() => Query.equal('title', ['x', 'y']), QueryMethod.Equal, 'title', ['x', 'y']],
    [() => Query.equal('n', [1, 2.5, -3]), QueryMethod.Equal, 'n', [1, 2.5, -3]],
    [() => Query.equal('flag', true), QueryMethod.Equal, 'flag', [true]],
    [() => Query.equal('flag', [false]), QueryMethod.Equal, 'flag', [false]],
    [() => Query.notEqual('title', 'x'), QueryMethod.NotEqual, 'title', ['x']],
    [() => Query.lessThan('n', 5), QueryMethod.LessThan, 'n', [5]],
    [() => Query.lessThanEqual('n', 5.25), QueryMethod.LessThanEqual, 'n', [5.25]],
    [() => Query.greaterThan('n', -1), QueryMethod.GreaterThan, 'n', [-1]],
    [() => Query.greaterThanEqual('at', '2023-05-01T10:00:00.000+00:00'), QueryMethod.GreaterThanEqual, 'at', ['2023-05-01T10:00:00.000+00:00']],
    [() => Query.search('body', 'hello world'), QueryMethod.Search, 'body', ['hello world']],
    [() => Query.isNull('a'), QueryMethod.IsNull, 'a', []],
    [() => Query.isNotNull('a'), QueryMethod.IsNotNull, 'a', []],
    [() => Query.between('n', 1, 10), QueryMethod.Between, 'n', [1, 10]],
    [() => Query.between('d', '2023-01-01', '2023-12-31'), QueryMethod.Between, 'd', ['2023-01-01', '2023-12-31']],
    [() => Query.startsWith('name', '50%_off'), QueryMethod.StartsWith, 'name', ['50%_off']],
    [() => Query.endsWith('name', "O'Brien"), QueryMethod.EndsWith, 'name', ["O'Brien"]],
    [() => Query.select(['a', '$id']), QueryMethod.Select, '', ['a', '$id']],
    [() => Query.orderAsc('a'), QueryMethod.OrderAsc, 'a', []],
    [() => Query.orderDesc('$createdAt'), QueryMethod.OrderDesc, '$createdAt', []],
    [() => Query.orderAsc(''), QueryMethod.OrderAsc, '', []],
    [() => Query.limit(100), QueryMethod.Limit, '', [100]],
    [() => Query.offset(0), QueryMethod.Offset, '', [0]],
    [() => Query.cursorAfter('6470a0ad1fe4d2a6c0b2'), QueryMethod.CursorAfter, '', ['6470a0ad1fe4d2a6c0b2']],
    [() => Query.cursorBefore('doc-1'), QueryMethod.CursorBefore, '', ['doc-1']],
    [() => Query.equal('title', 'say "hi" [ok], ok'), QueryMethod.Equal, 'title', ['say "hi" [ok], ok']],
    [() => Query.equal('emoji', 'żółć 🚀 日本'), QueryMethod.Equal, 'emoji', ['żółć 🚀 日本']],
  ])('%s', (build, method, attribute, values) => {
    const source = (build as () => string)();
    expect(parseQuery(source)).toMatchObject({ attribute, method, values });
  });

  it('groups a realistic list request', () => {
    const sut = parseQueries([
      Query.equal('status', ['active', 'pending']),
      Query.greaterThan('age', 17),
      Query.orderDesc('age'),
      Query.orderAsc('name'),
      Query.limit(10),
      Query.offset(20),
      Query.cursorAfter('abc'),
    ]);
    expect(sut).toMatchObject({
      cursor: { direction: 'after', id: 'abc' },
      limit: 10,
      offset: 20,
      orders: [
        { attribute: 'age', direction: 'DESC' },
        { attribute: 'name', direction: 'ASC' },
      ],
      selections: null,
    });
    expect(sut.filters.map((filter) => filter.method)).toEqual(['equal', 'greaterThan']);
  });
});
