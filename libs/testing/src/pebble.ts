import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort } from './free-port';

export interface PebbleOptions {
  /** The port pebble's VA sends HTTP-01 validations to (the api under test). */
  httpPort: number;
  /** `host:port` of the DNS server pebble resolves identifiers with (see startLoopbackDns). */
  dnsServer: string;
  /** Extra environment, e.g. `{ PEBBLE_VA_ALWAYS_VALID: '1' }`. */
  env?: Record<string, string>;
}

export interface Pebble {
  /** The ACME directory (`_APP_ACME_DIRECTORY`). */
  directoryUrl: string;
  /** PEM of the self-signed certificate pebble serves its API with: trust it to talk to pebble (NODE_EXTRA_CA_CERTS). */
  tlsCertificate: string;
  /** Path of that PEM file. */
  tlsCertificateFile: string;
  /** The root of the chain pebble issues certificates under (its management endpoint `/roots/0`). */
  rootCertificate(): Promise<string>;
  /** What pebble printed so far (validation errors show up here). */
  output(): string;
  stop(): Promise<void>;
}

/** `pebble` on PATH (Debian's package), or undefined: tests that need it skip with a clear reason. */
export function pebbleBinary(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v pebble'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function get(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Starts a private pebble (Let's Encrypt's test ACME server) on free loopback ports: a fresh self-signed
 * TLS certificate for its API (openssl), HTTP-01 validations sent to `httpPort` on whatever address the
 * identifier resolves to through `dnsServer`, no random validation sleeps, no rejected nonces. Resolves
 * once its directory answers; `stop()` kills it and removes its files.
 */
export async function startPebble(options: PebbleOptions): Promise<Pebble> {
  const binary = pebbleBinary();
  if (!binary) throw new Error('pebble is not installed (apt-get install pebble)');
  const dir = mkdtempSync(path.join(tmpdir(), 'appconda-pebble-'));
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  const [listen, management, tls] = [await freePort(), await freePort(), await freePort()];
  const configFile = path.join(dir, 'pebble.json');
  writeFileSync(configFile, JSON.stringify({
    pebble: {
      listenAddress: `127.0.0.1:${listen}`,
      managementListenAddress: `127.0.0.1:${management}`,
      certificate: certFile,
      privateKey: keyFile,
      httpPort: options.httpPort,
      tlsPort: tls,
      ocspResponderURL: '',
      externalAccountBindingRequired: false,
    },
  }));
  let log = '';
  const child: ChildProcess = spawn(binary, ['-config', configFile, '-dnsserver', options.dnsServer], {
    env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const tlsCertificate = readFileSync(certFile, 'utf8');
  const directoryUrl = `https://127.0.0.1:${listen}/dir`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`pebble exited with ${child.exitCode}: ${log}`);
    }
    const ready = await get(directoryUrl, tlsCertificate).then((res) => res.status === 200, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`pebble did not answer ${directoryUrl} within 15 s: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    directoryUrl,
    tlsCertificate,
    tlsCertificateFile: certFile,
    async rootCertificate() {
      const res = await get(`https://127.0.0.1:${management}/roots/0`, tlsCertificate);
      if (res.status !== 200) throw new Error(`pebble's /roots/0 answered ${res.status}`);
      return res.body;
    },
    output: () => log,
    stop,
  };
}
