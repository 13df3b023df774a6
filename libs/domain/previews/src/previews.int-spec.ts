import { encodeSession, generateSecret, hashSecret } from '@appconda/auth';
import { generateId } from '@appconda/core';
import { SessionRepository, UserRepository } from '@appconda/database';
import { FilesService, StorageApiModule } from '@appconda/storage';
import { createTestApi, TestApi, UserFactory } from '@appconda/testing';
import * as web from 'appwrite';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sdk from 'node-appwrite';
import sharp from 'sharp';

import { ICON_SIZE } from './preview.icons';
import { PreviewsApiModule } from './previews-api.module';

const PREVIEW_LIMIT = 300_000;

/** 300 × 200: left half opaque red, right half fully transparent. */
function halfTransparentPng(): Promise<Buffer> {
  return sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([{ input: { create: { width: 150, height: 200, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 1 } } }, left: 0, top: 0 }])
    .png()
    .toBuffer();
}

/** 400 × 300 of noise: JPEG quality makes a visible size difference. */
function noisyJpeg(width = 400, height = 300): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
}

/** 200 × 100: left half red, right half blue (to see where a crop was taken). */
function halvesJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 200, height: 100, channels: 3, background: { r: 255, g: 0, b: 0 } } })
    .composite([{ input: { create: { width: 100, height: 100, channels: 3, background: { r: 0, g: 0, b: 255 } } }, left: 100, top: 0 }])
    .jpeg({ quality: 100 })
    .toBuffer();
}

async function pixel(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return [...data.subarray(offset, offset + info.channels)];
}

/** Colour channels close to the expected ones (JPEG is lossy). */
function expectColour(actual: number[], expected: [number, number, number]): void {
  expected.forEach((value, index) => expect(Math.abs(actual[index] - value)).toBeLessThan(40));
}

describe('storage previews (real MariaDB/Redis, local device, node-appwrite@9 and appwrite@11)', () => {
  let api: TestApi;
  let root: string;
  let projectId: string;
  let key: string;
  let storage: sdk.Storage;
  let bucketId: string;
  const images: Record<string, string> = {};

  /** GET a preview with the API key; `accept` defaults to a browser's. */
  const preview = (bucket: string, fileId: string, query: Record<string, string | number> = {}, accept = 'image/avif,image/webp,*/*') =>
    fetch(`${api.endpoint}/storage/buckets/${bucket}/files/${fileId}/preview?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`, {
      headers: { 'x-appwrite-project': projectId, 'x-appwrite-key': key, accept },
    });

  async function decoded(response: Response): Promise<{ body: Buffer; meta: sharp.Metadata }> {
    expect(response.status).toBe(200);
    const body = Buffer.from(await response.arrayBuffer());
    return { body, meta: await sharp(body).metadata() };
  }

  async function upload(bucket: string, name: string, data: Buffer, permissions?: string[]): Promise<string> {
    return (await storage.createFile(bucket, sdk.ID.unique(), sdk.InputFile.fromBuffer(data, name), permissions)).$id;
  }

  async function seedUser() {
    const user = await UserFactory.from({ emailVerification: true }).create(api.app.get(UserRepository), projectId);
    const secret = generateSecret();
    await api.app.get(SessionRepository).create(projectId, { uid: generateId(), userInternalId: user.internalId, userId: user.uid, provider: 'email', providerUid: user.email ?? '', secret: hashSecret(secret), expire: new Date(Date.now() + 3600_000) });
    return { userId: user.uid, cookie: `a_session_${projectId}=${encodeSession({ id: user.uid, secret })}` };
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'appconda-previews-'));
    api = await createTestApi([StorageApiModule, PreviewsApiModule], { env: { _APP_STORAGE_ROOT: root, _APP_STORAGE_PREVIEW_LIMIT: String(PREVIEW_LIMIT) } });
    ({ projectId, key } = await api.seedProject(['buckets.read', 'buckets.write', 'files.read', 'files.write']));
    storage = new sdk.Storage(new sdk.Client().setEndpoint(api.endpoint).setProject(projectId).setKey(key));
    bucketId = (await storage.createBucket(sdk.ID.unique(), 'Images', [], false, true, undefined, undefined, 'none', false, false)).$id;
    images.png = await upload(bucketId, 'half.png', await halfTransparentPng());
    images.jpg = await upload(bucketId, 'noise.jpg', await noisyJpeg());
    images.halves = await upload(bucketId, 'halves.jpg', await halvesJpeg());
    images.webp = await upload(bucketId, 'small.webp', await sharp({ create: { width: 120, height: 80, channels: 3, background: '#0a0' } }).webp().toBuffer());
    images.gif = await upload(bucketId, 'small.gif', await sharp({ create: { width: 100, height: 50, channels: 3, background: '#00f' } }).gif().toBuffer());
  });

  afterAll(async () => {
    await api?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('keeps the input format and size by default, with 1.3 cache headers, and serves the cache the second time', async () => {
    const first = await preview(bucketId, images.jpg);
    expect(first.headers.get('content-type')).toBe('image/jpeg');
    expect(first.headers.get('cache-control')).toBe('private, max-age=2592000');
    expect(new Date(first.headers.get('expires') ?? '').getTime()).toBeGreaterThan(Date.now() + 29 * 86400_000);
    expect(first.headers.get('x-appwrite-cache')).toBe('miss');
    const { body, meta } = await decoded(first);
    expect(meta).toMatchObject({ format: 'jpeg', width: 400, height: 300 });

    const second = await preview(bucketId, images.jpg);
    expect(second.headers.get('x-appwrite-cache')).toBe('hit');
    expect(Buffer.from(await second.arrayBuffer()).equals(body)).toBe(true);
    const cached = await readdir(join(root, 'cache', `app-${projectId}`, bucketId, images.jpg));
    expect(cached).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.jpg$/)]);
    // Other params are another entry.
    expect((await preview(bucketId, images.jpg, { width: 10 })).headers.get('x-appwrite-cache')).toBe('miss');
  });

  it('renders once: cache hits and identical concurrent requests do not read the file again', async () => {
    const openRead = jest.spyOn(api.app.get(FilesService), 'openRead');
    try {
      const responses = await Promise.all([1, 2, 3].map(() => preview(bucketId, images.halves, { width: 33 })));
      const bodies = await Promise.all(responses.map(async (response) => (await decoded(response)).body));
      // Usually all three share one render; a late one may already find the cache entry.
      expect(responses.map((response) => response.headers.get('x-appwrite-cache'))).toContain('miss');
      expect(bodies.every((body) => body.equals(bodies[0]))).toBe(true);
      expect(openRead).toHaveBeenCalledTimes(1);
      expect((await preview(bucketId, images.halves, { width: 33 })).headers.get('x-appwrite-cache')).toBe('hit');
      expect(openRead).toHaveBeenCalledTimes(1);
    } finally {
      openRead.mockRestore();
    }
  });

  it('resizes like 1.3: one side keeps the ratio, both crop around the gravity', async () => {
    expect((await decoded(await preview(bucketId, images.jpg, { width: 200 }))).meta).toMatchObject({ width: 200, height: 150 });
    expect((await decoded(await preview(bucketId, images.jpg, { height: 60 }))).meta).toMatchObject({ width: 80, height: 60 });
    const left = await decoded(await preview(bucketId, images.halves, { width: 50, height: 50, gravity: 'left' }));
    expect(left.meta).toMatchObject({ format: 'jpeg', width: 50, height: 50 });
    expectColour(await pixel(left.body, 25, 25), [255, 0, 0]);
    const right = await decoded(await preview(bucketId, images.halves, { width: 50, height: 50, gravity: 'bottom-right' }));
    expectColour(await pixel(right.body, 25, 25), [0, 0, 255]);
  });

  it('rotates, draws borders, rounds corners and applies opacity', async () => {
    expect((await decoded(await preview(bucketId, images.jpg, { width: 200, rotation: 90 }))).meta).toMatchObject({ width: 150, height: 200 });
    expect((await decoded(await preview(bucketId, images.jpg, { width: 200, rotation: -360 }))).meta).toMatchObject({ width: 200, height: 150 });
    const bordered = await decoded(await preview(bucketId, images.halves, { width: 100, borderWidth: 10, borderColor: '00ff00' }));
    expect(bordered.meta).toMatchObject({ width: 120, height: 70 });
    expectColour(await pixel(bordered.body, 0, 0), [0, 255, 0]);
    expectColour(await pixel(bordered.body, 119, 69), [0, 255, 0]);
    expectColour(await pixel(bordered.body, 30, 35), [255, 0, 0]);

    const rounded = await decoded(await preview(bucketId, images.halves, { borderRadius: 40, output: 'png' }));
    expect(rounded.meta).toMatchObject({ format: 'png', hasAlpha: true });
    expect((await pixel(rounded.body, 0, 0))[3]).toBe(0);
    const faded = await decoded(await preview(bucketId, images.halves, { opacity: 0.25, output: 'png' }));
    expect(faded.meta).toMatchObject({ format: 'png', hasAlpha: true, channels: 4 });
    expect(Math.abs((await pixel(faded.body, 50, 50))[3] - 64)).toBeLessThanOrEqual(1);
  });

  it('lays transparent inputs on the background when converting to JPEG', async () => {
    const asPng = await decoded(await preview(bucketId, images.png));
    expect(asPng.meta).toMatchObject({ format: 'png', width: 300, height: 200, hasAlpha: true });
    const onYellow = await decoded(await preview(bucketId, images.png, { output: 'jpg', background: 'ffff00' }));
    expect(onYellow.meta).toMatchObject({ format: 'jpeg', width: 300, height: 200, channels: 3 });
    expectColour(await pixel(onYellow.body, 250, 100), [255, 255, 0]);
    expectColour(await pixel(onYellow.body, 50, 100), [255, 0, 0]);
  });

  it('lower quality makes smaller JPEG and WebP output', async () => {
    const low = (await decoded(await preview(bucketId, images.jpg, { quality: 10 }))).body.length;
    const high = (await decoded(await preview(bucketId, images.jpg, { quality: 90 }))).body.length;
    expect(low * 2).toBeLessThan(high);
    const lowWebp = (await decoded(await preview(bucketId, images.jpg, { quality: 5, output: 'webp' }))).body.length;
    const highWebp = (await decoded(await preview(bucketId, images.jpg, { quality: 95, output: 'webp' }))).body.length;
    expect(lowWebp * 2).toBeLessThan(highWebp);
  });

  it('converts between formats; WebP only for clients that accept it (1.3), as with node-appwrite', async () => {
    for (const [output, format, type] of [['png', 'png', 'image/png'], ['gif', 'gif', 'image/gif'], ['jpeg', 'jpeg', 'image/jpeg'], ['webp', 'webp', 'image/webp']] as const) {
      const response = await preview(bucketId, images.png, { output, width: 30 });
      expect(response.headers.get('content-type')).toBe(type);
      expect((await decoded(response)).meta).toMatchObject({ format, width: 30, height: 20 });
    }
    const noWebp = await preview(bucketId, images.png, { output: 'webp' }, 'image/png,*/*');
    expect(noWebp.headers.get('content-type')).toBe('image/jpeg');
    // node-appwrite (axios) accepts application/json, text/plain, */*: WebP falls back to JPEG.
    const bytes = Buffer.from(await storage.getFilePreview(bucketId, images.jpg, 64, 48, 'center', 80, undefined, undefined, undefined, undefined, undefined, undefined, 'webp'));
    expect(await sharp(bytes).metadata()).toMatchObject({ format: 'jpeg', width: 64, height: 48 });
    const png = Buffer.from(await storage.getFilePreview(bucketId, images.png, 100, undefined, undefined, undefined, 2, 'ff0000', undefined, 0.5, 180, undefined, 'png'));
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 104, height: 71, hasAlpha: true });
  });

  it('previews WebP and GIF inputs in their own format, keeping GIF animation', async () => {
    expect((await decoded(await preview(bucketId, images.webp, { width: 60 }))).meta).toMatchObject({ format: 'webp', width: 60, height: 40 });
    expect((await decoded(await preview(bucketId, images.gif, { height: 25 }))).meta).toMatchObject({ format: 'gif', width: 50, height: 25 });
    const frames = await Promise.all(['#f00', '#0f0', '#00f'].map((colour) => sharp({ create: { width: 80, height: 40, channels: 3, background: colour } }).png().toBuffer()));
    const animated = await sharp(frames, { join: { animated: true } }).gif({ delay: [100, 100, 100] }).toBuffer();
    const fileId = await upload(bucketId, 'anim.gif', animated);
    const resized = await decoded(await preview(bucketId, fileId, { width: 40, height: 40 }));
    expect(resized.meta).toMatchObject({ format: 'gif', width: 40, pages: 3 });
    const rotated = await decoded(await preview(bucketId, fileId, { rotation: 90 }));
    expect(rotated.meta).toMatchObject({ format: 'gif', width: 40, height: 80 });
  });

  it('previews files of an encrypted and compressed bucket', async () => {
    for (const compression of ['gzip', 'zstd']) {
      const secure = await storage.createBucket(sdk.ID.unique(), 'Secure', [], false, true, undefined, undefined, compression, true, false);
      const fileId = await upload(secure.$id, 'halves.jpg', await halvesJpeg());
      const { body, meta } = await decoded(await preview(secure.$id, fileId, { width: 50, height: 50, gravity: 'right', output: 'png' }));
      expect(meta).toMatchObject({ format: 'png', width: 50, height: 50 });
      expectColour(await pixel(body, 25, 25), [0, 0, 255]);
    }
  });

  it('answers an icon for other types and for images over _APP_STORAGE_PREVIEW_LIMIT', async () => {
    const text = await upload(bucketId, 'notes.txt', Buffer.from('plain text, not an image'));
    const icon = await decoded(await preview(bucketId, text));
    expect(icon.meta).toMatchObject({ format: 'png', width: ICON_SIZE, height: ICON_SIZE });
    // 1.3 lays icons on #eceff1 unless a background is asked for.
    expectColour(await pixel(icon.body, 0, 0), [0xec, 0xef, 0xf1]);
    expect((await decoded(await preview(bucketId, text, { width: 64, output: 'jpg', background: '000000' }))).meta).toMatchObject({ format: 'jpeg', width: 64, height: 64 });
    const pdf = await upload(bucketId, 'doc.pdf', Buffer.from('%PDF-1.4\n%%EOF\n'));
    expect((await decoded(await preview(bucketId, pdf))).body.equals(icon.body)).toBe(false);

    const big = await noisyJpeg(600, 600);
    expect(big.length).toBeGreaterThan(PREVIEW_LIMIT);
    const bigId = await upload(bucketId, 'big.jpg', big);
    // Too large to transform: the generic image icon, a PNG like 1.3's logo files.
    const tooBig = await decoded(await preview(bucketId, bigId));
    expect(tooBig.meta).toMatchObject({ format: 'png', width: ICON_SIZE, height: ICON_SIZE });
    expect(tooBig.body.equals(icon.body)).toBe(false);
  });

  it('applies the read rules of download: sessions via the web SDK URL and cookie, 404 for others, guests on public files', async () => {
    const [alice, bob] = [await seedUser(), await seedUser()];
    const shared = await storage.createBucket(sdk.ID.unique(), 'Private', [sdk.Permission.create(sdk.Role.users())], true, true, undefined, undefined, 'none', false, false);
    const mine = await upload(shared.$id, 'alice.png', await halfTransparentPng(), [sdk.Permission.read(sdk.Role.user(alice.userId))]);
    const open = await upload(shared.$id, 'open.jpg', await halvesJpeg(), [sdk.Permission.read(sdk.Role.any())]);

    const client = new web.Storage(new web.Client().setEndpoint(api.endpoint).setProject(projectId));
    const url = client.getFilePreview(shared.$id, mine, 64, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, 'jpg').toString();
    expect(url).toContain(`project=${projectId}`);
    expect(url).toContain('width=64');
    const own = await decoded(await fetch(url, { headers: { cookie: alice.cookie } }));
    expect(own.meta).toMatchObject({ format: 'jpeg', width: 64 });

    const denied = await fetch(url, { headers: { cookie: bob.cookie } });
    expect(denied.status).toBe(404);
    expect(await denied.json()).toMatchObject({ code: 404, type: 'storage_file_not_found' });
    expect((await fetch(url)).status).toBe(404);
    const guest = await fetch(client.getFilePreview(shared.$id, open, 20).toString());
    expect((await decoded(guest)).meta).toMatchObject({ width: 20, height: 10 });

    const closed = await storage.createBucket(sdk.ID.unique(), 'Closed', [], false, true, undefined, undefined, 'none', false, false);
    const hidden = await upload(closed.$id, 'x.jpg', await halvesJpeg());
    const unauthorized = await fetch(client.getFilePreview(closed.$id, hidden).toString(), { headers: { cookie: alice.cookie } });
    expect(await unauthorized.json()).toMatchObject({ code: 401, type: 'user_unauthorized' });
    const missing = await preview(bucketId, 'nope');
    expect(await missing.json()).toMatchObject({ code: 404, type: 'storage_file_not_found' });
    await expect(storage.getFilePreview(bucketId, 'nope')).rejects.toMatchObject({ code: 404 });
  });

  it('refuses invalid params with 400 general_argument_invalid', async () => {
    const invalid: Record<string, string | number>[] = [{ width: 4001 }, { height: 'abc' }, { gravity: 'middle' }, { quality: 101 }, { borderWidth: 101 }, { borderColor: 'red' }, { borderRadius: 4001 }, { opacity: 2 }, { rotation: 400 }, { background: '#fff' }, { output: 'bmp' }];
    for (const query of invalid) {
      const response = await preview(bucketId, images.jpg, query);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect(await response.json()).toMatchObject({ code: 400, type: 'general_argument_invalid', message: expect.stringContaining(`\`${Object.keys(query)[0]}\``) });
    }
    await expect(storage.getFilePreview(bucketId, images.jpg, 5000)).rejects.toMatchObject({ code: 400 });
  });

  it('serves the legacy /storage/files/{fileId}/preview path from the default bucket, and re-renders a replaced file', async () => {
    await storage.createBucket('default', 'Default', [], false, true, undefined, undefined, 'none', false, false);
    await storage.createFile('default', 'pic', sdk.InputFile.fromBuffer(await halvesJpeg(), 'pic.jpg'));
    const legacy = (query: string) => fetch(`${api.endpoint}/storage/files/pic/preview?${query}`, { headers: { 'x-appwrite-project': projectId, 'x-appwrite-key': key } });
    const first = await legacy('width=20');
    expect((await decoded(first)).meta).toMatchObject({ format: 'jpeg', width: 20, height: 10 });
    expect((await legacy('width=20')).headers.get('x-appwrite-cache')).toBe('hit');

    await storage.deleteFile('default', 'pic');
    expect((await legacy('width=20')).status).toBe(404);
    await storage.createFile('default', 'pic', sdk.InputFile.fromBuffer(await noisyJpeg(), 'pic.jpg'));
    const replaced = await legacy('width=20');
    expect(replaced.headers.get('x-appwrite-cache')).toBe('miss');
    expect((await decoded(replaced)).meta).toMatchObject({ width: 20, height: 15 });
  });
});
