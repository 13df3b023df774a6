import { AuditEntry, QueueName } from '@appconda/contracts';
import { JobQueue } from '@appconda/queue';

import { AuditTrail } from './audit-trail';

function entry(n: number): Omit<AuditEntry, 'id'> {
  return { projectId: 'p1', event: 'document.create', resource: `doc/${n}`, userId: '', mode: 'admin', data: {}, ip: '127.0.0.1', userAgent: 'jest', time: new Date(0).toISOString() };
}

function fakeQueue(fail = 0) {
  const jobs: { entries: AuditEntry[] }[] = [];
  let failures = fail;
  const queue = {
    add: jest.fn(async (payload: { entries: AuditEntry[] }) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error('redis down');
      }
      jobs.push(payload);
      return String(jobs.length);
    }),
  };
  return { jobs, queue: queue as unknown as JobQueue<QueueName.Audits> };
}

describe('AuditTrail', () => {
  afterEach(() => jest.useRealTimers());

  it('sends the entries of one linger window as one job, each with its own id', async () => {
    jest.useFakeTimers();
    const { jobs, queue } = fakeQueue();
    const trail = new AuditTrail(queue, { lingerMs: 20 });
    for (let n = 0; n < 5; n += 1) trail.record(entry(n));
    expect(jobs).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(20);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].entries.map((e) => e.resource)).toEqual(['doc/0', 'doc/1', 'doc/2', 'doc/3', 'doc/4']);
    expect(new Set(jobs[0].entries.map((e) => e.id)).size).toBe(5);
    expect(trail.size).toBe(0);
  });

  it('sends a full batch at once, without waiting', async () => {
    const { jobs, queue } = fakeQueue();
    const trail = new AuditTrail(queue, { lingerMs: 60_000, maxBatch: 3 });
    for (let n = 0; n < 7; n += 1) trail.record(entry(n));
    await new Promise((resolve) => setImmediate(resolve));
    // Nobody waited for the 60 s linger: the full batches (and what followed them) went at once.
    expect(jobs.flatMap((job) => job.entries.map((e) => e.resource))).toEqual(['doc/0', 'doc/1', 'doc/2', 'doc/3', 'doc/4', 'doc/5', 'doc/6']);
    expect(Math.max(...jobs.map((job) => job.entries.length))).toBe(3);
    await trail.beforeApplicationShutdown();
    expect(trail.size).toBe(0);
  });

  it('keeps the entries of a failed enqueue, in order, for the next flush', async () => {
    const { jobs, queue } = fakeQueue(1);
    const trail = new AuditTrail(queue, { lingerMs: 60_000 });
    trail.record(entry(1));
    await trail.flush();
    expect(jobs).toHaveLength(0);
    expect(trail.size).toBe(1);
    trail.record(entry(2));
    await trail.flush();
    expect(jobs[0].entries.map((e) => e.resource)).toEqual(['doc/1', 'doc/2']);
    await trail.onApplicationShutdown();
  });

  it('bounds the backlog while the queue is unreachable, dropping the oldest', async () => {
    const { queue } = fakeQueue(10);
    const trail = new AuditTrail(queue, { lingerMs: 60_000, maxPending: 2 });
    for (let n = 0; n < 3; n += 1) trail.record(entry(n));
    await trail.flush();
    expect(trail.size).toBe(2);
    await trail.onApplicationShutdown();
  });
});
