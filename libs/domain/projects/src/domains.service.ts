import { Inject, Injectable } from '@nestjs/common';
import { CNAME_RESOLVER, CnameResolver, hasCnameTo, isPublicName } from '@appconda/certificates';
import { AppConfig } from '@appconda/config';
import { DeleteJobType, ErrorType, QueueName } from '@appconda/contracts';
import { AppException, generateId, RequestContext, serviceLogger } from '@appconda/core';
import { DomainRepository, MAX_LIST_LIMIT } from '@appconda/database';
import { InjectJobQueue, JobQueue } from '@appconda/queue';
import { parse as parseDomain } from 'tldts';

import { ProjectAccess } from './project-access';
import { isDuplicateKey } from './projects.service';
import { Domain, toDomainModel } from './projects.models';

const logger = serviceLogger('api');

/** Custom domains of a project: created unverified, verified once their CNAME points at `_APP_DOMAIN_TARGET`. */
@Injectable()
export class DomainsService {
  constructor(
    private readonly access: ProjectAccess,
    @InjectJobQueue(QueueName.Certificates) private readonly certificates: JobQueue<QueueName.Certificates>,
    private readonly config: AppConfig,
    @InjectJobQueue(QueueName.Deletes) private readonly deletes: JobQueue<QueueName.Deletes>,
    private readonly domains: DomainRepository,
    @Inject(CNAME_RESOLVER) private readonly resolveCname: CnameResolver,
  ) {}

  async list(ctx: RequestContext, projectId: string): Promise<{ total: number; domains: Domain[] }> {
    const project = await this.access.project(ctx, projectId);
    const rows = await this.domains.list(project.uid, { limit: MAX_LIST_LIMIT });
    return { total: rows.length, domains: rows.map(toDomainModel) };
  }

  async create(ctx: RequestContext, projectId: string, name: string): Promise<Domain> {
    const project = await this.access.project(ctx, projectId);
    const domain = name.toLowerCase();
    if (domain === this.config.get('domain').toLowerCase()) {
      throw new AppException(ErrorType.GeneralArgumentInvalid, 'Invalid domain: The server\'s own domain cannot be added as a custom domain');
    }
    if (await this.domains.findByDomain(project.uid, domain)) throw new AppException(ErrorType.DomainAlreadyExists);
    const target = this.config.get('domainTarget');
    if (!isPublicName(target)) {
      throw new AppException(ErrorType.DomainTargetInvalid, `Unreachable CNAME target (${target}). Please check the _APP_DOMAIN_TARGET environment variable of your Appwrite server.`);
    }
    const parsed = parseDomain(domain);
    try {
      const row = await this.domains.create(project.uid, {
        uid: generateId(),
        permissions: ['read("any")', 'update("any")', 'delete("any")'],
        domain,
        tld: parsed.publicSuffix ?? '',
        registerable: parsed.domain ?? '',
        verification: false,
        certificateId: null,
        updated: new Date(),
      });
      return toDomainModel(row);
    } catch (error) {
      if (isDuplicateKey(error)) throw new AppException(ErrorType.DomainAlreadyExists);
      throw error;
    }
  }

  async get(ctx: RequestContext, projectId: string, domainId: string): Promise<Domain> {
    const project = await this.access.project(ctx, projectId);
    const row = await this.domains.findByUid(project.uid, domainId);
    if (!row) throw new AppException(ErrorType.DomainNotFound);
    return toDomainModel(row);
  }

  /**
   * Checks the CNAME (through `_APP_DNS`); on success marks the domain verified and asks worker-certificates
   * for a certificate.
   */
  async verify(ctx: RequestContext, projectId: string, domainId: string): Promise<Domain> {
    const project = await this.access.project(ctx, projectId);
    const row = await this.domains.findByUid(project.uid, domainId);
    if (!row) throw new AppException(ErrorType.DomainNotFound);
    const target = this.config.get('domainTarget');
    // 1.3 answers this one with general_server_error (creating a domain says domain_target_invalid).
    if (!isPublicName(target)) throw new AppException(ErrorType.GeneralServerError, `Unreachable CNAME target (${target}), please use a domain with a public suffix.`);
    if (row.verification) return toDomainModel(row);
    if (!(await hasCnameTo(this.resolveCname, row.domain, target))) throw new AppException(ErrorType.DomainVerificationFailed);
    const updated = await this.domains.update(project.uid, row.uid, { verification: true, updated: new Date() });
    if (!updated) throw new AppException(ErrorType.DomainNotFound);
    await this.certificates
      .add({ domain: updated.domain, validateCNAME: false, validateTarget: true, projectId: project.uid, domainId: updated.uid })
      .catch((err) => logger.warn({ event: 'certificate_enqueue_failed', domain: updated.domain, err }, 'could not enqueue the certificate job'));
    return toDomainModel(updated);
  }

  /** Deletes the domain; worker-deletes then removes its certificate unless another project still has the name (1.3). */
  async delete(ctx: RequestContext, projectId: string, domainId: string): Promise<void> {
    const project = await this.access.project(ctx, projectId);
    const row = await this.domains.findByUid(project.uid, domainId);
    if (!row || !(await this.domains.delete(project.uid, domainId))) throw new AppException(ErrorType.DomainNotFound);
    await this.deletes
      .add({ type: DeleteJobType.Certificates, projectId: project.uid, document: { $id: row.uid, $internalId: row.internalId }, resource: row.domain })
      .catch((err) => logger.warn({ event: 'certificate_delete_enqueue_failed', domain: row.domain, err }, 'could not enqueue the certificate clean-up'));
  }
}
