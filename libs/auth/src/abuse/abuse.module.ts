import { DynamicModule, FactoryProvider, Global, Module, ModuleMetadata } from '@nestjs/common';
import { ABUSE_LIMITER } from '@appconda/core';
import type Redis from 'ioredis';

import { ABUSE_OPTIONS, ABUSE_REDIS, AbuseOptions, RedisAbuseLimiter } from './abuse.limiter';

export interface AbuseModuleOptions {
  /** Modules whose providers the factory needs (global modules need not be listed). */
  imports?: ModuleMetadata['imports'];
  /** Where the ioredis client comes from, e.g. `{ inject: [REDIS], useFactory: (r) => r }`. */
  redis: Omit<FactoryProvider<Redis>, 'provide'>;
  options?: AbuseOptions;
}

/**
 * Registers the Redis limiter as core's ABUSE_LIMITER, globally so the RouteGuard (in core's
 * HttpPipelineModule) finds it. The app owns the Redis client; this lib never opens one.
 */
@Global()
@Module({})
export class AbuseModule {
  static forRoot({ imports, redis, options = {} }: AbuseModuleOptions): DynamicModule {
    return {
      module: AbuseModule,
      imports,
      providers: [
        { provide: ABUSE_REDIS, ...redis },
        { provide: ABUSE_OPTIONS, useValue: options },
        RedisAbuseLimiter,
        { provide: ABUSE_LIMITER, useExisting: RedisAbuseLimiter },
      ],
      exports: [ABUSE_LIMITER, RedisAbuseLimiter],
    };
  }
}
