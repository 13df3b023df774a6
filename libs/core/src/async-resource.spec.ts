import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';

import { installLeanAsyncResourceBind } from './async-resource';

describe('installLeanAsyncResourceBind', () => {
  beforeAll(() => installLeanAsyncResourceBind());

  it('runs the bound function in the async context of the resource, not of its caller', () => {
    const storage = new AsyncLocalStorage<string>();
    const bound = storage.run('request', () => new AsyncResource('test').bind(() => storage.getStore()));
    expect(storage.run('elsewhere', () => bound())).toBe('request');
    storage.disable();
  });

  it('keeps the caller this, or the given thisArg, and passes the arguments', () => {
    const resource = new AsyncResource('test');
    const plain = resource.bind(function (this: { n: number }, a: number, b: number) {
      return this.n + a + b;
    });
    expect(plain.call({ n: 1 }, 2, 3)).toBe(6);
    // Node accepts a thisArg; @types/node does not declare it.
    const bindWithThis = resource.bind.bind(resource) as unknown as (fn: (this: { n: number }, a: number) => number, thisArg: unknown) => (this: unknown, a: number) => number;
    const pinned = bindWithThis(function (this: { n: number }, a: number) {
      return this.n * a;
    }, { n: 10 });
    expect(pinned.call({ n: 1 }, 4)).toBe(40);
    expect(plain.length).toBe(2);
    expect((plain as unknown as { asyncResource: AsyncResource }).asyncResource).toBe(resource);
    // A plain value, not Node 20's deprecated accessor pair.
    expect(Object.getOwnPropertyDescriptor(plain, 'asyncResource')?.get).toBeUndefined();
  });

  it('is what AsyncResource.bind (static) uses too, and rejects non-functions', () => {
    const bound = AsyncResource.bind((x: number) => x + 1);
    expect(bound(1)).toBe(2);
    expect(() => new AsyncResource('test').bind(42 as never)).toThrow(/must be of type function/);
  });
});
