import { rewriteLegacyUrl } from './legacy-routes';

describe('legacy /v1/database aliases', () => {
  it.each([
    ['/v1/database/collections', '/v1/databases/default/collections'],
    ['/v1/database/collections?queries[]=x', '/v1/databases/default/collections?queries[]=x'],
    ['/v1/database/collections/c1/attributes/string', '/v1/databases/default/collections/c1/attributes/string'],
    ['/v1/database/collections/c1/documents/d1', '/v1/databases/default/collections/c1/documents/d1'],
    ['/v1/database/c1/usage?range=30d', '/v1/databases/default/collections/c1/usage?range=30d'],
  ])('%s → %s', (from, to) => {
    expect(rewriteLegacyUrl(from)).toBe(to);
  });

  it('leaves every other route alone', () => {
    for (const url of ['/v1/databases/default/collections', '/v1/databasesx', '/v1/database/collectionsx', '/v1/account']) expect(rewriteLegacyUrl(url)).toBe(url);
  });
});
