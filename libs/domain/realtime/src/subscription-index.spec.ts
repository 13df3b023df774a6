import { Subscriber, SubscriptionIndex } from './subscription-index';

const subscriber = (userId: string | undefined, roles: string[], channels: string[]): Subscriber => ({ userId, roles: new Set(roles), channels, mark: 0 });

describe('SubscriptionIndex', () => {
  const sut = new SubscriptionIndex<Subscriber>();
  const alice = subscriber('a', ['any', 'users', 'user:a', 'team:t'], ['documents', 'account', 'account.a']);
  const aliceTab = subscriber('a', ['any', 'users', 'user:a', 'team:t'], ['documents']);
  const bob = subscriber('b', ['any', 'users', 'user:b'], ['documents', 'files']);
  const guest = subscriber(undefined, ['any', 'guests'], ['documents']);
  for (const s of [alice, aliceTab, bob, guest]) sut.add('p', s);
  const matched = (roles: string[], channels: string[], project = 'p') => {
    const seen: Subscriber[] = [];
    sut.match(project, roles, channels, (s) => seen.push(s));
    return seen;
  };

  it('matches role × channel, each subscriber once', () => {
    expect(matched(['user:a'], ['documents', 'account'])).toEqual([alice, aliceTab]);
    expect(matched(['users', 'user:b'], ['documents', 'databases.x.collections.y.documents'])).toEqual([alice, aliceTab, bob]);
    expect(matched(['team:t'], ['files'])).toEqual([]);
    expect(matched(['user:a'], ['documents'], 'other')).toEqual([]);
  });

  it('gives events anyone may read to every subscriber of the channel', () => {
    expect(matched(['any'], ['documents'])).toEqual([alice, aliceTab, bob, guest]);
    expect(matched(['any'], ['files'])).toEqual([bob]);
  });

  it('finds a user’s subscribers and the users of a role, and counts per project', () => {
    expect(sut.ofUser('p', 'a')).toEqual([alice, aliceTab]);
    expect([...sut.usersWithRole('p', 'team:t')]).toEqual(['a']);
    expect(sut.counts()).toEqual(new Map([['p', 4]]));
    expect(sut.hasChannel('p', 'files')).toBe(true);
  });

  it('forgets removed subscribers and empty projects', () => {
    sut.remove('p', aliceTab);
    expect(matched(['user:a'], ['documents'])).toEqual([alice]);
    for (const s of [alice, bob, guest]) sut.remove('p', s);
    expect(sut.size).toBe(0);
    expect(sut.hasProject('p')).toBe(false);
    expect(matched(['any'], ['documents'])).toEqual([]);
  });
});

describe('textFrame', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- ws's own parser checks the frames
  const { Receiver } = require('ws') as { Receiver: new (options: object) => NodeJS.WritableStream & { on(event: 'message', fn: (data: Buffer, binary: boolean) => void): void } };
  const { textFrame } = jest.requireActual('./connection') as typeof import('./connection');

  it.each([5, 200, 70_000])('frames %i bytes as one text message ws reads back', (size) => {
    const payload = Buffer.from('x'.repeat(size));
    const receiver = new Receiver({ isServer: false, maxPayload: 0 });
    const got: Buffer[] = [];
    receiver.on('message', (data, binary) => {
      expect(binary).toBe(false);
      got.push(data);
    });
    receiver.write(textFrame(payload));
    expect(Buffer.concat(got).equals(payload)).toBe(true);
  });
});
