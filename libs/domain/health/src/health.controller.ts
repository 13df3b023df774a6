import { Controller, Get } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { AuthType, Route } from '@appconda/core';

import { HealthService } from './health.service';

const KEY_ONLY = { auth: [AuthType.Key, AuthType.Admin], scope: 'health.read' };

/** Appwrite 1.3's health service (server SDK, API keys with `health.read`), plus the other workers' queues. */
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Route(KEY_ONLY)
  get() {
    return this.health.status();
  }

  @Get('db')
  @Route(KEY_ONLY)
  db() {
    return this.health.db();
  }

  @Get('cache')
  @Route(KEY_ONLY)
  cache() {
    return this.health.cache();
  }

  @Get('time')
  @Route(KEY_ONLY)
  time() {
    return this.health.time();
  }

  @Get('storage/local')
  @Route(KEY_ONLY)
  storageLocal() {
    return this.health.storageLocal();
  }

  @Get('anti-virus')
  @Route(KEY_ONLY)
  antivirus() {
    return this.health.antivirus();
  }

  @Get('queue/webhooks')
  @Route(KEY_ONLY)
  queueWebhooks() {
    return this.health.queueSize(QueueName.Webhooks);
  }

  /** Appwrite calls the audit queue "logs". */
  @Get('queue/logs')
  @Route(KEY_ONLY)
  queueLogs() {
    return this.health.queueSize(QueueName.Audits);
  }

  @Get('queue/certificates')
  @Route(KEY_ONLY)
  queueCertificates() {
    return this.health.queueSize(QueueName.Certificates);
  }

  @Get('queue/functions')
  @Route(KEY_ONLY)
  queueFunctions() {
    return this.health.queueSize(QueueName.Functions);
  }

  // Appconda additions: the remaining workers' queues, same model.
  @Get('queue/deletes')
  @Route(KEY_ONLY)
  queueDeletes() {
    return this.health.queueSize(QueueName.Deletes);
  }

  @Get('queue/databases')
  @Route(KEY_ONLY)
  queueDatabases() {
    return this.health.queueSize(QueueName.Databases);
  }

  @Get('queue/builds')
  @Route(KEY_ONLY)
  queueBuilds() {
    return this.health.queueSize(QueueName.Builds);
  }

  @Get('queue/mails')
  @Route(KEY_ONLY)
  queueMails() {
    return this.health.queueSize(QueueName.Mails);
  }

  @Get('queue/messaging')
  @Route(KEY_ONLY)
  queueMessaging() {
    return this.health.queueSize(QueueName.Messaging);
  }
}
