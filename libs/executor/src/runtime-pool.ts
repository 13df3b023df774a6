import { createHmac } from 'node:crypto';
import { serviceLogger } from '@appconda/core';

import { RuntimeDefinition, RuntimeDriver, RuntimeEndpoint } from './driver';

const logger = serviceLogger('executor');

export interface PoolOptions {
  /** The installation (Redis prefix): part of every runtime's name. */
  owner: string;
  /** `_APP_EXECUTOR_SECRET`: each runtime's challenge is derived from it and the runtime's name. */
  secret: string;
  /** `_APP_FUNCTIONS_CONTAINERS`: warm runtimes kept at most (0: no limit). */
  maxWarm: number;
  /** `_APP_FUNCTIONS_INACTIVE_THRESHOLD`, seconds a runtime may stay unused before it is stopped. */
  inactiveSeconds: number;
}

/** A runtime the pool knows, warm or starting. */
export interface PooledRuntime {
  readonly name: string;
  readonly key: string;
  readonly projectId: string;
  readonly deploymentId: string;
  readonly buildId: string;
  endpoint?: RuntimeEndpoint;
  starting?: Promise<RuntimeEndpoint>;
  /** Executions in flight: a runtime with any is never stopped by the idle clean-up or the LRU limit. */
  inflight: number;
  lastUsed: number;
  /** Replaced by a newer build or deleted while executions ran: stopped when the last one ends. */
  retired: boolean;
}

export type RuntimeRequest = Omit<RuntimeDefinition, 'name' | 'key'>;

/**
 * The executor's view of its runtimes: one per active deployment, started on first use (one start shared
 * by concurrent cold calls), counted while executions run, stopped when idle past the threshold or when
 * the warm limit needs room (least recently used first), and forgotten the moment its process or
 * container dies, so the next call starts a fresh one instead of failing.
 */
export class RuntimePool {
  private readonly runtimes = new Map<string, PooledRuntime>();
  private reaper?: NodeJS.Timeout;

  constructor(
    private readonly driver: RuntimeDriver,
    private readonly options: PoolOptions,
  ) {}

  /** Takes over the runtimes a previous executor left running, then starts the idle clean-up. */
  async init(): Promise<void> {
    const adopted = await this.driver.adopt();
    for (const found of adopted) {
      const runtime = this.record(found.projectId, found.deploymentId, found.buildId);
      if (runtime.name !== found.name) continue;
      runtime.endpoint = { name: found.name, url: found.url };
      this.runtimes.set(this.slot(found.projectId, found.deploymentId), runtime);
      this.driver.watch?.(found.name, () => this.forget(runtime));
    }
    if (adopted.length > 0) logger.info({ event: 'runtimes_adopted', count: adopted.length }, `adopted ${adopted.length} running runtime(s)`);
    const every = Math.max(1, Math.min(this.options.inactiveSeconds, 30)) * 1000;
    this.reaper = setInterval(() => void this.reap().catch((err: unknown) => logger.error({ err }, 'idle clean-up failed')), every);
    this.reaper.unref();
  }

  /** The container or process name: unique per installation, deployment and build. */
  nameOf(projectId: string, deploymentId: string, buildId: string): string {
    return `appconda-${this.options.owner}-${projectId}-${deploymentId}-${buildId}`.replace(/[^A-Za-z0-9_.-]/g, '_');
  }

  private slot(projectId: string, deploymentId: string): string {
    return `${projectId}/${deploymentId}`;
  }

  /** Counts an execution on the deployment's runtime, starting it when none is warm. */
  async acquire(request: RuntimeRequest): Promise<PooledRuntime> {
    const slot = this.slot(request.projectId, request.deploymentId);
    let runtime = this.runtimes.get(slot);
    if (runtime && runtime.buildId !== request.buildId) {
      this.retire(runtime);
      runtime = undefined;
    }
    if (!runtime) {
      runtime = this.record(request.projectId, request.deploymentId, request.buildId);
      this.runtimes.set(slot, runtime);
    }
    runtime.inflight += 1;
    runtime.lastUsed = Date.now();
    try {
      if (!runtime.endpoint) await (runtime.starting ??= this.start(runtime, request));
      return runtime;
    } catch (error) {
      this.release(runtime);
      throw error;
    }
  }

  release(runtime: PooledRuntime): void {
    runtime.inflight = Math.max(0, runtime.inflight - 1);
    runtime.lastUsed = Date.now();
    if (runtime.retired && runtime.inflight === 0) void this.stop(runtime);
  }

  /** The runtime is gone or stuck: stop what is left of it and let the next call start a new one. */
  async invalidate(runtime: PooledRuntime): Promise<void> {
    this.forget(runtime);
    await this.stop(runtime);
  }

  /** Stops the deployment's runtime (now, or when its executions in flight end). */
  async deleteDeployment(projectId: string, deploymentId: string): Promise<void> {
    const runtime = this.runtimes.get(this.slot(projectId, deploymentId));
    if (runtime) this.retire(runtime);
  }

  /** Stops runtimes unused for longer than the threshold; never one with an execution in flight. */
  async reap(now = Date.now()): Promise<string[]> {
    const idle = [...this.runtimes.values()].filter((r) => r.endpoint && r.inflight === 0 && now - r.lastUsed >= this.options.inactiveSeconds * 1000);
    for (const runtime of idle) {
      this.forget(runtime);
      logger.info({ event: 'runtime_idle_stopped', runtime: runtime.name }, 'stopping an idle runtime');
      await this.stop(runtime);
    }
    return idle.map((r) => r.name);
  }

  /** The runtimes the pool holds (warm or starting). */
  list(): readonly PooledRuntime[] {
    return [...this.runtimes.values()];
  }

  async close(): Promise<void> {
    clearInterval(this.reaper);
    this.runtimes.clear();
    await this.driver.close();
  }

  private record(projectId: string, deploymentId: string, buildId: string): PooledRuntime {
    const name = this.nameOf(projectId, deploymentId, buildId);
    const key = createHmac('sha256', this.options.secret).update(name).digest('hex').slice(0, 40);
    return { name, key, projectId, deploymentId, buildId, inflight: 0, lastUsed: Date.now(), retired: false };
  }

  private async start(runtime: PooledRuntime, request: RuntimeRequest): Promise<RuntimeEndpoint> {
    try {
      await this.makeRoom(runtime);
      const endpoint = await this.driver.start({ ...request, name: runtime.name, key: runtime.key }, () => this.forget(runtime));
      runtime.endpoint = endpoint;
      logger.info({ event: 'runtime_started', runtime: runtime.name, driver: this.driver.kind }, 'runtime started');
      return endpoint;
    } catch (error) {
      this.forget(runtime);
      throw error;
    } finally {
      runtime.starting = undefined;
    }
  }

  /** At the warm limit, stops the least recently used idle runtimes; busy ones are never stopped. */
  private async makeRoom(starting: PooledRuntime): Promise<void> {
    if (this.options.maxWarm <= 0) return;
    const others = () => [...this.runtimes.values()].filter((r) => r !== starting);
    while (others().length >= this.options.maxWarm) {
      const victim = others()
        .filter((r) => r.inflight === 0 && r.endpoint)
        .sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (!victim) {
        logger.warn({ event: 'runtime_limit_exceeded', limit: this.options.maxWarm }, 'every warm runtime is busy: starting one beyond _APP_FUNCTIONS_CONTAINERS');
        return;
      }
      this.forget(victim);
      logger.info({ event: 'runtime_lru_stopped', runtime: victim.name }, 'stopping the least recently used runtime to make room');
      await this.stop(victim);
    }
  }

  private retire(runtime: PooledRuntime): void {
    this.forget(runtime);
    runtime.retired = true;
    if (runtime.inflight === 0) void this.stop(runtime);
  }

  private forget(runtime: PooledRuntime): void {
    const slot = this.slot(runtime.projectId, runtime.deploymentId);
    if (this.runtimes.get(slot) === runtime) this.runtimes.delete(slot);
    runtime.endpoint = undefined;
  }

  private async stop(runtime: PooledRuntime): Promise<void> {
    // A new runtime of the same build may already have replaced this one: leave it alone.
    if (this.runtimes.get(this.slot(runtime.projectId, runtime.deploymentId))?.name === runtime.name) return;
    await this.driver.stop(runtime.name).catch((err: unknown) => logger.error({ err, runtime: runtime.name }, 'stopping a runtime failed'));
  }
}
