import { Global, Module } from '@nestjs/common';
import { AbuseModule } from '@appconda/auth';
import { QueueName } from '@appconda/contracts';
import { IDENTITY_RESOLVER } from '@appconda/core';
import { QueueModule } from '@appconda/queue';
import { EventBusModule, REDIS } from '@appconda/transport';
import type Redis from 'ioredis';

import { AuditTrail } from './audit-trail';
import { CorsHook } from './cors.hook';
import { IdentityResolutionModule } from './identity-resolution.module';
import { IdentityResolverService } from './identity.resolver';
import { RouteEffectsHook } from './route-effects.hook';

/**
 * The API's request pipeline around core's RouteGuard: resolves project and caller, counts abuse
 * limits in Redis, answers CORS, and after each successful route publishes its events and enqueues
 * its audit entry. Needs DatabaseModule and RedisModule in the app.
 */
@Global()
@Module({
  imports: [
    AbuseModule.forRoot({ redis: { inject: [REDIS], useFactory: (redis: Redis) => redis } }),
    EventBusModule,
    QueueModule.forProducer(QueueName.Audits),
    IdentityResolutionModule,
  ],
  providers: [
    { provide: IDENTITY_RESOLVER, useExisting: IdentityResolverService },
    CorsHook,
    AuditTrail,
    RouteEffectsHook,
  ],
  exports: [IdentityResolutionModule, IDENTITY_RESOLVER, AuditTrail],
})
export class IdentityModule {}
