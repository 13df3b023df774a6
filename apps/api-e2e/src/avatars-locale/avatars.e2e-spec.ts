import { createServer, Server } from 'node:http';

import jsQR from 'jsqr';
import * as sdk from 'node-appwrite';
import sharp from 'sharp';

import { bootstrapConsole, ConsoleSession } from '../../support/console';
import { failure, keyClient, signedInUser, web, webClient } from '../../support/identity-clients';
import { SideApi, startSideApi } from '../storage/side-api';

// Avatars through both SDKs against `appconda all`; every output is decoded with sharp (format,
// dimensions) and QR codes with jsqr (the text). /avatars/image and /avatars/favicon fetch remote
// URLs: `appconda all` refuses loopback targets (checked here), so the fetch paths run against a
// second `appconda api` with APPCONDA_AVATARS_ALLOW_LOOPBACK=true and a local HTTP server.

const decode = (bytes: Buffer | ArrayBuffer) => sharp(Buffer.from(bytes as ArrayBuffer)).metadata();

async function qrText(bytes: Buffer): Promise<string | undefined> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)?.data;
}

describe('avatars through the SDKs (appconda all)', () => {
  let consoleSession: ConsoleSession;
  let avatars: sdk.Avatars;
  let site: Server;
  let siteUrl: string;
  let side: SideApi;

  beforeAll(async () => {
    consoleSession = await bootstrapConsole('avatars');
    avatars = new sdk.Avatars(keyClient(consoleSession.projectId, consoleSession.key));
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#3366cc' } })
      .png()
      .toBuffer();
    const icon = await sharp({ create: { width: 128, height: 128, channels: 4, background: '#ff0000' } })
      .png()
      .toBuffer();
    site = createServer((req, res) => {
      if (req.url === '/photo.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      if (req.url === '/icon.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(icon);
      if (req.url === '/')
        return res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<html><head><link rel="icon" href="/icon.png" sizes="128x128"></head><body>hi</body></html>');
      if (req.url === '/not-an-image') return res.writeHead(200, { 'content-type': 'text/plain' }).end('just text');
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
    side = await startSideApi({ APPCONDA_AVATARS_ALLOW_LOOPBACK: 'true' });
  }, 90_000);

  afterAll(async () => {
    expect(await side?.stop()).toBe(0);
    await new Promise((resolve) => site?.close(resolve));
  });

  it.each([
    ['browsers', 'ch', (a: sdk.Avatars) => a.getBrowser('ch', 120, 80)],
    ['credit-cards', 'visa', (a: sdk.Avatars) => a.getCreditCard('visa', 120, 80)],
    ['flags', 'de', (a: sdk.Avatars) => a.getFlag('de', 120, 80)],
  ])('%s/%s (node SDK) is a PNG of the asked size', async (_set, _code, call) => {
    const bytes = await call(avatars);
    expect(await decode(bytes)).toMatchObject({ format: 'png', width: 120, height: 80 });
  });

  it('browsers, credit-cards and flags through the web SDK (guest URLs, as an <img> loads them)', async () => {
    const guest = new web.Avatars(webClient(consoleSession.projectId).client);
    for (const url of [guest.getBrowser('ff', 40, 40), guest.getCreditCard('mastercard', 60, 40), guest.getFlag('jp', 30, 20, 50)]) {
      const res = await fetch(String(url));
      expect([String(url), res.status, res.headers.get('content-type')]).toEqual([String(url), 200, 'image/png']);
      const meta = await decode(Buffer.from(await res.arrayBuffer()));
      const asked = new URL(String(url)).searchParams;
      expect(meta).toMatchObject({ format: 'png', width: Number(asked.get('width')), height: Number(asked.get('height')) });
    }
  });

  it('icons default to 100×100, are cached 30 days, and refuse unknown codes and bad sizes', async () => {
    const res = await fetch(`${consoleSession.endpoint}/avatars/flags/us?project=${consoleSession.projectId}`);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Date.parse(res.headers.get('expires')!) - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);
    expect(await decode(Buffer.from(await res.arrayBuffer()))).toMatchObject({ format: 'png', width: 100, height: 100 });
    // 1.3 validates each code against the set's whitelist: an unknown one is 400 general_argument_invalid, not 404.
    for (const call of [() => avatars.getFlag('xx'), () => avatars.getFlag('eu'), () => avatars.getBrowser('netscape'), () => avatars.getCreditCard('monopoly-money')]) {
      // node-appwrite reads binary routes as array buffers and keeps only the status of an error.
      expect(await failure(call())).toMatchObject({ code: 400 });
    }
    const unknown = await fetch(`${consoleSession.endpoint}/avatars/flags/xx?project=${consoleSession.projectId}`);
    const body = (await unknown.json()) as { type: string; message: string };
    expect([unknown.status, body.type]).toEqual([400, 'general_argument_invalid']);
    expect(body.message).toMatch(/^Invalid `code` param: Value must be one of \(ad, ae, af, .*, zw\)$/);
    for (const path of ['browsers/netscape', 'credit-cards/monopoly-money']) {
      const refused = await fetch(`${consoleSession.endpoint}/avatars/${path}?project=${consoleSession.projectId}`);
      expect([path, refused.status, ((await refused.json()) as { type: string }).type]).toEqual([path, 400, 'general_argument_invalid']);
    }
    // The whitelist is case-insensitive, as 1.3's.
    expect((await fetch(`${consoleSession.endpoint}/avatars/browsers/CH?project=${consoleSession.projectId}`)).status).toBe(200);
    const tooWide = await fetch(`${consoleSession.endpoint}/avatars/flags/us?width=2001&project=${consoleSession.projectId}`);
    expect([tooWide.status, ((await tooWide.json()) as { type: string }).type]).toEqual([400, 'general_argument_invalid']);
  });

  it('initials: size and background as asked; a signed-in user without a name param gets their own initials', async () => {
    const asked = await avatars.getInitials('Ada Lovelace', 64, 32, 'ff0000');
    expect(await decode(asked)).toMatchObject({ format: 'png', width: 64, height: 32 });
    const { data } = await sharp(asked).raw().toBuffer({ resolveWithObject: true });
    expect([data[0], data[1], data[2]]).toEqual([255, 0, 0]); // a corner pixel is the background
    expect(await decode(await avatars.getInitials())).toMatchObject({ width: 500, height: 500 });

    const user = await signedInUser(consoleSession.projectId, 'initials', 'Grace Hopper');
    const userAvatars = new web.Avatars(user.client);
    const own = await fetch(String(userAvatars.getInitials(undefined, 80, 80, '00ff00')), {
      headers: { 'x-fallback-cookies': user.store.get('cookieFallback')! },
    });
    const named = await fetch(String(userAvatars.getInitials('Grace Hopper', 80, 80, '00ff00')));
    const anonymous = await fetch(String(userAvatars.getInitials(undefined, 80, 80, '00ff00')));
    const [ownBytes, namedBytes, anonymousBytes] = await Promise.all([own, named, anonymous].map(async (r) => Buffer.from(await r.arrayBuffer())));
    expect(await decode(ownBytes)).toMatchObject({ format: 'png', width: 80, height: 80 });
    expect(ownBytes.equals(namedBytes)).toBe(true);
    expect(ownBytes.equals(anonymousBytes)).toBe(false);
  });

  it('qr: decodes to the text, at the asked size, with an attachment on download (both SDKs)', async () => {
    const text = 'https://appconda.test/invite?code=42&who=ünïcødé';
    const bytes = await avatars.getQR(text, 300, 2);
    expect(await decode(bytes)).toMatchObject({ format: 'png', width: 300, height: 300 });
    expect(await qrText(bytes)).toBe(text);

    const guest = new web.Avatars(webClient(consoleSession.projectId).client);
    const res = await fetch(String(guest.getQR('hello from the web SDK', 150, 0, true)));
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="qr.png"/);
    const webBytes = Buffer.from(await res.arrayBuffer());
    expect(await decode(webBytes)).toMatchObject({ format: 'png', width: 150, height: 150 });
    expect(await qrText(webBytes)).toBe('hello from the web SDK');

    expect(await failure(avatars.getQR('x'.repeat(513)))).toMatchObject({ code: 400 });
    expect(await failure(avatars.getQR('hi', 1001))).toMatchObject({ code: 400 });
    const missing = await fetch(`${consoleSession.endpoint}/avatars/qr?project=${consoleSession.projectId}`);
    expect([missing.status, ((await missing.json()) as { type: string }).type]).toEqual([400, 'general_argument_invalid']);
  });

  it('image and favicon refuse loopback and bad URLs on the deployment (no server-side request forgery)', async () => {
    const image = await fetch(`${consoleSession.endpoint}/avatars/image?project=${consoleSession.projectId}&url=${encodeURIComponent(`${siteUrl}/photo.png`)}`);
    expect([image.status, ((await image.json()) as { type: string }).type]).toEqual([404, 'avatar_image_not_found']);
    const favicon = await fetch(`${consoleSession.endpoint}/avatars/favicon?project=${consoleSession.projectId}&url=${encodeURIComponent(`${siteUrl}/`)}`);
    expect([favicon.status, ((await favicon.json()) as { type: string }).type]).toEqual([404, 'avatar_remote_url_failed']);
    for (const url of ['http://10.0.0.1/x.png', 'http://169.254.169.254/latest/meta-data/', 'file:///etc/passwd', 'not a url']) {
      const res = await fetch(`${consoleSession.endpoint}/avatars/image?project=${consoleSession.projectId}&url=${encodeURIComponent(url)}`);
      expect([url, res.status]).toEqual([url, url.startsWith('http://') ? 404 : 400]);
    }
  });

  it('image fetches and crops a remote image; favicon finds the page icon (loopback allowed)', async () => {
    const sideAvatars = new sdk.Avatars(new sdk.Client().setEndpoint(side.endpoint).setProject(consoleSession.projectId).setKey(consoleSession.key));
    expect(await decode(await sideAvatars.getImage(`${siteUrl}/photo.png`, 90, 60))).toMatchObject({ format: 'png', width: 90, height: 60 });
    expect(await decode(await sideAvatars.getImage(`${siteUrl}/photo.png`))).toMatchObject({ format: 'png', width: 400, height: 400 });
    expect(await decode(await sideAvatars.getFavicon(`${siteUrl}/`))).toMatchObject({ format: 'png', width: 56, height: 56 });
    expect(await failure(sideAvatars.getImage(`${siteUrl}/not-an-image`))).toMatchObject({ code: 404 });
    expect(await failure(sideAvatars.getImage(`${siteUrl}/missing.png`))).toMatchObject({ code: 404 });
  });
});
