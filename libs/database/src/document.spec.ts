import { systemFields, toDatetime } from './document';

describe('systemFields', () => {
  it('renders the row system columns as 1.3 document fields', () => {
    const at = new Date('2024-01-02T03:04:05.678Z');
    expect(systemFields({ uid: 'u1', createdAt: at, updatedAt: at, permissions: ['read("any")'] })).toEqual({
      $id: 'u1',
      $createdAt: '2024-01-02T03:04:05.678+00:00',
      $updatedAt: '2024-01-02T03:04:05.678+00:00',
      $permissions: ['read("any")'],
    });
    expect(toDatetime(null)).toBeNull();
  });
});
