import { Module } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { QueueName } from '@appconda/contracts';
import { jobHandlerToken } from '@appconda/queue';

import { MailService } from './mail.service';
import { MailsJobHandler } from './mails.handler';
import { MessagingJobHandler } from './messaging.handler';
import { MESSAGING_SETTINGS, readMessagingSettings } from './messaging.settings';
import { SmsService } from './sms.service';

const MAILS_HANDLER = jobHandlerToken(QueueName.Mails);
const MESSAGING_HANDLER = jobHandlerToken(QueueName.Messaging);

/**
 * Mail and SMS delivery, plus the job handlers the mails and messaging workers bind to their queues.
 * Needs AppConfig (ConfigModule is global in every service).
 */
@Module({
  providers: [
    { provide: MESSAGING_SETTINGS, inject: [AppConfig], useFactory: (config: AppConfig) => readMessagingSettings(config) },
    MailService,
    SmsService,
    { provide: MAILS_HANDLER, useClass: MailsJobHandler },
    { provide: MESSAGING_HANDLER, useClass: MessagingJobHandler },
  ],
  exports: [MailService, SmsService, MESSAGING_SETTINGS, MAILS_HANDLER, MESSAGING_HANDLER],
})
export class MessagingModule {}
