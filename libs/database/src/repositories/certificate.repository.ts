import { Injectable } from '@nestjs/common';
import { DataSource, LessThan, LessThanOrEqual } from 'typeorm';

import { CONSOLE_PROJECT_ID } from '../database.settings';
import { CertificateEntity } from '../entities';
import { RowData, ScopedRepository } from './scoped.repository';

/** The columns worker-certificates writes after a try. */
export type CertificateData = Pick<RowData<CertificateEntity>, 'attempts' | 'issueDate' | 'log' | 'renewDate' | 'updated'>;

/**
 * TLS certificate records. They are console data (Appwrite 1.3 keeps them in the console database): one
 * row per domain name, whichever projects added it, so every method works in the `console` scope.
 */
@Injectable()
export class CertificateRepository extends ScopedRepository<CertificateEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, CertificateEntity);
  }

  findByDomain(domain: string): Promise<CertificateEntity | null> {
    return this.findOne(CONSOLE_PROJECT_ID, { domain });
  }

  /**
   * Writes a domain's record: updates the existing row, or creates one with `uid`. Callers serialise
   * the writes of one domain (worker-certificates holds a Redis lock per domain while it works).
   */
  async save(domain: string, uid: string, data: CertificateData): Promise<CertificateEntity> {
    const existing = await this.findByDomain(domain);
    const updated = existing ? await this.update(CONSOLE_PROJECT_ID, existing.uid, data) : null;
    return updated ?? this.create(CONSOLE_PROJECT_ID, { uid, domain, attempts: 0, ...data });
  }

  /** Records due for renewal at `now` with fewer than `maxAttempts` failures, the most overdue first (Appwrite's maintenance query). */
  listDue(now: Date, maxAttempts: number, limit: number): Promise<CertificateEntity[]> {
    return this.repo.find({
      where: { project: CONSOLE_PROJECT_ID, renewDate: LessThanOrEqual(now), attempts: LessThan(maxAttempts) },
      order: { renewDate: 'ASC', internalId: 'ASC' },
      take: limit,
    });
  }

  async deleteByDomain(domain: string): Promise<boolean> {
    return (await this.deleteWhere(CONSOLE_PROJECT_ID, { domain })) > 0;
  }
}
