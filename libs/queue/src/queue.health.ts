import { Injectable } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';

import { QueueRegistry } from './queue.registry';

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** Queue sizes for the /v1/health/queue/* endpoints (Appwrite's `size` is `waiting`). */
@Injectable()
export class QueueHealth {
  constructor(private readonly queues: QueueRegistry) {}

  async counts(queue: QueueName): Promise<QueueCounts> {
    const { active, delayed, failed, waiting } = await this.queues.get(queue).getJobCounts();
    return { active, delayed, failed, waiting };
  }
}
