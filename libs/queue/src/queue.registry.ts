import { getQueueToken } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Queue } from 'bull';
import { QueueName } from '@appconda/contracts';

/** The Bull queue instances registered anywhere in the app, looked up by name. */
@Injectable()
export class QueueRegistry {
  constructor(private readonly moduleRef: ModuleRef) {}

  /** Throws when the app registered neither a producer nor a worker for the queue. */
  get(queue: QueueName): Queue {
    try {
      return this.moduleRef.get<Queue>(getQueueToken(queue), { strict: false });
    } catch {
      throw new Error(`queue ${queue} is not registered in this app; import QueueModule.forProducer(QueueName...) for it`);
    }
  }
}

/** The key prefix a queue was built with (Bull keeps it on the instance but does not type it). */
export function queueKeyPrefix(queue: Queue): string {
  return (queue as unknown as { keyPrefix: string }).keyPrefix;
}
