import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { QueueName } from '@appconda/contracts';
import { serviceLogger } from '@appconda/core';
import { InjectJobQueue, JobQueue } from '@appconda/queue';

import { isPublicName } from './domain-names';

const logger = serviceLogger('api');

/**
 * The server's own domain gets a certificate too: when the api starts with a real `_APP_DOMAIN` (a public
 * name, not localhost or an IP) it enqueues a certificate job for it (1.3 does this on the first request
 * that names the domain). The worker keeps a certificate that is still valid, so restarts cost nothing.
 */
@Injectable()
export class MainDomainCertificate implements OnApplicationBootstrap {
  constructor(
    private readonly config: AppConfig,
    @InjectJobQueue(QueueName.Certificates) private readonly certificates: JobQueue<QueueName.Certificates>,
  ) {}

  onApplicationBootstrap(): void {
    const domain = this.config.get('domain').toLowerCase();
    if (!isPublicName(domain)) {
      logger.info({ event: 'main_domain_certificate_skipped', domain }, `${domain} is not a public domain: no TLS certificate is ordered for it`);
      return;
    }
    // Not awaited: a slow Redis must not hold up the api's start.
    this.certificates
      .add({ domain, validateCNAME: false, validateTarget: true })
      .then((jobId) => logger.info({ event: 'main_domain_certificate_enqueued', domain, jobId }, `certificate job for ${domain} enqueued`))
      .catch((err) => logger.warn({ event: 'certificate_enqueue_failed', domain, err }, `could not enqueue the certificate job of ${domain}`));
  }
}
