import { getQueueToken } from '@nestjs/bull';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as acme from 'acme-client';
import { Queue } from 'bull';
import { execFileSync } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, promises as fs, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from 'node:tls';
import { AcmeChallenges, CertificateBusyError, CertificateDeletesHandler, CertificateLocks, CertificateDeletesModule, CertificatesApiModule, CertificatesJobHandler, RENEW_BEFORE_MS } from '@appconda/certificates';
import { ConfigModule, resetAppConfig } from '@appconda/config';
import { CertificateJob, DeleteJobType, MailJob, QueueName } from '@appconda/contracts';
import { CertificateRepository, DomainRepository } from '@appconda/database';
import { MaintenanceSchedulerModule, MaintenanceService } from '@appconda/maintenance';
import { EnqueueOptions, JobQueue, jobQueueToken } from '@appconda/queue';
import { createTestApi, LoopbackDns, Pebble, pebbleBinary, startLoopbackDns, startPebble, TestApi } from '@appconda/testing';
import { REDIS } from '@appconda/transport';
import type Redis from 'ioredis';

import { WorkerCertificatesModule } from './worker-certificates.module';

const DAY = 86_400_000;
const run = randomBytes(3).toString('hex');
/** Public names (a real suffix) that only the loopback DNS server knows; nothing leaves the machine. */
const TARGET = `target-${run}.appconda-certs.com`;
const SECURITY = `security-${run}@appconda-certs.com`;
const name = (label: string) => `${label}-${run}.appconda-certs.com`;

/** What apps/worker-certificates composes, plus the maintenance scheduler (its timer never fires here) and worker-deletes' certificate clean-up. */
@Module({ imports: [ConfigModule, WorkerCertificatesModule, CertificateDeletesModule, MaintenanceSchedulerModule.forRoot({ firstRunDelayMs: DAY })] })
class WorkerUnderTest {}

// Real MariaDB, Redis, Bull and pebble (Let's Encrypt's test CA) validating HTTP-01 against the api.
const describeWithPebble = pebbleBinary() ? describe : describe.skip;

describeWithPebble('worker-certificates against pebble (real ACME, HTTP-01 through the api)', () => {
  let api: TestApi;
  let dns: LoopbackDns;
  let pebble: Pebble;
  let worker: INestApplicationContext;
  let storage: string;
  let root: string;
  let apiPort: number;

  beforeAll(async () => {
    storage = mkdtempSync(path.join(tmpdir(), 'appconda-certs-'));
    dns = await startLoopbackDns();
    dns.set(TARGET, { a: ['127.0.0.1'] });
    api = await createTestApi([CertificatesApiModule], {
      env: { _APP_STORAGE_ROOT: storage, _APP_DNS: dns.address, _APP_DOMAIN_TARGET: TARGET, _APP_DOMAIN: 'localhost', _APP_SYSTEM_SECURITY_EMAIL_ADDRESS: SECURITY },
    });
    apiPort = Number(new URL(api.endpoint).port);
    // pebble's VA sends HTTP-01 requests to the api's port at whatever the loopback DNS says a name is.
    pebble = await startPebble({ httpPort: apiPort, dnsServer: dns.address });
    root = await pebble.rootCertificate();
    // What NODE_EXTRA_CA_CERTS does for a deployment behind a private ACME server: trust pebble's API.
    acme.axios.defaults.httpsAgent = new Agent({ ca: pebble.tlsCertificate });
    process.env._APP_ACME_DIRECTORY = pebble.directoryUrl;
    resetAppConfig();
    worker = await NestFactory.createApplicationContext(WorkerUnderTest, { logger: false });
    await worker.init();
  }, 90_000);

  afterAll(async () => {
    await worker?.close();
    await pebble?.stop();
    await dns?.close();
    await api?.close();
    acme.axios.defaults.httpsAgent = undefined;
    rmSync(storage, { recursive: true, force: true });
  });

  const queue = () => api.app.get<JobQueue<QueueName.Certificates>>(jobQueueToken(QueueName.Certificates), { strict: false });
  const bull = () => api.app.get<Queue<CertificateJob>>(getQueueToken(QueueName.Certificates), { strict: false });
  const certificates = () => api.app.get(CertificateRepository);
  const domains = () => api.app.get(DomainRepository);
  const dir = (domain: string) => path.join(storage, 'certificates', domain);

  /** A project's domain row, pointed (CNAME) at the target that resolves to the api. */
  async function addDomain(domain: string, verification = true, address = '127.0.0.1'): Promise<string> {
    dns.set(domain, { a: [address] });
    const row = await domains().create(`p${run}`, { uid: `d${randomBytes(6).toString('hex')}`, domain, tld: 'com', registerable: 'appconda-certs.com', verification, certificateId: null, updated: new Date() });
    return row.uid;
  }

  async function settle(jobId: string, timeoutMs = 60_000): Promise<{ state: string; result: unknown; reason?: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = (await (await bull().getJob(jobId))?.getState()) ?? 'missing';
      // Read the job again once it is finished: a copy fetched while it was active has no return value.
      const job = state === 'completed' || state === 'failed' ? await bull().getJob(jobId) : null;
      if (job) return { state, result: job.returnvalue, reason: job.failedReason };
      if (Date.now() > deadline) throw new Error(`job ${jobId} still ${state} after ${timeoutMs} ms; pebble: ${pebble.output().slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const issue = async (domain: string, options: EnqueueOptions = {}) => settle(await queue().add({ domain, validateCNAME: false, validateTarget: true }, options));

  /** Serves the stored certificate over real TLS and connects with pebble's root as the only trust anchor. */
  async function handshake(domain: string): Promise<{ authorized: boolean; error?: string; subjectaltname?: string }> {
    const server = createServer({ key: readFileSync(path.join(dir(domain), 'privkey.pem')), cert: readFileSync(path.join(dir(domain), 'fullchain.pem')) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      return await new Promise((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port, servername: domain, ca: root, rejectUnauthorized: false }, () => {
          resolve({ authorized: socket.authorized, error: socket.authorizationError?.toString(), subjectaltname: socket.getPeerCertificate().subjectaltname });
          socket.end();
        });
        socket.on('error', reject);
      });
    } finally {
      server.close();
    }
  }

  it('issues a verified domain a certificate that chains to pebble\'s root, for that name, with the files, the Traefik file and the record', async () => {
    const domain = name('shop');
    const domainId = await addDomain(domain);
    const outcome = await issue(domain);
    expect(outcome).toMatchObject({ state: 'completed', result: { status: 'issued', domain } });

    // HTTP-01 really went through the api: pebble resolved the name through the loopback DNS.
    expect(dns.queries(domain)).toBeGreaterThan(0);
    expect(await handshake(domain)).toEqual({ authorized: true, error: undefined, subjectaltname: `DNS:${domain}` });
    const leaf = new X509Certificate(readFileSync(path.join(dir(domain), 'cert.pem')));
    const [intermediate] = readFileSync(path.join(dir(domain), 'chain.pem'), 'utf8').split(/(?<=-----END CERTIFICATE-----\n)/).map((pem) => new X509Certificate(pem));
    expect(leaf.verify(intermediate.publicKey)).toBe(true);
    expect(intermediate.verify(new X509Certificate(root).publicKey)).toBe(true);
    expect(readFileSync(path.join(dir(domain), 'fullchain.pem'), 'utf8')).toBe(readFileSync(path.join(dir(domain), 'cert.pem'), 'utf8') + readFileSync(path.join(dir(domain), 'chain.pem'), 'utf8'));
    expect((await fs.stat(path.join(dir(domain), 'privkey.pem'))).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(storage, 'config', `${domain}.yml`), 'utf8')).toBe(
      `tls:\n  certificates:\n    - certFile: ${dir(domain)}/fullchain.pem\n      keyFile: ${dir(domain)}/privkey.pem\n`,
    );

    const record = await certificates().findByDomain(domain);
    expect(record).toMatchObject({ domain, attempts: 0, issueDate: expect.any(Date) });
    expect(record!.renewDate!.getTime()).toBe(new Date(leaf.validTo).getTime() - RENEW_BEFORE_MS);
    expect(record!.log).toContain(leaf.serialNumber);
    expect((await domains().findByUid(`p${run}`, domainId))!.certificateId).toBe(record!.uid);
    // The challenge's key authorization is gone from Redis once the CA has checked it.
    expect(await api.app.get<Redis>(REDIS).keys(`${api.redisPrefix}:acme:challenge:*`)).toEqual([]);

    // Asked again while valid: kept, nothing ordered.
    expect((await issue(domain)).result).toMatchObject({ status: 'valid', certificateId: record!.uid });
    expect(new X509Certificate(readFileSync(path.join(dir(domain), 'cert.pem'))).serialNumber).toBe(leaf.serialNumber);
  });

  it('renews a certificate near expiry from the maintenance sweep (CNAME checked again through _APP_DNS)', async () => {
    const domain = name('renew');
    await addDomain(domain);
    dns.set(domain, { cname: TARGET });
    expect((await issue(domain)).result).toMatchObject({ status: 'issued' });
    // The stored certificate now expires in 10 days, and its record is due.
    const key = path.join(dir(domain), 'privkey.pem');
    execFileSync('openssl', ['req', '-x509', '-key', key, '-days', '10', '-subj', `/CN=${domain}`, '-addext', `subjectAltName=DNS:${domain}`, '-out', path.join(dir(domain), 'cert.pem')], { stdio: 'ignore' });
    const old = new X509Certificate(readFileSync(path.join(dir(domain), 'cert.pem')));
    const before = (await certificates().findByDomain(domain))!;
    await certificates().save(domain, before.uid, { renewDate: new Date(Date.now() - 60_000) });

    const sweep = await worker.get(MaintenanceService).run(new Date());
    expect(sweep.renewals).toContain(domain);
    expect(await settle(`maintenance.certificate.${domain}.${sweep.slot}`)).toMatchObject({ state: 'completed', result: { status: 'issued', domain } });

    const renewed = new X509Certificate(readFileSync(path.join(dir(domain), 'cert.pem')));
    expect(renewed.serialNumber).not.toBe(old.serialNumber);
    expect(new Date(renewed.validTo).getTime()).toBeGreaterThan(Date.now() + 365 * DAY);
    expect(await handshake(domain)).toMatchObject({ authorized: true });
    const after = (await certificates().findByDomain(domain))!;
    expect([after.uid, after.attempts]).toEqual([before.uid, 0]);
    expect(after.issueDate!.getTime()).toBeGreaterThan(before.issueDate!.getTime());
    expect(after.renewDate!.getTime()).toBeGreaterThan(Date.now() + 365 * DAY);
  });

  it('records an ACME failure with the CA\'s error, retries it with backoff, and succeeds once the domain is reachable', async () => {
    const domain = name('flaky');
    // Nothing answers HTTP on 127.0.0.2: pebble's validation fails.
    await addDomain(domain, true, '127.0.0.2');
    const jobId = await queue().add({ domain, validateCNAME: false, validateTarget: true }, { backoff: 3000 });
    const deadline = Date.now() + 30_000;
    let failed = await certificates().findByDomain(domain);
    while (!failed?.attempts && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      failed = await certificates().findByDomain(domain);
    }
    expect(failed).toMatchObject({ attempts: 1, issueDate: null });
    expect(failed!.log).toMatch(/127\.0\.0\.2|connection|refused/i);
    expect(['active', 'delayed']).toContain(await bull().getJob(jobId).then((job) => job!.getState()));

    dns.set(domain, { a: ['127.0.0.1'] });
    expect(await settle(jobId)).toMatchObject({ state: 'completed', result: { status: 'issued', domain } });
    expect(await certificates().findByDomain(domain)).toMatchObject({ attempts: 0, issueDate: expect.any(Date), log: expect.stringContaining('Issued by') });
  });

  it('mails the security address through worker-mails after the last attempt, and stops retrying', async () => {
    const domain = name('broken');
    await addDomain(domain, true, '127.0.0.2');
    await certificates().save(domain, `c${randomBytes(6).toString('hex')}`, { attempts: 4, renewDate: new Date(), log: 'earlier failure' });
    expect(await issue(domain, { backoff: 100 })).toMatchObject({ state: 'completed', result: { status: 'failed', attempts: 5, notified: true } });
    const mails = await worker.get<Queue<MailJob>>(getQueueToken(QueueName.Mails), { strict: false }).getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    const mail = mails.map((job) => job.data).find((data) => data.variables.domain === domain);
    expect(mail).toMatchObject({ recipient: SECURITY, template: 'emails.certificate', variables: { domain, attempt: '5', redirect: `https://${domain}` } });
    expect(mail!.variables.error).toBe((await certificates().findByDomain(domain))!.log);
    await expect(fs.stat(dir(domain))).rejects.toThrow();
  });

  it('refuses an unverified domain and drops a job whose domain was deleted, ordering nothing', async () => {
    const unverified = name('unverified');
    await addDomain(unverified, false);
    expect((await issue(unverified)).result).toEqual({ status: 'refused', domain: unverified, reason: 'not_verified' });
    expect((await issue(name('deleted'))).result).toEqual({ status: 'dropped', domain: name('deleted'), reason: 'domain_deleted' });
    expect((await issue('localhost')).result).toEqual({ status: 'refused', domain: 'localhost', reason: 'not_public' });
    for (const domain of [unverified, name('deleted')]) {
      expect(await certificates().findByDomain(domain)).toBeNull();
      await expect(fs.stat(dir(domain))).rejects.toThrow();
    }
  });

  it('never lets two workers order one domain at once (Redis lock per domain)', async () => {
    const domain = name('locked');
    await addDomain(domain);
    const redis = api.app.get<Redis>(REDIS);
    const key = worker.get(CertificateLocks).key(domain);
    expect(key).toBe(`${api.redisPrefix}:lock:certificate:${domain}`);
    await redis.set(key, 'another-replica', 'PX', 60_000);
    const handler = worker.get(CertificatesJobHandler);
    const context = { attempt: 1, enqueuedAt: Date.now(), jobId: 'manual', queue: QueueName.Certificates };
    await expect(handler.handle({ domain, validateCNAME: false, validateTarget: true }, context)).rejects.toThrow(CertificateBusyError);
    expect(await certificates().findByDomain(domain)).toBeNull();
    await redis.del(key);
    expect(await handler.handle({ domain, validateCNAME: false, validateTarget: true }, context)).toMatchObject({ status: 'issued' });
  });

  it('removes a deleted domain\'s certificate files, Traefik file and record, unless another project still has the name', async () => {
    const domain = name('gone');
    const first = await addDomain(domain);
    expect((await issue(domain)).result).toMatchObject({ status: 'issued' });
    const second = await domains().create(`q${run}`, { uid: `d${randomBytes(6).toString('hex')}`, domain, tld: 'com', registerable: 'appconda-certs.com', verification: false, certificateId: null, updated: new Date() });
    const cleanUp = () => worker.get(CertificateDeletesHandler).handle({ type: DeleteJobType.Certificates, projectId: `p${run}`, resource: domain });

    await domains().delete(`p${run}`, first);
    expect(await cleanUp()).toEqual({ domain, removed: false });
    expect(existsSync(path.join(dir(domain), 'fullchain.pem'))).toBe(true);

    await domains().delete(`q${run}`, second.uid);
    expect(await cleanUp()).toEqual({ domain, removed: true });
    expect([existsSync(dir(domain)), existsSync(path.join(storage, 'config', `${domain}.yml`)), await certificates().findByDomain(domain)]).toEqual([false, false, null]);
    expect(await cleanUp()).toEqual({ domain, removed: true });
  });

  it('answers challenges on /.well-known/acme-challenge/<token> for any host without a project, outside /v1', async () => {
    await api.app.get(AcmeChallenges).put('tok-EN_123', 'tok-EN_123.thumbprint');
    const base = `http://127.0.0.1:${apiPort}/.well-known/acme-challenge`;
    const ok = await fetch(`${base}/tok-EN_123`, { headers: { host: name('any-host') } });
    expect([ok.status, ok.headers.get('content-type'), await ok.text()]).toEqual([200, 'text/plain; charset=utf-8', 'tok-EN_123.thumbprint']);
    const unknown = await fetch(`${base}/not-there`);
    expect([unknown.status, ((await unknown.json()) as { type: string }).type]).toEqual([404, 'general_route_not_found']);
    const bad = await fetch(`${base}/bad.token`);
    expect([bad.status, ((await bad.json()) as { type: string }).type]).toEqual([400, 'general_argument_invalid']);
    expect((await fetch(`${api.endpoint}/.well-known/acme-challenge/tok-EN_123`)).status).toBe(404);
  });
});
