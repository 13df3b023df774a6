import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { DatabaseModule } from '@appconda/database';
import { QueueModule } from '@appconda/queue';

import { AuditsProcessor } from './audits.processor';

/** Consumes QueueName.Audits into the MariaDB audit table. */
@Module({ imports: [DatabaseModule.forRoot(), QueueModule.forWorker(QueueName.Audits)], providers: [AuditsProcessor] })
export class WorkerAuditsModule {}
