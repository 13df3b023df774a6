import { Injectable } from '@nestjs/common';
import { X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppConfig, StoragePaths } from '@appconda/config';

import { isSafeDomainFileName } from './domain-names';

/** A certificate ready to be stored: PEM texts, the leaf separate from the intermediates. */
export interface CertificateBundle {
  privateKey: string;
  certificate: string;
  chain: string;
}

/** What the stored `cert.pem` of a domain says. */
export interface StoredCertificate {
  notAfter: Date;
  /** Does the certificate cover the domain it is stored for (SAN)? */
  coversDomain: boolean;
  serialNumber: string;
}

/**
 * The files of Appwrite 1.3's certificates volume and Traefik's dynamic configuration:
 * `<certificates>/<domain>/{privkey,cert,chain,fullchain}.pem` (the key 0600) and `<config>/<domain>.yml`
 * naming the full chain and the key for Traefik's file provider. Every file is written to a temporary
 * name and renamed, so Traefik (watching the config volume) never reads half a file.
 */
@Injectable()
export class CertificateFiles {
  private readonly paths: StoragePaths;

  constructor(config: AppConfig) {
    this.paths = config.get('storage').paths;
  }

  directory(domain: string): string {
    if (!isSafeDomainFileName(domain)) throw new Error(`refusing a certificate path for ${JSON.stringify(domain)}`);
    return path.join(this.paths.certificates, domain);
  }

  /** The Traefik dynamic-configuration file of a domain. */
  traefikFile(domain: string): string {
    if (!isSafeDomainFileName(domain)) throw new Error(`refusing a Traefik file for ${JSON.stringify(domain)}`);
    return path.join(this.paths.config, `${domain}.yml`);
  }

  /** The stored certificate of a domain, or null when there is none (or it cannot be read as X.509). */
  async current(domain: string): Promise<StoredCertificate | null> {
    const pem = await fs.readFile(path.join(this.directory(domain), 'cert.pem'), 'utf8').catch(() => null);
    if (!pem) return null;
    try {
      const certificate = new X509Certificate(pem);
      return { notAfter: new Date(certificate.validTo), coversDomain: certificate.checkHost(domain) !== undefined, serialNumber: certificate.serialNumber };
    } catch {
      return null;
    }
  }

  /** Stores a certificate and then points Traefik at it. */
  async write(domain: string, bundle: CertificateBundle): Promise<void> {
    const dir = this.directory(domain);
    await fs.mkdir(dir, { recursive: true, mode: 0o755 });
    await replace(path.join(dir, 'privkey.pem'), bundle.privateKey, 0o600);
    await replace(path.join(dir, 'cert.pem'), bundle.certificate, 0o644);
    await replace(path.join(dir, 'chain.pem'), bundle.chain, 0o644);
    await replace(path.join(dir, 'fullchain.pem'), bundle.certificate + bundle.chain, 0o644);
    await fs.mkdir(this.paths.config, { recursive: true });
    await replace(this.traefikFile(domain), traefikConfig(dir), 0o644);
  }

  /** Removes a domain's certificate files and its Traefik file (Traefik drops the certificate when the file goes). */
  async remove(domain: string): Promise<void> {
    await fs.rm(this.traefikFile(domain), { force: true });
    await fs.rm(this.directory(domain), { recursive: true, force: true });
  }
}

/** Traefik's file-provider configuration for one certificate (paths as Traefik sees the shared volume). */
export function traefikConfig(directory: string): string {
  return ['tls:', '  certificates:', `    - certFile: ${path.join(directory, 'fullchain.pem')}`, `      keyFile: ${path.join(directory, 'privkey.pem')}`, ''].join('\n');
}

async function replace(file: string, content: string, mode: number): Promise<void> {
  // A name Traefik's file provider ignores (it reads .yml/.yaml/.toml only).
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, content, { mode });
  await fs.chmod(temporary, mode);
  await fs.rename(temporary, file);
}
