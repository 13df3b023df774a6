import { SchedulerRegistry } from '@nestjs/schedule';

import { MaintenanceScheduler } from './maintenance.scheduler';
import { MaintenanceService } from './maintenance.service';

function deferred(): { promise: Promise<never>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<never>((ok, fail) => {
    resolve = ok as () => void;
    reject = fail;
  });
  return { promise, resolve, reject };
}

describe('MaintenanceScheduler', () => {
  it('never overlaps runs: a tick during a run joins it', async () => {
    const pending = deferred();
    const run = jest.fn().mockReturnValue(pending.promise);
    const sut = new MaintenanceScheduler(new SchedulerRegistry(), { run } as unknown as MaintenanceService);
    const first = sut.tick();
    const second = sut.tick();
    expect(run).toHaveBeenCalledTimes(1);
    pending.resolve();
    await Promise.all([first, second]);
    await sut.tick();
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('keeps ticking after a failed run (the error is logged, not thrown)', async () => {
    const run = jest.fn().mockRejectedValueOnce(new Error('redis down')).mockResolvedValue({ ran: true });
    const sut = new MaintenanceScheduler(new SchedulerRegistry(), { run } as unknown as MaintenanceService);
    await expect(sut.tick()).resolves.toBeUndefined();
    await expect(sut.tick()).resolves.toBeUndefined();
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('registers the first run and the interval at bootstrap and removes both at shutdown', async () => {
    const registry = new SchedulerRegistry();
    const sut = new MaintenanceScheduler(registry, { intervalMs: 60_000, run: jest.fn() } as unknown as MaintenanceService, { firstRunDelayMs: 60_000 });
    sut.onApplicationBootstrap();
    expect(registry.getTimeouts()).toEqual(['maintenance-first-run']);
    expect(registry.getIntervals()).toEqual(['maintenance-interval']);
    await sut.beforeApplicationShutdown();
    expect(registry.getTimeouts()).toEqual([]);
    expect(registry.getIntervals()).toEqual([]);
  });
});
