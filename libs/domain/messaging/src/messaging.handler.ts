import { Injectable } from '@nestjs/common';
import { MessagingJob, QueueName } from '@appconda/contracts';
import { JobHandler } from '@appconda/queue';

import { SmsReceipt } from './sms.providers';
import { SmsService } from './sms.service';

/** worker-messaging: sends one SMS per job. Provider failures propagate so Bull retries. */
@Injectable()
export class MessagingJobHandler implements JobHandler<QueueName.Messaging> {
  constructor(private readonly sms: SmsService) {}

  handle(payload: MessagingJob): Promise<SmsReceipt> {
    return this.sms.send({ to: payload.recipient, text: payload.message });
  }
}
