import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sendWebhook, WebhookDeliveryError, WebhookRequest } from './webhook-delivery';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

async function listen(server: Server, handler: { current: Handler }): Promise<number> {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => handler.current(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('sendWebhook (loopback HTTP and HTTPS receivers)', () => {
  const handler: { current: Handler } = { current: (_req, res) => res.writeHead(200).end() };
  const servers: Server[] = [];
  let dir: string;
  let httpPort: number;
  let httpsPort: number;
  const base = (url: string): WebhookRequest => ({ url, body: '{"a":1}', headers: { 'Content-Type': 'application/json' }, security: true, timeoutMs: 2000 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'appconda-webhook-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const plain = createHttpServer();
    const tls = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) });
    servers.push(plain, tls);
    httpPort = await listen(plain, handler);
    httpsPort = await listen(tls, handler);
  });

  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('POSTs the exact body with its headers and basic auth only when user and password are both set', async () => {
    const seen: { method?: string; body: string; auth?: string; length?: string }[] = [];
    handler.current = (req, res, body) => {
      seen.push({ method: req.method, body, auth: req.headers.authorization, length: req.headers['content-length'] });
      res.writeHead(204).end();
    };
    await expect(sendWebhook({ ...base(`http://127.0.0.1:${httpPort}/x`), httpUser: 'u', httpPass: 'p' })).resolves.toBe(204);
    await expect(sendWebhook({ ...base(`http://127.0.0.1:${httpPort}/x`), httpUser: 'u', httpPass: '' })).resolves.toBe(204);
    expect(seen).toEqual([
      { method: 'POST', body: '{"a":1}', auth: `Basic ${Buffer.from('u:p').toString('base64')}`, length: '7' },
      { method: 'POST', body: '{"a":1}', auth: undefined, length: '7' },
    ]);
  });

  it('fails on a non-2xx answer, an unreachable receiver and a receiver that never answers', async () => {
    handler.current = (_req, res) => res.writeHead(503).end('busy');
    await expect(sendWebhook(base(`http://127.0.0.1:${httpPort}/x`))).rejects.toMatchObject({ name: 'WebhookDeliveryError', status: 503 });
    handler.current = () => undefined; // hangs
    const started = Date.now();
    await expect(sendWebhook({ ...base(`http://127.0.0.1:${httpPort}/x`), timeoutMs: 300 })).rejects.toThrow(WebhookDeliveryError);
    expect(Date.now() - started).toBeLessThan(2000);
    const closed = createHttpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(sendWebhook(base(`http://127.0.0.1:${deadPort}/x`))).rejects.toThrow(/unreachable/);
    await expect(sendWebhook(base('ftp://127.0.0.1/x'))).rejects.toThrow(/scheme/);
  });

  it('verifies TLS certificates unless the webhook turned security off', async () => {
    handler.current = (_req, res) => res.writeHead(200).end();
    const url = `https://127.0.0.1:${httpsPort}/secure`;
    await expect(sendWebhook({ ...base(url), security: true })).rejects.toThrow(/unreachable/);
    await expect(sendWebhook({ ...base(url), security: false })).resolves.toBe(200);
  });
});
