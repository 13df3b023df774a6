import { Module } from '@nestjs/common';
import { QUEUE_NAMES } from '@appconda/contracts';
import { QueueModule } from '@appconda/queue';

import { HealthPublicController } from './health-public.controller';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({
  imports: [QueueModule.forProducer(...QUEUE_NAMES)],
  controllers: [HealthPublicController, HealthController],
  providers: [HealthService],
  exports: [HealthService],
})
export class HealthApiModule {}
