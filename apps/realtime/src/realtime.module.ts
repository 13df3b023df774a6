import { Module } from '@nestjs/common';
import { DatabaseModule } from '@appconda/database';
import { RealtimeModule } from '@appconda/realtime';
import { RedisModule } from '@appconda/transport';

/** The realtime service: `/v1/realtime` on its HTTP server (or the API's in `appconda all`), fed by the event bus. */
@Module({ imports: [DatabaseModule.forRoot(), RedisModule, RealtimeModule] })
export class RealtimeAppModule {}
