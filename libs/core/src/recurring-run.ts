import type { SchedulerRegistry } from '@nestjs/schedule';

/**
 * A periodic run driven by @nestjs/schedule: once `firstDelayMs` after start, then every `intervalMs`
 * (timers registered as `<name>-first-run` and `<name>-interval`, since the interval comes from
 * configuration and cannot be a static `@Interval()`). Runs never overlap: a tick during a run joins
 * it. A failed run goes to `onError` and the ticks go on; stop() clears the timers and waits for the
 * run in progress.
 */
export class RecurringRun {
  private running: Promise<void> | undefined;

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly name: string,
    private readonly run: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(firstDelayMs: number, intervalMs: number): void {
    this.registry.addTimeout(this.firstRun, setTimeout(() => void this.tick(), firstDelayMs));
    this.registry.addInterval(this.interval, setInterval(() => void this.tick(), intervalMs));
  }

  async stop(): Promise<void> {
    if (this.registry.doesExist('timeout', this.firstRun)) this.registry.deleteTimeout(this.firstRun);
    if (this.registry.doesExist('interval', this.interval)) this.registry.deleteInterval(this.interval);
    await this.running;
  }

  /** One run, or the one in progress; resolves when it ends and never rejects. */
  tick(): Promise<void> {
    this.running ??= this.run()
      .then(() => undefined)
      .catch(this.onError)
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private get firstRun(): string {
    return `${this.name}-first-run`;
  }

  private get interval(): string {
    return `${this.name}-interval`;
  }
}
