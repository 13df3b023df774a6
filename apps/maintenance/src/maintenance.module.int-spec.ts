import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ConfigModule, resetAppConfig } from '@appconda/config';
import { MaintenanceService } from '@appconda/maintenance';
import { createTestDatabase, deleteRedisKeys, TestDatabase, testRedisPrefix } from '@appconda/testing';
import Redis from 'ioredis';

import { MaintenanceModule } from './maintenance.module';

// Real MariaDB, Redis and Bull on a shared 2-core machine: give each case room beyond jest's 5 s default.
jest.setTimeout(30_000);

describe('apps/maintenance composition', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let prefix: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testRedisPrefix();
    Object.assign(process.env, db.env, { _APP_REDIS_PREFIX: prefix, _APP_MAINTENANCE_INTERVAL: '7200' });
    resetAppConfig();
    // As bootstrapService composes it: ConfigModule plus the app's module.
    @Module({ imports: [ConfigModule, MaintenanceModule] })
    class Root {}
    app = await NestFactory.createApplicationContext(Root, { logger: false });
    await app.init();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    const redis = new Redis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379) });
    await deleteRedisKeys(redis, prefix);
    await redis.quit();
    await db?.drop();
    process.env = saved;
    resetAppConfig();
  });

  it('boots with the first run pending and the interval from _APP_MAINTENANCE_INTERVAL', () => {
    const registry = app.get(SchedulerRegistry);
    expect(registry.getIntervals()).toEqual(['maintenance-interval']);
    expect(registry.getTimeouts()).toEqual(['maintenance-first-run']);
    expect(app.get(MaintenanceService).intervalMs).toBe(7_200_000);
  });
});
