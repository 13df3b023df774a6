import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { DomainEntity } from '../entities';
import { ScopedRepository } from './scoped.repository';

@Injectable()
export class DomainRepository extends ScopedRepository<DomainEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, DomainEntity);
  }

  findByDomain(projectId: string, domain: string): Promise<DomainEntity | null> {
    return this.findOne(projectId, { domain });
  }

  /**
   * Every project's row of one domain name. Deliberately not project-scoped: a TLS certificate belongs to
   * a name, and several projects may add the same name (Appwrite 1.3 keeps domains in the console database
   * and searches them by name the same way). For worker-certificates and the certificate clean-up only;
   * request code uses the scoped methods.
   */
  listAcrossProjects(domain: string): Promise<DomainEntity[]> {
    return this.repo.find({ where: { domain }, order: { internalId: 'ASC' } });
  }

  /** Points every project's row of a name at its certificate record (1.3's `updateDomainDocuments`); resolves how many rows changed. */
  async linkCertificate(domain: string, certificateId: string): Promise<number> {
    const now = new Date();
    const result = await this.repo.update({ domain }, { certificateId, updated: now, updatedAt: now });
    return result.affected ?? 0;
  }
}
