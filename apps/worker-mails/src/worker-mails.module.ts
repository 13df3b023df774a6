import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { MessagingModule } from '@appconda/messaging';
import { QueueModule } from '@appconda/queue';

import { MailsProcessor } from './mails.processor';

@Module({
  imports: [QueueModule.forWorker(QueueName.Mails), MessagingModule],
  providers: [MailsProcessor],
})
export class WorkerMailsModule {}
