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
