import { Global, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ABUSE_REDIS, RedisAbuseLimiter } from '@appconda/auth';
import { IdentityResolutionModule } from '@appconda/identity';
import { HEALTH_DETAILS, httpServerOf, REDIS } from '@appconda/transport';

import { RealtimeHandshake } from './handshake';
import { RealtimeEvents } from './realtime.events';
import { RealtimeServer } from './realtime.server';
import { RealtimeStats } from './realtime.stats';

/**
 * Puts the endpoint on the HTTP server the realtime service answers on: its own port, or the API's in
 * `appconda all` (transport's serveOnHttpServerOf). Same code either way.
 */
@Injectable()
class RealtimeAttachment implements OnApplicationBootstrap {
  constructor(private readonly server: RealtimeServer) {}

  onApplicationBootstrap(): void {
    void httpServerOf('realtime').then((http) => this.server.attach(http));
  }
}

/**
 * The realtime service: `/v1/realtime` WebSockets fed by the event bus. Needs DatabaseModule and
 * RedisModule in the app. Global so the transport health controller finds its HealthDetails.
 */
@Global()
@Module({
  imports: [IdentityResolutionModule],
  providers: [
    { provide: ABUSE_REDIS, useExisting: REDIS },
    RedisAbuseLimiter,
    RealtimeHandshake,
    RealtimeServer,
    RealtimeEvents,
    RealtimeStats,
    RealtimeAttachment,
    { provide: HEALTH_DETAILS, useExisting: RealtimeStats },
  ],
  exports: [RealtimeServer, RealtimeEvents, RealtimeStats, HEALTH_DETAILS],
})
export class RealtimeModule {}
