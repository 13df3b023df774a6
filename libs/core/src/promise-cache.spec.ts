import { PromiseCache } from './promise-cache';

describe('PromiseCache', () => {
  it('shares one load per key within the TTL, then loads again', async () => {
    const sut = new PromiseCache<number>(1000);
    let loads = 0;
    const load = async () => ++loads;
    const now = jest.spyOn(Date, 'now').mockReturnValue(0);
    expect(await Promise.all([sut.get('a', load), sut.get('a', load)])).toEqual([1, 1]);
    now.mockReturnValue(1500);
    expect(await sut.get('a', load)).toBe(2);
    now.mockRestore();
  });

  it('forgets failed loads, deleted keys and prefixes', async () => {
    const sut = new PromiseCache<string>(60000);
    await expect(sut.get('p1:x', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await sut.get('p1:x', async () => 'up')).toBe('up');
    sut.deletePrefix('p1:');
    expect(await sut.get('p1:x', async () => 'fresh')).toBe('fresh');
    sut.delete('p1:x');
    expect(await sut.get('p1:x', async () => 'again')).toBe('again');
  });

  it('drops the oldest entry when full', async () => {
    const sut = new PromiseCache<string>(60000, 2);
    await sut.get('a', async () => 'a1');
    await sut.get('b', async () => 'b1');
    await sut.get('c', async () => 'c1');
    expect(await sut.get('a', async () => 'a2')).toBe('a2');
    expect(await sut.get('c', async () => 'c2')).toBe('c1');
  });
});
