import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

/** Deletes the lock only while it is still ours (compare-and-delete). */
export const RELEASE_LOCK_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** The interval a run belongs to, and whether this instance holds its lock. */
export interface IntervalSlot {
  /** `floor(now / interval)`. */
  slot: number;
  acquired: boolean;
}

/**
 * One instance per interval does a periodic job when the job is scaled out: the first to
 * `SET <name>:<slot> NX PX <interval>` wins the interval. The lock lives as long as its interval (not a
 * few seconds): instances boot at different times, so their timers fire apart within one interval, and
 * a short lock would let a later one redo the work. A failed run releases its lock, so another instance
 * (or the next tick) can redo the interval.
 */
export class IntervalLock {
  private readonly owner = randomUUID();

  /** `name` is the key prefix of the locks, e.g. `<redis prefix>:maintenance:lock`. */
  constructor(
    private readonly redis: Redis,
    private readonly name: string,
  ) {}

  /** Takes the lock of the interval holding `now`, unless another instance has it. */
  async acquire(now: Date, intervalMs: number): Promise<IntervalSlot> {
    const slot = Math.floor(now.getTime() / intervalMs);
    const acquired = (await this.redis.set(this.key(slot), this.owner, 'PX', intervalMs, 'NX')) === 'OK';
    return { slot, acquired };
  }

  /** Gives an interval's lock back if this instance still holds it; never throws. */
  async release(slot: number): Promise<void> {
    await this.redis.eval(RELEASE_LOCK_SCRIPT, 1, this.key(slot), this.owner).catch(() => undefined);
  }

  private key(slot: number): string {
    return `${this.name}:${slot}`;
  }
}
