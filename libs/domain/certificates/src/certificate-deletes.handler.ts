import { Injectable, Module } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { serviceLogger } from '@appconda/core';
import { CertificateRepository, DomainRepository } from '@appconda/database';
import { HandlesJob, JobHandler } from '@appconda/queue';
import { RedisModule } from '@appconda/transport';

import { CertificateFiles } from './certificate-files';
import { CertificateLocks } from './certificate-locks';

const logger = serviceLogger('worker-deletes');

/**
 * `certificates` (Appwrite 1.3's deletes worker, after a custom domain is deleted): once no project has
 * the name any more and it is not `_APP_DOMAIN`, its certificate files and Traefik file go (Traefik stops
 * serving it) and so does its record. A name another project still uses keeps everything. Runs under the
 * domain's lock, so it never races an order in progress. Idempotent.
 */
@Injectable()
@HandlesJob(QueueName.Deletes, DeleteJobType.Certificates)
export class CertificateDeletesHandler implements JobHandler<QueueName.Deletes> {
  constructor(
    private readonly certificates: CertificateRepository,
    private readonly config: AppConfig,
    private readonly domains: DomainRepository,
    private readonly files: CertificateFiles,
    private readonly locks: CertificateLocks,
  ) {}

  async handle(job: DeleteJob): Promise<{ domain: string; removed: boolean }> {
    const domain = (job.resource ?? '').toLowerCase();
    if (!domain) throw new Error('a certificates delete job needs the domain name (resource)');
    const lock = await this.locks.acquire(domain);
    try {
      const inUse = domain === this.config.get('domain').toLowerCase() || (await this.domains.listAcrossProjects(domain)).length > 0;
      if (inUse) {
        logger.info({ event: 'certificate_kept', domain }, `${domain} is still in use: its certificate stays`);
        return { domain, removed: false };
      }
      await this.files.remove(domain);
      await this.certificates.deleteByDomain(domain);
      logger.info({ event: 'certificate_removed', domain }, `certificate files and record of ${domain} removed`);
      return { domain, removed: true };
    } finally {
      await lock.release();
    }
  }
}

/** worker-deletes' part of certificates: the `certificates` deletes handler. Needs DatabaseModule and ConfigModule in the app. */
@Module({ imports: [RedisModule], providers: [CertificateDeletesHandler, CertificateFiles, CertificateLocks] })
export class CertificateDeletesModule {}
