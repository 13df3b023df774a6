import { Module } from '@nestjs/common';
import { AppConfig } from '@appconda/config';

import { MailService } from './mail.service';
import { MESSAGING_SETTINGS, readMessagingSettings } from './messaging.settings';
import { SmsService } from './sms.service';

/**
 * Mail and SMS delivery, for the mails and messaging workers. Needs AppConfig (ConfigModule is
 * global in every service).
 */
@Module({
  providers: [{ provide: MESSAGING_SETTINGS, inject: [AppConfig], useFactory: (config: AppConfig) => readMessagingSettings(config) }, MailService, SmsService],
  exports: [MailService, SmsService, MESSAGING_SETTINGS],
})
export class MessagingModule {}
