import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { CertificateJob, QueueName } from '@appconda/contracts';
import { generateId, serviceLogger } from '@appconda/core';
import { CertificateEntity, CertificateRepository, DomainRepository } from '@appconda/database';
import { InjectJobQueue, JobContext, JobHandler, JobQueue } from '@appconda/queue';

import { AcmeIssuer } from './acme-issuer';
import { CertificateFiles } from './certificate-files';
import { CertificateLocks } from './certificate-locks';
import { CNAME_RESOLVER, CnameResolver, hasCnameTo } from './dns';
import { isPublicName } from './domain-names';

/** Failed tries after which a certificate is given up until someone acts (Appwrite's maintenance: `attempts < 5`). */
export const CERTIFICATE_MAX_ATTEMPTS = 5;
/** Renew this long before expiry (Let's Encrypt's advice, Appwrite 1.3's 30 days). */
export const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;
/** Appwrite keeps 16 384 characters of the last try's log. */
const LOG_LIMIT = 16_384;

const logger = serviceLogger('worker-certificates');

/** What one certificate job did. */
export type CertificateOutcome =
  | { status: 'issued'; domain: string; certificateId: string; notAfter: string }
  | { status: 'valid'; domain: string; certificateId: string; renewDate: string }
  | { status: 'dropped'; domain: string; reason: 'domain_deleted' }
  | { status: 'refused'; domain: string; reason: 'not_public' | 'not_verified' }
  | { status: 'failed'; domain: string; certificateId: string; attempts: number; notified: true };

/** A try that failed and was recorded; thrown so Bull retries it with the queue's backoff. */
export class CertificateAttemptError extends Error {
  override name = 'CertificateAttemptError';
}

/**
 * worker-certificates (Appwrite 1.3's certificates worker, with acme-client instead of certbot). A job for
 * a domain that no project has any more is dropped, one no project has verified (or that is no public
 * name) refused. Otherwise, under a Redis lock per domain so two replicas never order the same
 * certificate: a stored certificate that covers the domain and is not within 30 days of expiry is kept;
 * else the CNAME is checked again when asked (renewals), a certificate is ordered, its files and Traefik
 * configuration written, the record saved (issue date, renew date = expiry − 30 days, attempts 0).
 * A failure is recorded (log = the CA's error, attempts + 1, renew date = now) and retried with backoff;
 * after the last attempt the security address gets a mail (worker-mails) and the job ends. Every try
 * points the domains of that name at the record (1.3's `certificateId`).
 */
@Injectable()
export class CertificatesJobHandler implements JobHandler<QueueName.Certificates> {
  constructor(
    private readonly certificates: CertificateRepository,
    private readonly config: AppConfig,
    private readonly domains: DomainRepository,
    private readonly files: CertificateFiles,
    private readonly issuer: AcmeIssuer,
    private readonly locks: CertificateLocks,
    @InjectJobQueue(QueueName.Mails) private readonly mails: JobQueue<QueueName.Mails>,
    @Inject(CNAME_RESOLVER) private readonly resolveCname: CnameResolver,
  ) {}

  async handle(job: CertificateJob, context: JobContext): Promise<CertificateOutcome> {
    const domain = job.domain.trim().toLowerCase();
    const isMain = domain === this.config.get('domain').toLowerCase();
    if (!isPublicName(domain)) return this.done({ status: 'refused', domain, reason: 'not_public' });
    if (!isMain) {
      const rows = await this.domains.listAcrossProjects(domain);
      if (rows.length === 0) return this.done({ status: 'dropped', domain, reason: 'domain_deleted' });
      if (!rows.some((row) => row.verification)) return this.done({ status: 'refused', domain, reason: 'not_verified' });
    }
    const lock = await this.locks.acquire(domain);
    try {
      return this.done(await this.obtain(domain, job.validateCNAME && !isMain, context));
    } finally {
      await lock.release();
    }
  }

  private async obtain(domain: string, checkCname: boolean, context: JobContext): Promise<CertificateOutcome> {
    const record = await this.certificates.findByDomain(domain);
    const stored = await this.files.current(domain);
    if (stored?.coversDomain && stored.notAfter.getTime() - RENEW_BEFORE_MS > Date.now()) {
      // 1.3 records "Renew isn't required." as a failed attempt; a certificate that is fine is simply kept.
      const renewDate = new Date(stored.notAfter.getTime() - RENEW_BEFORE_MS);
      // The record follows the stored file (it may be missing, or still carry an older renew date).
      const saved = record?.renewDate?.getTime() === renewDate.getTime() ? record : await this.certificates.save(domain, record?.uid ?? generateId(), { renewDate, updated: new Date() });
      await this.domains.linkCertificate(domain, saved.uid);
      return { status: 'valid', domain, certificateId: saved.uid, renewDate: renewDate.toISOString() };
    }
    try {
      if (checkCname) await this.assertCname(domain);
      const issued = await this.issuer.issue(domain);
      await this.files.write(domain, issued);
      const now = new Date();
      const log = `Issued by ${this.issuer.directoryUrl}: serial ${issued.serialNumber}, valid until ${issued.notAfter.toISOString()}.`;
      const saved = await this.certificates.save(domain, generateId(), { issueDate: now, renewDate: new Date(issued.notAfter.getTime() - RENEW_BEFORE_MS), attempts: 0, log, updated: now });
      await this.domains.linkCertificate(domain, saved.uid);
      return { status: 'issued', domain, certificateId: saved.uid, notAfter: issued.notAfter.toISOString() };
    } catch (error) {
      return this.recordFailure(domain, record, error as Error, context);
    }
  }

  /** 1.3 re-checks a custom domain's CNAME before renewing it (the main domain needs none). */
  private async assertCname(domain: string): Promise<void> {
    const target = this.config.get('domainTarget');
    if (!isPublicName(target)) throw new Error(`Unreachable CNAME target (${target}), please use a domain with a public suffix.`);
    if (!(await hasCnameTo(this.resolveCname, domain, target))) throw new Error('Failed to verify domain DNS records.');
  }

  private async recordFailure(domain: string, record: CertificateEntity | null, error: Error, context: JobContext): Promise<CertificateOutcome> {
    const attempts = (record?.attempts ?? 0) + 1;
    const message = String(error?.message ?? error).slice(0, LOG_LIMIT);
    const now = new Date();
    // renewDate = now: the next maintenance sweep tries again while attempts stay below the limit.
    const saved = await this.certificates.save(domain, record?.uid ?? generateId(), { attempts, log: message, renewDate: now, updated: now });
    await this.domains.linkCertificate(domain, saved.uid);
    logger.warn({ event: 'certificate_failed', domain, attempts, attempt: context.attempt, error: message }, `certificate for ${domain} failed (attempt ${attempts})`);
    if (attempts < CERTIFICATE_MAX_ATTEMPTS && context.attempt < CERTIFICATE_MAX_ATTEMPTS) throw new CertificateAttemptError(message);
    await this.notify(domain, message, attempts);
    return { status: 'failed', domain, certificateId: saved.uid, attempts, notified: true };
  }

  /** The mail 1.3 sends to the security address (`emails.certificate`), through worker-mails. */
  private async notify(domain: string, error: string, attempts: number): Promise<void> {
    await this.mails.add({
      recipient: this.config.get('system').securityEmailAddress,
      name: 'Administrator',
      template: 'emails.certificate',
      locale: this.config.get('locale'),
      variables: { domain, error, attempt: String(attempts), redirect: `https://${domain}`, project: this.config.get('system').emailName },
    });
  }

  private done(outcome: CertificateOutcome): CertificateOutcome {
    const level = outcome.status === 'issued' || outcome.status === 'valid' ? 'info' : 'warn';
    logger[level]({ event: `certificate_${outcome.status}`, ...outcome }, `certificate of ${outcome.domain}: ${outcome.status}`);
    return outcome;
  }
}
