import { Global, Module } from '@nestjs/common';
import { AbuseModule } from '@appconda/auth';
import { IDENTITY_RESOLVER } from '@appconda/core';
import { REDIS } from '@appconda/transport';
import type Redis from 'ioredis';

import { IdentityResolverService } from './identity.resolver';
import { ProjectContextService } from './project-context.service';

/**
 * The request pipeline's identity stage for the API: resolves project and caller for core's
 * RouteGuard and counts abuse limits in Redis. Needs DatabaseModule and RedisModule in the app.
 */
@Global()
@Module({
  imports: [AbuseModule.forRoot({ redis: { inject: [REDIS], useFactory: (redis: Redis) => redis } })],
  providers: [ProjectContextService, IdentityResolverService, { provide: IDENTITY_RESOLVER, useExisting: IdentityResolverService }],
  exports: [ProjectContextService, IDENTITY_RESOLVER],
})
export class IdentityModule {}
