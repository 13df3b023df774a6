import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { serviceLogger } from '@appconda/core';

import { BuildRunner } from './build.service';
import { DockerDriver } from './docker.driver';
import { RuntimeDriver } from './driver';
import { ExecutorService } from './executor.service';
import { ProcessDriver } from './process.driver';
import { RuntimePool } from './runtime-pool';

export const RUNTIME_DRIVER = Symbol('RUNTIME_DRIVER');
const logger = serviceLogger('executor');

/** The executor's scratch folder: build work and the process driver's runtime folders. */
export function executorWorkDir(config: AppConfig): string {
  const dir = path.join(config.get('storage').paths.root, 'executor', config.get('redisPrefix'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function createDriver(config: AppConfig): RuntimeDriver {
  const functions = config.get('functions');
  const executor = config.get('executor');
  if (executor.driver === 'docker') {
    return new DockerDriver({
      owner: config.get('redisPrefix'),
      network: executor.runtimeNetwork,
      cpus: functions.cpus,
      memory: functions.memory,
      memorySwap: functions.memorySwap,
      workDir: executorWorkDir(config),
    });
  }
  return new ProcessDriver(executorWorkDir(config));
}

@Injectable()
class ExecutorLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(RUNTIME_DRIVER) private readonly driver: RuntimeDriver,
    private readonly pool: RuntimePool,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.pool.init();
    if (this.driver.kind === 'process') logger.warn({ event: 'process_driver' }, 'functions run as child processes of the executor (process driver): user code is NOT isolated; use _APP_EXECUTOR_DRIVER=docker for untrusted code');
  }

  onApplicationShutdown(): Promise<void> {
    return this.pool.close();
  }
}

/** The executor's logic: the configured driver, the runtime pool, builds and the three commands. */
@Module({
  providers: [
    { provide: RUNTIME_DRIVER, inject: [AppConfig], useFactory: createDriver },
    {
      provide: RuntimePool,
      inject: [RUNTIME_DRIVER, AppConfig],
      useFactory: (driver: RuntimeDriver, config: AppConfig) =>
        new RuntimePool(driver, {
          owner: config.get('redisPrefix'),
          secret: config.get('executor').secret,
          maxWarm: config.get('functions').containers,
          inactiveSeconds: config.get('functions').inactiveThreshold,
        }),
    },
    {
      provide: BuildRunner,
      inject: [RUNTIME_DRIVER, AppConfig],
      useFactory: (driver: RuntimeDriver, config: AppConfig) => new BuildRunner(driver, { builds: config.get('storage').paths.builds, work: executorWorkDir(config) }),
    },
    {
      provide: ExecutorService,
      inject: [RUNTIME_DRIVER, RuntimePool, BuildRunner, AppConfig],
      useFactory: (driver: RuntimeDriver, pool: RuntimePool, builds: BuildRunner, config: AppConfig) =>
        new ExecutorService(driver, pool, builds, { secret: config.get('executor').secret, storageRoot: config.get('storage').paths.root }),
    },
    ExecutorLifecycle,
  ],
  exports: [ExecutorService, RuntimePool, RUNTIME_DRIVER],
})
export class ExecutorRuntimeModule {}
