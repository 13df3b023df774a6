import { createTestDatabase, TestDatabase, UserFactory } from '@appconda/testing';

import { withCondition } from './scoped.repository';
import { UserRepository } from './user.repository';

describe('ScopedRepository.listByQuery (real MariaDB)', () => {
  let db: TestDatabase;
  let sut: UserRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    sut = new UserRepository(db.dataSource);
    for (const name of ['carol', 'alice', 'bob', 'dave']) await UserFactory.from({ name }).create(sut, 'p1');
    await UserFactory.from({ name: 'alice' }).create(sut, 'p2');
  });

  afterAll(() => db.drop());

  const query = (over: Partial<Parameters<UserRepository['listByQuery']>[1]> = {}) => ({
    where: '',
    params: [],
    orderBy: '`_id` ASC',
    limit: 25,
    offset: 0,
    reverse: false,
    ...over,
  });

  it('returns the page in the compiled order and a total scoped to the project', async () => {
    const { rows, total } = await sut.listByQuery('p1', query({ orderBy: '`name` ASC, `_id` ASC', limit: 2 }));
    expect(rows.map((r) => r.name)).toEqual(['alice', 'bob']);
    expect(total).toBe(4);
  });

  it('applies the compiled conditions with bound params, never another project', async () => {
    const { rows, total } = await sut.listByQuery('p1', query({ where: '`name` IN (?, ?)', params: ['alice', "x' OR '1'='1"] }));
    expect(rows.map((r) => [r.name, r.project])).toEqual([['alice', 'p1']]);
    expect(total).toBe(1);
  });

  it('puts reversed (cursorBefore) pages back in order', async () => {
    const { rows } = await sut.listByQuery('p1', query({ orderBy: '`name` DESC, `_id` DESC', limit: 2, reverse: true }));
    expect(rows.map((r) => r.name)).toEqual(['carol', 'dave']);
  });

  it('counts every row the filters match, not only those after the cursor', async () => {
    const { rows, total } = await sut.listByQuery('p1', query({ where: '`name` > ?', params: ['b'], countWhere: '', countParams: [], orderBy: '`name` ASC, `_id` ASC' }));
    expect(rows.map((r) => r.name)).toEqual(['bob', 'carol', 'dave']);
    expect(total).toBe(4);
  });

  it('adds visibility conditions to the page and to the total alike', async () => {
    const restricted = withCondition(query({ where: '`name` > ?', params: ['b'], countWhere: '', countParams: [] }), '`name` <> ?', ['dave']);
    const { rows, total } = await sut.listByQuery('p1', restricted);
    expect(rows.map((r) => r.name).sort()).toEqual(['bob', 'carol']);
    expect(total).toBe(3);
  });

  it('combines equality filters on entity properties', async () => {
    const { rows } = await sut.listByQuery('p1', query(), { where: { name: 'bob' } });
    expect(rows.map((r) => r.name)).toEqual(['bob']);
  });
});
