import type Redis from 'ioredis';

import { AppEvent, EventBus, EventSubscriber, SUBSCRIBER_RETRY } from './event-bus';

const event: AppEvent = { id: 'e1', projectId: 'p1', events: ['users.u1.create'], payload: { $id: 'u1' }, time: new Date(0).toISOString() };

function redis(): Redis {
  return { publish: jest.fn().mockResolvedValue(1) } as unknown as Redis;
}

describe('EventBus subscriber retries (a dependency restarting under the enqueue)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('retries a failing subscriber with a growing delay until it succeeds, once per change', async () => {
    const onEvent = jest.fn<Promise<void>, [AppEvent]>().mockRejectedValueOnce(new Error('redis down')).mockRejectedValueOnce(new Error('redis down')).mockResolvedValue();
    const sut = new EventBus(redis(), 'pfx', [{ onEvent } as EventSubscriber]);

    sut.publish(event);
    await jest.advanceTimersByTimeAsync(0);
    expect(onEvent).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(SUBSCRIBER_RETRY.firstDelayMs);
    expect(onEvent).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(SUBSCRIBER_RETRY.firstDelayMs * 2);
    expect(onEvent).toHaveBeenCalledTimes(3);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(onEvent).toHaveBeenCalledTimes(3);
    expect(onEvent.mock.calls.every(([e]) => e === event)).toBe(true);
  });

  it('gives a change up after giveUpMs, and drops waiting retries on shutdown', async () => {
    const onEvent = jest.fn<Promise<void>, [AppEvent]>().mockRejectedValue(new Error('still down'));
    const sut = new EventBus(redis(), 'pfx', [{ onEvent } as EventSubscriber]);

    sut.publish(event);
    await jest.advanceTimersByTimeAsync(SUBSCRIBER_RETRY.giveUpMs + SUBSCRIBER_RETRY.maxDelayMs * 2);
    const calls = onEvent.mock.calls.length;
    expect(calls).toBeGreaterThan(SUBSCRIBER_RETRY.giveUpMs / SUBSCRIBER_RETRY.maxDelayMs - 2);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(onEvent).toHaveBeenCalledTimes(calls);

    sut.publish({ ...event, id: 'e2' });
    await jest.advanceTimersByTimeAsync(0);
    sut.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(onEvent).toHaveBeenCalledTimes(calls + 1);
  });
});
