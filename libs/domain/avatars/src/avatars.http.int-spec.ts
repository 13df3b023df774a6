import { DynamicModule, Global, Module } from '@nestjs/common';
import { scopesForRole } from '@appconda/contracts';
import { HttpPipelineModule, IDENTITY_RESOLVER, IdentityResolver, NestFastifyApplication, createHttpApp, guestContext } from '@appconda/core';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import jsQR from 'jsqr';
import sharp from 'sharp';

import { AvatarsApiModule } from './avatars-api.module';

const guests: IdentityResolver = { resolve: async (request, requestId) => guestContext(request, requestId, 'console', scopesForRole('guests')) };

/** The guard lives in HttpPipelineModule, so the resolver must be visible globally (as the auth lib's is). */
@Global()
@Module({})
class IdentityModule {
  static with(resolver: IdentityResolver): DynamicModule {
    return { module: IdentityModule, providers: [{ provide: IDENTITY_RESOLVER, useValue: resolver }], exports: [IDENTITY_RESOLVER] };
  }
}

@Module({ imports: [IdentityModule.with(guests), HttpPipelineModule, AvatarsApiModule] })
class TestAvatarsModule {}

/** A fake ICO file: the 6-byte ICONDIR header and one empty directory entry. */
const ICO = Buffer.from([0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0, 32, 0, 0, 0, 0, 0, 22, 0, 0, 0]);

/** The "internet": a loopback server with images, pages and misbehaving routes. */
async function startRemote(): Promise<Server> {
  const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#ff0000' } }).png().toBuffer();
  const icon = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#0000ff' } }).png().toBuffer();
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    const redirect = /^\/redirect\/(\d+)$/.exec(path);
    if (redirect) {
      const left = Number(redirect[1]);
      response.writeHead(302, { location: left ? `/redirect/${left - 1}` : '/photo.png' }).end();
    } else if (path === '/photo.png') response.writeHead(200, { 'content-type': 'image/png' }).end(photo);
    else if (path === '/icon-64.png') response.writeHead(200, { 'content-type': 'image/png' }).end(icon);
    else if (path === '/text') response.writeHead(200, { 'content-type': 'text/plain' }).end('not an image');
    else if (path === '/huge.png') {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(50 * 1024 * 1024) });
      response.write(photo);
      setTimeout(() => response.destroy(), 50);
    } else if (path === '/site/') {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><link rel="icon" href="/tiny.png" sizes="16x16"><link rel="icon" href="../icon-64.png" sizes="64x64"></head></html>');
    } else if (path === '/plain/') response.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><title>none</title></head></html>');
    else if (path === '/favicon.ico') response.writeHead(200, { 'content-type': 'image/x-icon' }).end(ICO);
    else response.writeHead(404).end('<html>missing</html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function boot(allowLoopback: boolean): Promise<{ app: NestFastifyApplication; base: string }> {
  const previous = process.env['APPCONDA_AVATARS_ALLOW_LOOPBACK'];
  process.env['APPCONDA_AVATARS_ALLOW_LOOPBACK'] = allowLoopback ? 'true' : 'false';
  try {
    const app = await createHttpApp(TestAvatarsModule, 'avatars-test');
    await app.listen(0, '127.0.0.1');
    return { app, base: `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/v1` };
  } finally {
    if (previous === undefined) delete process.env['APPCONDA_AVATARS_ALLOW_LOOPBACK'];
    else process.env['APPCONDA_AVATARS_ALLOW_LOOPBACK'] = previous;
  }
}

describe('Avatars over HTTP', () => {
  let remote: Server;
  let remoteUrl: string;
  let open: { app: NestFastifyApplication; base: string };
  let guarded: { app: NestFastifyApplication; base: string };

  beforeAll(async () => {
    remote = await startRemote();
    remoteUrl = `http://127.0.0.1:${(remote.address() as AddressInfo).port}`;
    open = await boot(true);
    guarded = await boot(false);
  });

  afterAll(async () => {
    await open?.app.close();
    await guarded?.app.close();
    await new Promise((resolve) => remote?.close(resolve));
  });

  const get = async (path: string, base = open.base) => {
    const response = await fetch(`${base}${path}`);
    const body = Buffer.from(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, body, json: () => JSON.parse(body.toString('utf8')) };
  };

  const image = (body: Buffer) => sharp(body).metadata();
  const q = (url: string) => encodeURIComponent(url);

  it.each(['/avatars/browsers/ff', '/avatars/credit-cards/amex', '/avatars/flags/it'])('serves %s as a PNG with cache headers', async (path) => {
    const { status, headers, body } = await get(`${path}?width=64&height=48`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('image/png');
    expect(headers.get('cache-control')).toBe('private, max-age=2592000');
    expect(headers.get('expires')).toBeTruthy();
    expect(await image(body)).toMatchObject({ format: 'png', width: 64, height: 48 });
  });

  it('answers unknown codes and bad sizes with general_argument_invalid as JSON errors', async () => {
    const missing = await get('/avatars/flags/qq');
    expect([missing.status, missing.json().type]).toEqual([400, 'general_argument_invalid']);
    expect(missing.json().message).toMatch(/^Invalid `code` param: Value must be one of \(ad, ae, af, /);
    const invalid = await get('/avatars/flags/de?width=5000');
    expect([invalid.status, invalid.json().type]).toEqual([400, 'general_argument_invalid']);
  });

  it('fetches, follows redirects and crops a remote image', async () => {
    const direct = await get(`/avatars/image?url=${q(`${remoteUrl}/photo.png`)}&width=200&height=100`);
    expect(direct.status).toBe(200);
    expect(await image(direct.body)).toMatchObject({ format: 'png', width: 200, height: 100 });
    const defaults = await get(`/avatars/image?url=${q(`${remoteUrl}/redirect/2`)}`);
    expect(await image(defaults.body)).toMatchObject({ width: 400, height: 400 });
  });

  it('refuses too many redirects, oversize bodies, non-images and missing files', async () => {
    for (const path of ['/redirect/5', '/huge.png', '/text', '/nothing.png']) {
      const response = await get(`/avatars/image?url=${q(`${remoteUrl}${path}`)}`);
      expect([path, response.status, response.json().type]).toEqual([path, 404, 'avatar_image_not_found']);
    }
  });

  it('refuses loopback and private addresses when the loopback flag is off', async () => {
    for (const url of [`${remoteUrl}/photo.png`, 'http://10.20.30.40/photo.png', 'http://192.168.1.1/']) {
      const response = await get(`/avatars/image?url=${q(url)}`, guarded.base);
      expect([url, response.status, response.json().type, response.json().message]).toEqual([url, 404, 'avatar_image_not_found', 'The URL points to an address that may not be fetched.']);
    }
    const favicon = await get(`/avatars/favicon?url=${q(`${remoteUrl}/site/`)}`, guarded.base);
    expect([favicon.status, favicon.json().type]).toEqual([404, 'avatar_remote_url_failed']);
  });

  it('finds the largest linked favicon and crops it to 56×56', async () => {
    const { status, headers, body } = await get(`/avatars/favicon?url=${q(`${remoteUrl}/site/`)}`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('image/png');
    expect(await image(body)).toMatchObject({ format: 'png', width: 56, height: 56 });
    const { data } = await sharp(body).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 3)]).toEqual([0, 0, 255]);
  });

  it('falls back to /favicon.ico and passes it through', async () => {
    const { status, headers, body } = await get(`/avatars/favicon?url=${q(`${remoteUrl}/plain/`)}`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('image/x-icon');
    expect(body.equals(ICO)).toBe(true);
    const failed = await get(`/avatars/favicon?url=${q(`${remoteUrl}/gone/`)}`);
    expect([failed.status, failed.json().type]).toEqual([404, 'avatar_remote_url_failed']);
  });

  it('renders initials and QR codes, with a download disposition on request', async () => {
    const initials = await get('/avatars/initials?name=Ada%20Lovelace&width=64&height=32');
    expect(initials.headers.get('content-type')).toBe('image/png');
    expect(await image(initials.body)).toMatchObject({ format: 'png', width: 64, height: 32 });
    const qr = await get('/avatars/qr?text=hello%20world&size=250&download=1');
    expect(qr.headers.get('content-disposition')).toBe('attachment; filename="qr.png"');
    const { data, info } = await sharp(qr.body).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([250, 250]);
    expect(jsQR(new Uint8ClampedArray(data), info.width, info.height)?.data).toBe('hello world');
    expect((await get('/avatars/qr?text=x')).headers.get('content-disposition')).toBeNull();
  });

  it('works with node-appwrite', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDKs ship CommonJS without types we need here
    const { Avatars, Client } = require('node-appwrite');
    const avatars = new Avatars(new Client().setEndpoint(open.base).setProject('console'));
    const read = async (result: ArrayBuffer | Buffer) => image(Buffer.from(result as ArrayBuffer));
    expect(await read(await avatars.getFlag('de', 80, 60))).toMatchObject({ format: 'png', width: 80, height: 60 });
    expect(await read(await avatars.getBrowser('ch'))).toMatchObject({ width: 100, height: 100 });
    expect(await read(await avatars.getCreditCard('visa', 0, 50))).toMatchObject({ height: 50 });
    expect(await read(await avatars.getImage(`${remoteUrl}/photo.png`, 32, 32))).toMatchObject({ width: 32, height: 32 });
    expect(await read(await avatars.getFavicon(`${remoteUrl}/site/`))).toMatchObject({ width: 56, height: 56 });
    expect(await read(await avatars.getInitials('Grace Hopper', 40, 40, 'abcdef'))).toMatchObject({ width: 40, height: 40 });
    expect(await read(await avatars.getQR('sdk', 120, 0, false))).toMatchObject({ width: 120, height: 120 });
    // The SDK reads binary routes as array buffers, so it keeps only the status of an error (as against Appwrite).
    await expect(avatars.getFlag('qq')).rejects.toMatchObject({ code: 400 });
  });

  it('works with the web SDK, whose avatar methods build URLs', async () => {
    const globals = globalThis as { localStorage?: unknown };
    globals.localStorage ??= { getItem: () => null, setItem: () => undefined, removeItem: () => undefined };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDKs ship CommonJS without types we need here
    const { Avatars, Client } = require('appwrite');
    const avatars = new Avatars(new Client().setEndpoint(open.base).setProject('console'));
    for (const [url, width, height] of [
      [avatars.getFlag('fr', 30, 20), 30, 20],
      [avatars.getQR('web', 90), 90, 90],
      [avatars.getInitials('Web User'), 500, 500],
    ] as Array<[URL, number, number]>) {
      expect(url.searchParams.get('project')).toBe('console');
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(await image(Buffer.from(await response.arrayBuffer()))).toMatchObject({ format: 'png', width, height });
    }
  });
});
