import { Injectable } from '@nestjs/common';
import type * as AcmeClient from 'acme-client';
import { createHash, X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppConfig } from '@appconda/config';
import { lazyRequire } from '@appconda/core';

import { AcmeChallenges } from './acme-challenges';
import { CertificateBundle } from './certificate-files';

/** A certificate the CA issued, with its private key and expiry. */
export interface IssuedCertificate extends CertificateBundle {
  notAfter: Date;
  serialNumber: string;
}

/**
 * acme-client, loaded on first use: it brings node-forge, axios and @peculiar/x509 (~1.8 MB of source,
 * ~4 MB of heap), which every thread that wires this module would otherwise hold from start.
 */
const acmeClient = lazyRequire<typeof AcmeClient>('acme-client');

/** An ACME request that hangs would hold the domain's lock and the worker; the CA answers in seconds. */
const ACME_REQUEST_TIMEOUT_MS = 60_000;

/**
 * Orders certificates from the ACME directory `_APP_ACME_DIRECTORY` (Let's Encrypt by default) with
 * acme-client: one account per directory, contact `_APP_SYSTEM_SECURITY_EMAIL_ADDRESS`, its key kept on
 * the certificates volume (CAs limit new accounts); a fresh P-256 key per certificate; HTTP-01 only, its
 * key authorization put in Redis for the api to answer (AcmeChallenges). Order status is polled from 1 s
 * up to 30 s apart. Errors carry the CA's problem detail.
 */
@Injectable()
export class AcmeIssuer {
  constructor(
    private readonly challenges: AcmeChallenges,
    private readonly config: AppConfig,
  ) {}

  get directoryUrl(): string {
    return this.config.get('certificates').acmeDirectory;
  }

  async issue(domain: string): Promise<IssuedCertificate> {
    const acme = acmeClient();
    acme.axios.defaults.timeout ||= ACME_REQUEST_TIMEOUT_MS;
    const client = new acme.Client({ directoryUrl: this.directoryUrl, accountKey: await this.accountKey(), backoffAttempts: 10, backoffMin: 1000, backoffMax: 30_000 });
    const [privateKey, csr] = await acme.crypto.createCsr({ commonName: domain, altNames: [domain] }, await acme.crypto.createPrivateEcdsaKey());
    const pem = await client.auto({
      csr,
      email: this.config.get('system').securityEmailAddress,
      termsOfServiceAgreed: true,
      challengePriority: ['http-01'],
      // The CA checks the challenge; a self-check from inside the network would need hairpin routing.
      skipChallengeVerification: true,
      challengeCreateFn: async (_authz, challenge, keyAuthorization) => {
        if (challenge.type !== 'http-01') throw new Error(`the CA offers no HTTP-01 challenge for ${domain} (only ${challenge.type})`);
        await this.challenges.put(challenge.token, keyAuthorization);
      },
      challengeRemoveFn: (_authz, challenge) => this.challenges.remove(challenge.token),
    });
    const [certificate, ...chain] = acme.crypto.splitPemChain(pem).map((part) => `${part.trim()}\n`);
    if (!certificate) throw new Error(`the CA returned no certificate for ${domain}`);
    const leaf = new X509Certificate(certificate);
    return { privateKey: privateKey.toString(), certificate, chain: chain.join(''), notAfter: new Date(leaf.validTo), serialNumber: leaf.serialNumber };
  }

  /** The account key of the configured directory, created on first use (0600, never overwritten: `wx`). */
  private async accountKey(): Promise<Buffer> {
    const dir = path.join(this.config.get('storage').paths.certificates, '.acme');
    const file = path.join(dir, `account-${createHash('sha256').update(this.directoryUrl).digest('hex').slice(0, 16)}.pem`);
    const existing = await fs.readFile(file).catch(() => null);
    if (existing) return existing;
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const key = await acmeClient().crypto.createPrivateEcdsaKey();
    try {
      await fs.writeFile(file, key, { mode: 0o600, flag: 'wx' });
      return key;
    } catch (error) {
      // Another replica created it first: use theirs, so both stay on one account.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFile(file);
      throw error;
    }
  }
}
