import { Inject, Injectable, Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '@appconda/config';
import { DeleteJob, DeleteJobType, QueueName } from '@appconda/contracts';
import { serviceLogger } from '@appconda/core';
import { CertificateRepository, DomainRepository } from '@appconda/database';
import { HandlesJob, JobHandler } from '@appconda/queue';
import { REDIS, REDIS_PREFIX, RedisLock, RedisModule } from '@appconda/transport';

import { CertificateFiles } from './certificate-files';
import { CertificateBusyError, certificateLockKey, LOCK_TTL_MS } from './certificates.handler';

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
  private readonly lock: RedisLock;

  constructor(
    private readonly certificates: CertificateRepository,
    private readonly config: AppConfig,
    private readonly domains: DomainRepository,
    private readonly files: CertificateFiles,
    @Inject(REDIS) redis: Redis,
    @Inject(REDIS_PREFIX) private readonly prefix: string,
  ) {
    this.lock = new RedisLock(redis);
  }

  async handle(job: DeleteJob): Promise<{ domain: string; removed: boolean }> {
    const domain = (job.resource ?? '').toLowerCase();
    if (!domain) throw new Error('a certificates delete job needs the domain name (resource)');
    const lock = await this.lock.acquire(certificateLockKey(this.prefix, domain), LOCK_TTL_MS);
    if (!lock) throw new CertificateBusyError(`a certificate of ${domain} is being ordered`);
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
@Module({ imports: [RedisModule], providers: [CertificateDeletesHandler, CertificateFiles] })
export class CertificateDeletesModule {}
