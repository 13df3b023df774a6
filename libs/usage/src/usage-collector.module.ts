import { Global, Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { USAGE_RECORDER } from '@appconda/core';
import { QueueModule } from '@appconda/queue';

import { UsageCollector } from './usage.collector';
import { UsageRequestHook } from './usage-request.hook';

/**
 * The API's usage collector, provided as USAGE_RECORDER. Global, because the request pipeline that
 * reports route metrics (the identity lib's route effects) resolves the token from its own module.
 */
@Global()
@Module({
  imports: [QueueModule.forProducer(QueueName.Usage)],
  providers: [UsageCollector, { provide: USAGE_RECORDER, useExisting: UsageCollector }, UsageRequestHook],
  exports: [UsageCollector, USAGE_RECORDER],
})
export class UsageCollectorModule {}
