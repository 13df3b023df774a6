import * as sdk from 'node-appwrite';
import sharp from 'sharp';

import { bootstrapConsole, ConsoleSession } from '../../support/console';
import { failure, keyClient, signedInUser, web, webClient } from '../../support/identity-clients';

// The web SDK as a browser runs it (native FormData and fetch): see storage.e2e-spec.ts.
jest.mock('isomorphic-form-data', () => ({}));
jest.mock('cross-fetch', () => ({ fetch: (...args: Parameters<typeof fetch>) => globalThis.fetch(...args) }));

// File previews (libs/domain/previews) through both SDKs against `appconda all`: every output is
// decoded with sharp — dimensions, format and, where the params decide it, pixel colours.

const decode = (bytes: Buffer | ArrayBuffer) => sharp(Buffer.from(bytes as ArrayBuffer)).metadata();

/** The RGB of pixel (x, y) of an encoded image. */
async function pixel(bytes: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [data[at], data[at + 1], data[at + 2]];
}

const near = (actual: number[], expected: number[], tolerance = 40) => actual.every((v, i) => Math.abs(v - expected[i]) <= tolerance);

/** 400×300 PNG: left half red, right half blue. */
function halves(): Promise<Buffer> {
  return sharp({ create: { width: 400, height: 300, channels: 3, background: '#ff0000' } })
    .composite([{ input: { create: { width: 200, height: 300, channels: 3, background: '#0000ff' } }, left: 200, top: 0 }])
    .png()
    .toBuffer();
}

describe('file previews through the SDKs (appconda all)', () => {
  let consoleSession: ConsoleSession;
  let storage: sdk.Storage;
  let bucketId: string;
  let imageId: string;
  let keyHeaders: Record<string, string>;
  const previewUrl = (fileId: string, params: Record<string, string | number | undefined> = {}) =>
    `${consoleSession.endpoint}/storage/buckets/${bucketId}/files/${fileId}/preview?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))}`;

  beforeAll(async () => {
    consoleSession = await bootstrapConsole('previews');
    storage = new sdk.Storage(keyClient(consoleSession.projectId, consoleSession.key));
    keyHeaders = { 'x-appwrite-project': consoleSession.projectId, 'x-appwrite-key': consoleSession.key };
    // Compressed and encrypted at rest: previews must read through storage's codecs.
    bucketId = (
      await storage.createBucket(sdk.ID.unique(), 'Images', [sdk.Permission.read(sdk.Role.any())], true, true, undefined, undefined, 'zstd', true, false)
    ).$id;
    imageId = (await storage.createFile(bucketId, sdk.ID.unique(), sdk.InputFile.fromBuffer(await halves(), 'halves.png'))).$id;
  });

  it('resizes to the asked box, and keeps the aspect ratio when one side is 0', async () => {
    expect(await decode(await storage.getFilePreview(bucketId, imageId, 100, 50))).toMatchObject({ format: 'png', width: 100, height: 50 });
    expect(await decode(await storage.getFilePreview(bucketId, imageId, 200))).toMatchObject({ width: 200, height: 150 });
    expect(await decode(await storage.getFilePreview(bucketId, imageId, undefined, 60))).toMatchObject({ width: 80, height: 60 });
    expect(await decode(await storage.getFilePreview(bucketId, imageId))).toMatchObject({ format: 'png', width: 400, height: 300 });
  });

  it('crops by gravity', async () => {
    const left = Buffer.from(await storage.getFilePreview(bucketId, imageId, 100, 100, 'left'));
    const right = Buffer.from(await storage.getFilePreview(bucketId, imageId, 100, 100, 'right'));
    expect(near(await pixel(left, 50, 50), [255, 0, 0])).toBe(true);
    expect(near(await pixel(right, 50, 50), [0, 0, 255])).toBe(true);
  });

  it.each([
    ['jpg', 'jpeg', 'image/jpeg'],
    ['jpeg', 'jpeg', 'image/jpeg'],
    ['png', 'png', 'image/png'],
    ['gif', 'gif', 'image/gif'],
  ])('output=%s is a %s (%s)', async (output, format, contentType) => {
    const res = await fetch(previewUrl(imageId, { width: 40, height: 30, output }), { headers: keyHeaders });
    expect([res.status, res.headers.get('content-type')]).toEqual([200, contentType]);
    expect(await decode(Buffer.from(await res.arrayBuffer()))).toMatchObject({ format, width: 40, height: 30 });
  });

  it('output=webp is WebP only for clients that accept it (node SDK sends no Accept: JPEG)', async () => {
    expect(
      await decode(
        await storage.getFilePreview(bucketId, imageId, 40, 30, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, 'webp'),
      ),
    ).toMatchObject({ format: 'jpeg' });
    const browser = await fetch(previewUrl(imageId, { width: 40, height: 30, output: 'webp' }), {
      headers: { ...keyHeaders, accept: 'image/avif,image/webp,*/*' },
    });
    expect(browser.headers.get('content-type')).toBe('image/webp');
    expect(await decode(Buffer.from(await browser.arrayBuffer()))).toMatchObject({ format: 'webp', width: 40, height: 30 });
  });

  it('border grows the image, rotation turns it, background fills transparency, opacity fades it', async () => {
    const bordered = Buffer.from(await storage.getFilePreview(bucketId, imageId, 100, 100, undefined, undefined, 5, '00ff00'));
    expect(await decode(bordered)).toMatchObject({ width: 110, height: 110 });
    expect(near(await pixel(bordered, 1, 1), [0, 255, 0])).toBe(true);
    expect(
      await decode(await storage.getFilePreview(bucketId, imageId, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, 90)),
    ).toMatchObject({ width: 300, height: 400 });

    const transparent = await sharp({ create: { width: 50, height: 50, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
    const clear = await storage.createFile(bucketId, sdk.ID.unique(), sdk.InputFile.fromBuffer(transparent, 'clear.png'));
    const onYellow = Buffer.from(
      await storage.getFilePreview(
        bucketId,
        clear.$id,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        'ffff00',
        'jpg',
      ),
    );
    expect(near(await pixel(onYellow, 25, 25), [255, 255, 0])).toBe(true);

    const faded = Buffer.from(
      await storage.getFilePreview(bucketId, imageId, 10, 10, 'left', undefined, undefined, undefined, undefined, 0, undefined, undefined, 'png'),
    );
    const { data } = await sharp(faded).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect(data[3]).toBe(0); // alpha of the first pixel
  });

  it('draws an icon (PNG) for files that are not images', async () => {
    const text = await storage.createFile(bucketId, sdk.ID.unique(), sdk.InputFile.fromPlainText('not an image', 'notes.txt'));
    const icon = await decode(await storage.getFilePreview(bucketId, text.$id, 64, 64));
    expect(icon.format).toBe('png');
    expect(icon.width).toBeGreaterThan(0);
  });

  it('caches renders, and a replaced file never gets the old preview', async () => {
    const first = await fetch(previewUrl(imageId, { width: 33, height: 33 }), { headers: keyHeaders });
    const again = await fetch(previewUrl(imageId, { width: 33, height: 33 }), { headers: keyHeaders });
    expect([first.headers.get('x-appwrite-cache'), again.headers.get('x-appwrite-cache')]).toEqual(['miss', 'hit']);
    expect(Buffer.from(await first.arrayBuffer()).equals(Buffer.from(await again.arrayBuffer()))).toBe(true);

    const id = `swap${Date.now().toString(36)}`;
    await storage.createFile(bucketId, id, sdk.InputFile.fromBuffer(await halves(), 'swap.png'));
    const red = Buffer.from(await storage.getFilePreview(bucketId, id, 20, 20, 'left'));
    expect(near(await pixel(red, 10, 10), [255, 0, 0])).toBe(true);
    await storage.deleteFile(bucketId, id);
    expect(await failure(storage.getFilePreview(bucketId, id, 20, 20, 'left'))).toMatchObject({ code: 404 });
    const green = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#00ff00' } })
      .png()
      .toBuffer();
    await storage.createFile(bucketId, id, sdk.InputFile.fromBuffer(green, 'swap.png'));
    const now = Buffer.from(await storage.getFilePreview(bucketId, id, 20, 20, 'left'));
    expect(near(await pixel(now, 10, 10), [0, 255, 0])).toBe(true);
  });

  it('refuses out-of-range params with 400 general_argument_invalid', async () => {
    const cases: Record<string, string | number>[] = [
      { width: 4001 },
      { height: -1 },
      { gravity: 'middle' },
      { quality: 101 },
      { borderWidth: 101 },
      { borderColor: 'red' },
      { opacity: 2 },
      { rotation: 361 },
      { background: '#fff' },
      { output: 'bmp' },
    ];
    for (const params of cases) {
      const res = await fetch(previewUrl(imageId, params), { headers: keyHeaders });
      expect([params, res.status, ((await res.json()) as { type: string }).type]).toEqual([params, 400, 'general_argument_invalid']);
    }
  });

  it('follows the file permissions: guests read a public preview by URL (web SDK), other users get 404 for a private one', async () => {
    const guest = new web.Storage(webClient(consoleSession.projectId).client);
    const url = guest.getFilePreview(bucketId, imageId, 30, 20);
    const res = await fetch(String(url));
    expect(res.status).toBe(200);
    expect(await decode(Buffer.from(await res.arrayBuffer()))).toMatchObject({ width: 30, height: 20 });

    const privateBucket = await storage.createBucket(
      sdk.ID.unique(),
      'Private images',
      [sdk.Permission.create(sdk.Role.users())],
      true,
      true,
      undefined,
      undefined,
      'none',
      false,
      false,
    );
    const owner = await signedInUser(consoleSession.projectId, 'pic-owner');
    const other = await signedInUser(consoleSession.projectId, 'pic-other');
    const ownerStorage = new web.Storage(owner.client);
    const mine = await ownerStorage.createFile(privateBucket.$id, web.ID.unique(), new File([await halves()], 'mine.png'));
    const as = (user: typeof owner) => ({ 'x-fallback-cookies': user.store.get('cookieFallback')! });
    const ownerView = await fetch(String(ownerStorage.getFilePreview(privateBucket.$id, mine.$id, 10, 10)), { headers: as(owner) });
    expect(ownerView.status).toBe(200);
    const otherView = await fetch(String(ownerStorage.getFilePreview(privateBucket.$id, mine.$id, 10, 10)), { headers: as(other) });
    expect([otherView.status, ((await otherView.json()) as { type: string }).type]).toEqual([404, 'storage_file_not_found']);
    const guestView = await fetch(String(ownerStorage.getFilePreview(privateBucket.$id, mine.$id, 10, 10)));
    expect(guestView.status).toBe(404);
    expect(await failure(storage.getFilePreview('missing', imageId))).toMatchObject({ code: 404 });
  });
});
