import { generateId, isValidCustomId, resolveId, UNIQUE_ID } from './id';

describe('ids', () => {
  it('generates 20 hex chars, unique and increasing in the clock part', () => {
    const ids = Array.from({ length: 2000 }, generateId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{20}$/);
    const clocks = ids.map((id) => id.slice(0, 13));
    expect([...clocks].sort()).toEqual(clocks);
  });

  it('resolves unique() and keeps custom ids', () => {
    expect(resolveId(UNIQUE_ID)).toMatch(/^[0-9a-f]{20}$/);
    expect(resolveId('my-id')).toBe('my-id');
  });

  it.each([
    ['abc', true],
    ['a.b-c_d', true],
    ['x'.repeat(36), true],
    ['x'.repeat(37), false],
    ['_abc', false],
    ['-abc', false],
    ['a b', false],
    ['', false],
  ])('custom id %p valid=%p', (id, valid) => {
    expect(isValidCustomId(id)).toBe(valid);
  });
});

describe('toApiDate', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- keep this spec file's imports unchanged
  const { toApiDate } = require('./api-helpers') as typeof import('./api-helpers');

  it('formats like Appwrite 1.3 (ms precision, +00:00)', () => {
    expect(toApiDate(new Date(Date.UTC(2023, 6, 18, 22, 21, 58, 123)))).toBe('2023-07-18T22:21:58.123+00:00');
    expect(toApiDate(null)).toBe('');
    expect(toApiDate('garbage')).toBe('');
  });
});
