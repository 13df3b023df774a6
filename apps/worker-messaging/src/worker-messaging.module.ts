import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { MessagingModule } from '@appconda/messaging';
import { QueueModule } from '@appconda/queue';

import { MessagingProcessor } from './messaging.processor';

@Module({
  imports: [QueueModule.forWorker(QueueName.Messaging), MessagingModule],
  providers: [MessagingProcessor],
})
export class WorkerMessagingModule {}
