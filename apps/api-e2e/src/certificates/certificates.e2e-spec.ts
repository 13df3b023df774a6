import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as sdk from 'node-appwrite';
import Redis from 'ioredis';
import { deleteRedisKeys, dropSchema, freePort, LoopbackDns, Pebble, pebbleBinary, startLoopbackDns, startPebble, testDatabaseSettings, testRedisPrefix, testSchemaName } from '@appconda/testing';

import { bootstrapConsole, ConsoleSession } from '../../support/console';

const root = path.resolve(__dirname, '../../../..');
const run = randomBytes(3).toString('hex');
/** Public names (a real suffix) known only to the loopback DNS server: no lookup leaves the machine. */
const TARGET = `cname-${run}.appconda-e2e.com`;
const MAIN = `main-${run}.appconda-e2e.com`;
const SHOP = `shop-${run}.appconda-e2e.com`;

type Domain = { $id: string; domain: string; tld: string; registerable: string; verification: boolean; certificateId: string };

/**
 * The console SDK's projects-domains methods (1.3's `Projects` service: createDomain, listDomains,
 * getDomain, updateDomainVerification, deleteDomain) over node-appwrite's Client, signed in as the
 * console user the way the console sends them.
 */
class ConsoleDomains {
  constructor(private readonly client: sdk.Client) {}

  private call<T>(method: string, path: string, params: Record<string, unknown> = {}): Promise<T> {
    return (this.client as unknown as { call(...args: unknown[]): Promise<T> }).call(method, path, { 'content-type': 'application/json' }, params);
  }

  createDomain = (projectId: string, domain: string) => this.call<Domain>('post', `/projects/${projectId}/domains`, { domain });
  listDomains = (projectId: string) => this.call<{ total: number; domains: Domain[] }>('get', `/projects/${projectId}/domains`);
  getDomain = (projectId: string, domainId: string) => this.call<Domain>('get', `/projects/${projectId}/domains/${domainId}`);
  updateDomainVerification = (projectId: string, domainId: string) => this.call<Domain>('patch', `/projects/${projectId}/domains/${domainId}/verification`);
  deleteDomain = (projectId: string, domainId: string) => this.call<unknown>('delete', `/projects/${projectId}/domains/${domainId}`);
}

async function failure(promise: Promise<unknown>): Promise<{ code: number; type: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const { code, type, message } = error as { code: number; type: string; message: string };
    return { code, type, message };
  }
  throw new Error('expected the call to fail');
}

async function eventually<T>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// A private `appconda all` of its own: the CNAME target, the DNS server and the ACME directory are set at start.
const describeWithPebble = pebbleBinary() ? describe : describe.skip;

describeWithPebble('custom domains and TLS certificates (appconda all, pebble, console SDK calls)', () => {
  let dns: LoopbackDns;
  let pebble: Pebble;
  let child: ChildProcess;
  let storage: string;
  let session: ConsoleSession;
  let domains: ConsoleDomains;
  const schema = testSchemaName();
  const prefix = testRedisPrefix();
  const savedEndpoint = process.env.APPCONDA_E2E_ENDPOINT;

  beforeAll(async () => {
    storage = mkdtempSync(path.join(tmpdir(), 'appconda-e2e-certs-'));
    dns = await startLoopbackDns();
    dns.set(TARGET, { a: ['127.0.0.1'] });
    dns.set(MAIN, { a: ['127.0.0.1'] });
    const port = await freePort();
    pebble = await startPebble({ httpPort: port, dnsServer: dns.address });
    child = spawn(process.execPath, [path.join(root, 'tools/cli/appconda.js'), 'all'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        NODE_ENV: 'test',
        APPCONDA_ENV_FILE: '/nonexistent',
        // The private CA's API certificate, trusted the way a deployment behind a private ACME server would.
        NODE_EXTRA_CA_CERTS: pebble.tlsCertificateFile,
        _APP_ENV: 'development',
        _APP_PORT: String(port),
        _APP_REALTIME_PORT: String(await freePort()),
        _APP_DB_SCHEMA: schema,
        _APP_REDIS_PREFIX: prefix,
        _APP_STORAGE_ROOT: storage,
        _APP_USAGE_STATS: 'disabled',
        _APP_CONSOLE_WHITELIST_ROOT: 'disabled',
        _APP_LOG_LEVEL: process.env._APP_LOG_LEVEL ?? 'error',
        _APP_DOMAIN: MAIN,
        _APP_DOMAIN_TARGET: TARGET,
        _APP_DNS: dns.address,
        _APP_ACME_DIRECTORY: pebble.directoryUrl,
      },
    });
    const endpoint = `http://127.0.0.1:${port}/v1`;
    await eventually(() => fetch(`${endpoint}/health/version`).then((res) => res.ok, () => false), 'appconda all to answer', 90_000);
    process.env.APPCONDA_E2E_ENDPOINT = endpoint;
    session = await bootstrapConsole('certificates');
    const client = new sdk.Client().setEndpoint(endpoint).setProject('console');
    // The console session travels as its cookie (node-appwrite's addHeader is public at run time, untyped).
    (client as unknown as { addHeader(name: string, value: string): void }).addHeader('Cookie', session.cookie);
    domains = new ConsoleDomains(client);
  }, 150_000);

  afterAll(async () => {
    process.env.APPCONDA_E2E_ENDPOINT = savedEndpoint;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await pebble?.stop();
    await dns?.close();
    await dropSchema(testDatabaseSettings(schema));
    const redis = new Redis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379) });
    await deleteRedisKeys(redis, prefix).finally(() => redis.quit());
    if (storage) rmSync(storage, { recursive: true, force: true });
  }, 60_000);

  const files = (domain: string) => path.join(storage, 'certificates', domain);

  /** The stored certificate: issued by pebble's chain for exactly this name. */
  async function expectIssuedBy(domain: string): Promise<X509Certificate> {
    const leaf = new X509Certificate(readFileSync(path.join(files(domain), 'cert.pem')));
    const intermediate = new X509Certificate(readFileSync(path.join(files(domain), 'chain.pem')));
    const rootCa = new X509Certificate(await pebble.rootCertificate());
    expect([leaf.subjectAltName, leaf.verify(intermediate.publicKey), intermediate.verify(rootCa.publicKey)]).toEqual([`DNS:${domain}`, true, true]);
    expect(readFileSync(path.join(storage, 'config', `${domain}.yml`), 'utf8')).toContain(`certFile: ${files(domain)}/fullchain.pem`);
    return leaf;
  }

  it('creates a domain, verifies its CNAME, gets it a certificate, and the domain model shows it', async () => {
    const created = await domains.createDomain(session.projectId, SHOP);
    expect(created).toMatchObject({ domain: SHOP, tld: 'com', registerable: `appconda-e2e.com`, verification: false, certificateId: '' });

    // No CNAME yet: 1.3's 401 domain_verification_failed.
    expect(await failure(domains.updateDomainVerification(session.projectId, created.$id))).toMatchObject({ code: 401, type: 'domain_verification_failed' });

    dns.set(SHOP, { cname: TARGET });
    const verified = await domains.updateDomainVerification(session.projectId, created.$id);
    expect(verified).toMatchObject({ $id: created.$id, verification: true });

    const issued = await eventually(async () => {
      const domain = await domains.getDomain(session.projectId, created.$id);
      return domain.certificateId && existsSync(path.join(files(SHOP), 'fullchain.pem')) ? domain : undefined;
    }, 'the certificate of the verified domain');
    expect(issued.certificateId).toMatch(/^[a-z0-9]{1,36}$/i);
    await expectIssuedBy(SHOP);
    expect(await domains.listDomains(session.projectId)).toMatchObject({ total: 1, domains: [{ $id: created.$id, verification: true, certificateId: issued.certificateId }] });

    // The CA reached the api for the challenge by the domain's name, through the loopback DNS.
    expect(dns.queries(SHOP)).toBeGreaterThan(1);
  });

  it('orders the certificate of _APP_DOMAIN when the api starts', async () => {
    await eventually(() => existsSync(path.join(files(MAIN), 'fullchain.pem')), 'the main domain certificate');
    await expectIssuedBy(MAIN);
  });

  it('refuses invalid names, IPs, localhost, the main domain and duplicates with the 1.3 errors', async () => {
    for (const name of ['not a domain', '127.0.0.1', 'localhost', 'bad_label.appconda-e2e.com']) {
      expect([name, await failure(domains.createDomain(session.projectId, name))]).toEqual([
        name,
        { code: 400, type: 'general_argument_invalid', message: 'Invalid domain: Value must be a valid domain' },
      ]);
    }
    expect(await failure(domains.createDomain(session.projectId, MAIN))).toMatchObject({ code: 400, type: 'general_argument_invalid' });
    expect(await failure(domains.createDomain(session.projectId, SHOP))).toMatchObject({ code: 409, type: 'domain_already_exists' });
    expect(await failure(domains.getDomain(session.projectId, 'missing'))).toMatchObject({ code: 404, type: 'domain_not_found' });
    expect((await domains.listDomains(session.projectId)).total).toBe(1);
  });

  it('deletes a domain, and worker-deletes removes its certificate and Traefik file', async () => {
    const [domain] = (await domains.listDomains(session.projectId)).domains;
    await domains.deleteDomain(session.projectId, domain.$id);
    expect(await failure(domains.getDomain(session.projectId, domain.$id))).toMatchObject({ code: 404, type: 'domain_not_found' });
    await eventually(() => !existsSync(files(SHOP)) && !existsSync(path.join(storage, 'config', `${SHOP}.yml`)), 'the certificate clean-up');
    // The main domain's certificate is not touched.
    expect(existsSync(path.join(files(MAIN), 'fullchain.pem'))).toBe(true);
  });
});
