import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';

import * as mariadb from 'mariadb';
import * as sdk from 'node-appwrite';

import { bootstrapConsole, ConsoleSession } from '../../support/console';
import { eventually, failure, keyClient, signedInUser, web, webClient } from '../../support/identity-clients';
import { storedObjects, uploadsRoot } from './side-api';

// Storage through both SDKs against `appconda all`: buckets, uploads (single and chunked, one
// interrupted and resumed), byte-identical reads through every codec, ranges, the rejection cases,
// per-file permissions, and worker-deletes removing the bytes of deleted buckets and projects.

// The web SDK as a browser runs it: appwrite@11 loads `isomorphic-form-data` (which replaces the
// global FormData with the `form-data` package in Node) and `cross-fetch` (node-fetch). Neither can send
// a File; a browser uses its native FormData and fetch, which Node 20 has too.
jest.mock('isomorphic-form-data', () => ({}));
jest.mock('cross-fetch', () => ({ fetch: (...args: Parameters<typeof fetch>) => globalThis.fetch(...args) }));

const MiB = 1024 * 1024;
const md5 = (data: Buffer | Uint8Array) => createHash('md5').update(data).digest('hex');

/** A small real PNG (8x8, RGBA) the server should sniff as image/png. */
function tinyPng(): Buffer {
  return Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAIAQMAAAD+wSzIAAAABlBMVEX///+/v7+jQ3Y5AAAADklEQVQI12P4AIX8EAgALgAD/aNpbtIAAAAASUVORK5CYII=', 'base64');
}

/** Content that compresses (text) followed by content that does not (random), `size` bytes. */
function mixedContent(size: number): Buffer {
  const text = Buffer.from('appconda storage e2e — the quick brown fox jumps over the lazy dog\n'.repeat(Math.ceil(size / 2 / 60)));
  return Buffer.concat([text.subarray(0, Math.floor(size / 2)), randomBytes(size - Math.floor(size / 2))]);
}

/** The deployment's schema, to check what worker-deletes left behind. */
function connectDb() {
  return mariadb.createConnection({
    host: process.env._APP_DB_HOST ?? '127.0.0.1',
    user: process.env._APP_DB_USER ?? 'root',
    password: process.env._APP_DB_PASS ?? '',
    database: process.env.APPCONDA_E2E_SCHEMA,
  });
}

/** One multipart chunk POST written by hand, optionally cut off after `sendBytes` bytes of content. */
function postChunk(
  url: string,
  headers: Record<string, string>,
  fields: Record<string, string>,
  filename: string,
  content: Buffer,
  sendBytes = content.length,
): Promise<{ status: number; body: Record<string, unknown> } | 'aborted'> {
  const boundary = `----e2e${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    Object.entries(fields)
      .map(([name, value]) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join('') + `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${filename}"\r\ncontent-type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(head.length + content.length + tail.length),
        },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString() || '{}') }));
      },
    );
    req.on('error', (error) => (sendBytes < content.length ? resolve('aborted') : reject(error)));
    req.write(head);
    if (sendBytes < content.length) {
      req.write(content.subarray(0, sendBytes), () => setTimeout(() => req.destroy(), 200));
      return;
    }
    req.write(content);
    req.end(tail);
  });
}

describe('storage through the SDKs (appconda all)', () => {
  let consoleSession: ConsoleSession;
  let storage: sdk.Storage;
  let keyHeaders: Record<string, string>;

  const fetchAs = (headers: Record<string, string>, route: string, extra: Record<string, string> = {}) =>
    fetch(`${consoleSession.endpoint}${route}`, { headers: { ...headers, ...extra } });
  const bytesOf = async (res: Response) => Buffer.from(await res.arrayBuffer());

  beforeAll(async () => {
    consoleSession = await bootstrapConsole('storage');
    storage = new sdk.Storage(keyClient(consoleSession.projectId, consoleSession.key));
    keyHeaders = { 'x-appwrite-project': consoleSession.projectId, 'x-appwrite-key': consoleSession.key };
  });

  describe('buckets', () => {
    it('creates, reads, lists, searches and updates a bucket with the 1.3 model', async () => {
      const bucket = await storage.createBucket(
        sdk.ID.unique(),
        'Photos',
        [sdk.Permission.read(sdk.Role.any())],
        true,
        true,
        1_000_000,
        ['png', 'JPG'],
        'gzip',
        true,
        false,
      );
      expect(bucket).toMatchObject({
        name: 'Photos',
        $permissions: ['read("any")'],
        fileSecurity: true,
        enabled: true,
        maximumFileSize: 1_000_000,
        allowedFileExtensions: ['png', 'JPG'],
        compression: 'gzip',
        encryption: true,
        antivirus: false,
      });
      expect(bucket.$createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
      expect(await storage.getBucket(bucket.$id)).toEqual(bucket);

      const listed = await storage.listBuckets([sdk.Query.equal('name', 'Photos')]);
      expect(listed.buckets.map((b) => b.$id)).toEqual([bucket.$id]);
      expect((await storage.listBuckets(undefined, 'Photos')).buckets.map((b) => b.$id)).toContain(bucket.$id);

      // 1.3: omitted settings keep their values except fileSecurity, which goes back to false.
      const updated = await storage.updateBucket(bucket.$id, 'Pictures');
      expect(updated).toMatchObject({
        name: 'Pictures',
        fileSecurity: false,
        maximumFileSize: 1_000_000,
        compression: 'gzip',
        encryption: true,
        $permissions: ['read("any")'],
      });
    });

    it('refuses a duplicate id, a size above _APP_STORAGE_LIMIT, an unknown compression, bad permissions and unknown buckets', async () => {
      const bucket = await storage.createBucket(sdk.ID.unique(), 'Dupe');
      expect(await failure(storage.createBucket(bucket.$id, 'Dupe again'))).toEqual({ code: 409, type: 'storage_bucket_already_exists' });
      expect(await failure(storage.createBucket(sdk.ID.unique(), 'Huge', undefined, undefined, undefined, 10_000_000_000))).toEqual({
        code: 400,
        type: 'general_argument_invalid',
      });
      expect(await failure(storage.createBucket(sdk.ID.unique(), 'Zip', undefined, undefined, undefined, undefined, undefined, 'zip'))).toEqual({
        code: 400,
        type: 'general_argument_invalid',
      });
      expect(await failure(storage.createBucket(sdk.ID.unique(), 'Bad perms', ['write("nobody-knows")']))).toEqual({
        code: 400,
        type: 'general_argument_invalid',
      });
      expect(await failure(storage.getBucket('missing'))).toEqual({ code: 404, type: 'storage_bucket_not_found' });
      expect(await failure(storage.updateBucket('missing', 'x'))).toEqual({ code: 404, type: 'storage_bucket_not_found' });
      expect(await failure(storage.deleteBucket('missing'))).toEqual({ code: 404, type: 'storage_bucket_not_found' });
    });

    it('keeps bucket management to API keys: guests and users are refused', async () => {
      const res = await fetch(`${consoleSession.endpoint}/storage/buckets`, { headers: { 'x-appwrite-project': consoleSession.projectId } });
      expect([res.status, ((await res.json()) as { type: string }).type]).toEqual([401, 'general_unauthorized_scope']);
      const user = await signedInUser(consoleSession.projectId, 'bucketeer');
      const asUser = await fetch(`${consoleSession.endpoint}/storage/buckets`, {
        headers: { 'x-appwrite-project': consoleSession.projectId, 'x-fallback-cookies': user.store.get('cookieFallback')! },
      });
      expect([asUser.status, ((await asUser.json()) as { type: string }).type]).toEqual([401, 'general_unauthorized_scope']);
    });
  });

  describe('uploads and byte-identical reads', () => {
    const codecs: [string, boolean][] = [
      ['none', false],
      ['none', true],
      ['gzip', false],
      ['gzip', true],
      ['zstd', false],
      ['zstd', true],
    ];

    it.each(codecs)(
      'compression %s, encryption %s: small file in, same bytes out (download and view), bytes at rest transformed',
      async (compression, encryption) => {
        const bucket = await storage.createBucket(
          sdk.ID.unique(),
          `codec ${compression} ${encryption}`,
          undefined,
          false,
          true,
          undefined,
          undefined,
          compression,
          encryption,
          false,
        );
        const content = mixedContent(300_000);
        const file = await storage.createFile(bucket.$id, sdk.ID.unique(), sdk.InputFile.fromBuffer(content, 'notes.txt'));
        expect(file).toMatchObject({
          name: 'notes.txt',
          sizeOriginal: content.length,
          chunksTotal: 1,
          chunksUploaded: 1,
          signature: md5(content),
          bucketId: bucket.$id,
        });

        const downloaded = Buffer.from(await storage.getFileDownload(bucket.$id, file.$id));
        expect(downloaded.length).toBe(content.length);
        expect(md5(downloaded)).toBe(md5(content));
        expect(md5(Buffer.from(await storage.getFileView(bucket.$id, file.$id)))).toBe(md5(content));

        // What sits on the device: compressed and/or encrypted, never the plain text when encrypted.
        const stored = storedObjects(consoleSession.projectId).filter((p) => path.basename(p).startsWith(`${file.$id}.`));
        expect(stored).toHaveLength(1);
        const atRest = readFileSync(path.join(uploadsRoot(), `app-${consoleSession.projectId}`, stored[0]));
        const plainHead = content.subarray(0, 64);
        expect(atRest.includes(plainHead)).toBe(compression === 'none' && !encryption);
        if (compression !== 'none' && !encryption) expect(atRest.length).toBeLessThan(content.length);
      },
    );

    it('sniffs the type, and serves download as an attachment and view inline with script disabled', async () => {
      const bucket = await storage.createBucket(sdk.ID.unique(), 'Types', undefined, false, true, undefined, undefined, 'none', false, false);
      const png = await storage.createFile(bucket.$id, 'logo', sdk.InputFile.fromBuffer(tinyPng(), 'logo.png'));
      expect(png).toMatchObject({ $id: 'logo', mimeType: 'image/png', sizeOriginal: tinyPng().length });
      const html = await storage.createFile(bucket.$id, sdk.ID.unique(), sdk.InputFile.fromPlainText('<html><script>alert(1)</script></html>', 'page.html'));

      const download = await fetchAs(keyHeaders, `/storage/buckets/${bucket.$id}/files/logo/download`);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe('image/png');
      expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="logo.png"/);
      expect(download.headers.get('accept-ranges')).toBe('bytes');
      const expires = Date.parse(download.headers.get('expires') ?? '');
      expect(expires - Date.now()).toBeGreaterThan(44 * 24 * 3600 * 1000);
      expect((await bytesOf(download)).equals(tinyPng())).toBe(true);

      const view = await fetchAs(keyHeaders, `/storage/buckets/${bucket.$id}/files/${html.$id}/view`);
      expect(view.headers.get('content-disposition')).toMatch(/^inline/);
      expect(view.headers.get('content-security-policy')).toContain("script-src 'none'");
      expect(view.headers.get('content-type')).not.toMatch(/text\/html/);
      expect(await view.text()).toBe('<html><script>alert(1)</script></html>');
    });

    it('uploads 12 MiB in 5 MiB chunks through the node SDK (gzip + encryption) and reads it back identical', async () => {
      const bucket = await storage.createBucket(sdk.ID.unique(), 'Chunked', undefined, false, true, undefined, undefined, 'gzip', true, false);
      const content = mixedContent(12 * MiB);
      const progress: number[] = [];
      const createFile = storage.createFile.bind(storage) as unknown as (...args: unknown[]) => Promise<sdk.Models.File>;
      const file = await createFile(bucket.$id, sdk.ID.unique(), sdk.InputFile.fromBuffer(content, 'big.txt'), undefined, (p: { chunksUploaded: number }) =>
        progress.push(p.chunksUploaded),
      );
      expect(progress).toEqual([1, 2, 3]);
      expect(file).toMatchObject({ chunksTotal: 3, chunksUploaded: 3, sizeOriginal: content.length, signature: md5(content), mimeType: 'text/plain' });
      expect(md5(Buffer.from(await storage.getFileDownload(bucket.$id, file.$id)))).toBe(md5(content));
      // No chunk folder left behind once the file is assembled.
      expect(storedObjects(consoleSession.projectId).filter((p) => p.includes(`tmp/${file.$id}`))).toEqual([]);
    });

    it('resumes an interrupted chunked upload (web SDK): a chunk cut off mid-body does not count, the rest completes identical', async () => {
      const bucket = await storage.createBucket(
        sdk.ID.unique(),
        'Resume',
        [sdk.Permission.create(sdk.Role.users()), sdk.Permission.read(sdk.Role.users())],
        false,
        true,
        undefined,
        undefined,
        'gzip',
        true,
        false,
      );
      const user = await signedInUser(consoleSession.projectId, 'resumer');
      const userStorage = new web.Storage(user.client);
      const content = mixedContent(13 * MiB);
      const fileId = `resume${randomBytes(4).toString('hex')}`;

      // 1. The app loses the network after the first chunk.
      const call = user.client.call.bind(user.client);
      let posts = 0;
      user.client.call = (async (...args: Parameters<typeof call>) => {
        if (String(args[0]).toLowerCase() === 'post' && ++posts > 1) throw new Error('network down');
        return call(...args);
      }) as typeof call;
      await expect(userStorage.createFile(bucket.$id, fileId, new File([content], 'resume.txt'))).rejects.toThrow('network down');
      user.client.call = call;
      expect(await userStorage.getFile(bucket.$id, fileId)).toMatchObject({ chunksTotal: 3, chunksUploaded: 1, signature: '', sizeOriginal: content.length });

      // 2. The second chunk is cut off half way through its body.
      const headers = {
        'x-appwrite-project': consoleSession.projectId,
        'x-fallback-cookies': user.store.get('cookieFallback')!,
        'x-forwarded-for': user.ip,
        'content-range': `bytes ${5 * MiB}-${10 * MiB - 1}/${content.length}`,
        'x-appwrite-id': fileId,
      };
      const cut = await postChunk(
        `${consoleSession.endpoint}/storage/buckets/${bucket.$id}/files`,
        headers,
        { fileId },
        'resume.txt',
        content.subarray(5 * MiB, 10 * MiB),
        2 * MiB,
      );
      expect(cut).toBe('aborted');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await userStorage.getFile(bucket.$id, fileId)).toMatchObject({ chunksUploaded: 1 });
      const leftovers = storedObjects(consoleSession.projectId).filter((p) => p.includes(`tmp/${fileId}/`));
      expect(leftovers.map((p) => path.basename(p))).toEqual(['1.part']);

      // 3. The SDK asks how far the upload got and sends the rest.
      const progress: number[] = [];
      const done = await userStorage.createFile(bucket.$id, fileId, new File([content], 'resume.txt'), undefined, (p) => progress.push(p.chunksUploaded));
      expect(progress).toEqual([2, 3]);
      expect(done).toMatchObject({
        $id: fileId,
        chunksTotal: 3,
        chunksUploaded: 3,
        signature: md5(content),
        sizeOriginal: content.length,
        $permissions: expect.arrayContaining([`read("user:${user.userId}")`]),
      });
      const res = await fetchAs(
        { 'x-appwrite-project': consoleSession.projectId, 'x-fallback-cookies': user.store.get('cookieFallback')! },
        `/storage/buckets/${bucket.$id}/files/${fileId}/download`,
      );
      expect(res.status).toBe(200);
      expect(md5(await bytesOf(res))).toBe(md5(content));
    });
  });

  describe('ranges', () => {
    let bucketId: string;
    let fileId: string;
    let content: Buffer;
    const range = (value: string, mode = 'download') => fetchAs(keyHeaders, `/storage/buckets/${bucketId}/files/${fileId}/${mode}`, { range: value });

    beforeAll(async () => {
      const bucket = await storage.createBucket(sdk.ID.unique(), 'Ranges', undefined, false, true, undefined, undefined, 'zstd', true, false);
      bucketId = bucket.$id;
      content = mixedContent(3 * MiB);
      fileId = (await storage.createFile(bucketId, sdk.ID.unique(), sdk.InputFile.fromBuffer(content, 'ranges.bin'))).$id;
    });

    it('serves inclusive byte ranges with 206 and Content-Range from compressed, encrypted content', async () => {
      for (const [start, end] of [
        [0, 99],
        [1_500_000, 1_500_099],
        [content.length - 10, content.length - 1],
      ]) {
        const res = await range(`bytes=${start}-${end}`);
        expect(res.status).toBe(206);
        expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${content.length}`);
        expect(res.headers.get('content-length')).toBe(String(end - start + 1));
        expect((await bytesOf(res)).equals(content.subarray(start, end + 1))).toBe(true);
      }
      const view = await range('bytes=10-19', 'view');
      expect([view.status, (await bytesOf(view)).equals(content.subarray(10, 20))]).toEqual([206, true]);
    });

    it('answers an open-ended range with at most 2 MB, as 1.3 does', async () => {
      const res = await range('bytes=100-');
      expect(res.status).toBe(206);
      expect(res.headers.get('content-range')).toBe(`bytes 100-${100 + 2_000_000 - 1}/${content.length}`);
      expect((await bytesOf(res)).equals(content.subarray(100, 100 + 2_000_000))).toBe(true);
    });

    it('refuses unsatisfiable ranges with 416 storage_invalid_range', async () => {
      for (const value of ['bytes=100-50', `bytes=0-${content.length}`, 'items=0-10', 'bytes=-500', 'bytes=5-5']) {
        const res = await range(value);
        expect([value, res.status, ((await res.json()) as { type: string }).type]).toEqual([value, 416, 'storage_invalid_range']);
      }
    });
  });

  describe('rejections', () => {
    let bucketId: string;

    beforeAll(async () => {
      bucketId = (
        await storage.createBucket(sdk.ID.unique(), 'Strict', [sdk.Permission.read(sdk.Role.users())], false, true, 1000, ['txt'], 'none', false, false)
      ).$id;
    });

    it('refuses an extension the bucket does not allow', async () => {
      expect(await failure(storage.createFile(bucketId, sdk.ID.unique(), sdk.InputFile.fromPlainText('hi', 'hi.exe')))).toEqual({
        code: 400,
        type: 'storage_file_type_unsupported',
      });
      expect(await failure(storage.createFile(bucketId, sdk.ID.unique(), sdk.InputFile.fromPlainText('hi', 'no-extension')))).toEqual({
        code: 400,
        type: 'storage_file_type_unsupported',
      });
      expect(await storage.createFile(bucketId, sdk.ID.unique(), sdk.InputFile.fromPlainText('hi', 'HI.TXT'))).toMatchObject({ name: 'HI.TXT' });
    });

    it('refuses a file above the bucket maximum, single and chunked, and keeps nothing of it', async () => {
      const before = storedObjects(consoleSession.projectId);
      expect(await failure(storage.createFile(bucketId, sdk.ID.unique(), sdk.InputFile.fromBuffer(Buffer.alloc(1001, 'a'), 'big.txt')))).toEqual({
        code: 400,
        type: 'storage_invalid_file_size',
      });
      const chunked = await postChunk(
        `${consoleSession.endpoint}/storage/buckets/${bucketId}/files`,
        { ...keyHeaders, 'content-range': 'bytes 0-99/5000' },
        { fileId: 'unique()' },
        'a.txt',
        Buffer.alloc(100, 'a'),
      );
      expect(chunked).toMatchObject({ status: 400, body: { type: 'storage_invalid_file_size' } });
      expect(storedObjects(consoleSession.projectId)).toEqual(before);
      expect((await storage.listFiles(bucketId, [sdk.Query.equal('name', 'big.txt')])).total).toBe(0);
    });

    it('refuses a missing file part, a malformed Content-Range and a bad file id', async () => {
      const url = `${consoleSession.endpoint}/storage/buckets/${bucketId}/files`;
      const form = new FormData();
      form.set('fileId', 'unique()');
      const empty = await fetch(url, { method: 'POST', headers: keyHeaders, body: form });
      expect([empty.status, ((await empty.json()) as { type: string }).type]).toEqual([400, 'storage_file_empty']);
      for (const value of ['bytes 10-5/100', 'bytes 0-10', 'lines 0-1/2', 'bytes 0-200/100']) {
        const res = await postChunk(url, { ...keyHeaders, 'content-range': value }, { fileId: 'unique()' }, 'a.txt', Buffer.alloc(10, 'a'));
        expect([value, res]).toEqual([value, { status: 400, body: expect.objectContaining({ type: 'storage_invalid_content_range' }) }]);
      }
      expect(await failure(storage.createFile(bucketId, '-bad', sdk.InputFile.fromPlainText('hi', 'a.txt')))).toEqual({
        code: 400,
        type: 'general_argument_invalid',
      });
      expect(await failure(storage.createFile(bucketId, 'x'.repeat(37), sdk.InputFile.fromPlainText('hi', 'a.txt')))).toEqual({
        code: 400,
        type: 'general_argument_invalid',
      });
    });

    it('refuses a second upload to a finished file id with 409', async () => {
      await storage.createFile(bucketId, 'taken', sdk.InputFile.fromPlainText('first', 'a.txt'));
      // (The SDKs never send it: they see chunksUploaded === chunksTotal and return the file as is.)
      const again = await postChunk(
        `${consoleSession.endpoint}/storage/buckets/${bucketId}/files`,
        keyHeaders,
        { fileId: 'taken' },
        'a.txt',
        Buffer.from('second'),
      );
      expect(again).toMatchObject({ status: 409 });
      expect((await storage.getFileDownload(bucketId, 'taken')).toString()).toBe('first');
    });

    it('answers 404 for unknown buckets and files and for disabled buckets', async () => {
      expect(await failure(storage.createFile('missing', sdk.ID.unique(), sdk.InputFile.fromPlainText('hi', 'a.txt')))).toEqual({
        code: 404,
        type: 'storage_bucket_not_found',
      });
      expect(await failure(storage.getFile(bucketId, 'missing'))).toEqual({ code: 404, type: 'storage_file_not_found' });
      expect(await failure(storage.getFileDownload(bucketId, 'missing'))).toMatchObject({ code: 404 });
      const raw = await fetchAs(keyHeaders, `/storage/buckets/${bucketId}/files/missing/view`);
      expect([raw.status, ((await raw.json()) as { type: string }).type]).toEqual([404, 'storage_file_not_found']);
      expect(await failure(storage.deleteFile(bucketId, 'missing'))).toEqual({ code: 404, type: 'storage_file_not_found' });
      const disabled = await storage.createBucket(sdk.ID.unique(), 'Off', undefined, false, false);
      expect(await failure(storage.createFile(disabled.$id, sdk.ID.unique(), sdk.InputFile.fromPlainText('hi', 'a.txt')))).toEqual({
        code: 404,
        type: 'storage_bucket_not_found',
      });
      expect(await failure(storage.listFiles(disabled.$id))).toEqual({ code: 404, type: 'storage_bucket_not_found' });
    });

    it('refuses uploads from a user without create permission and invalid permission strings', async () => {
      const user = await signedInUser(consoleSession.projectId, 'nocreate');
      const userStorage = new web.Storage(user.client);
      expect(await failure(userStorage.createFile(bucketId, web.ID.unique(), new File(['hi'], 'a.txt')))).toEqual({ code: 401, type: 'user_unauthorized' });
      expect(await failure(storage.createFile(bucketId, sdk.ID.unique(), sdk.InputFile.fromPlainText('hi', 'a.txt'), ['delete("nope")']))).toEqual({
        code: 400,
        type: 'general_argument_invalid',
      });
    });

    it('refuses bad permissions on update, a grant of roles the uploader does not hold, and writes to unknown files', async () => {
      const open = await storage.createBucket(
        sdk.ID.unique(),
        'Open',
        [sdk.Permission.create(sdk.Role.users()), sdk.Permission.read(sdk.Role.users())],
        true,
        true,
        undefined,
        undefined,
        'none',
        false,
        false,
      );
      const file = await storage.createFile(open.$id, sdk.ID.unique(), sdk.InputFile.fromPlainText('x', 'x.txt'));
      expect(await failure(storage.updateFile(open.$id, file.$id, ['read("nobody-knows")']))).toEqual({ code: 400, type: 'general_argument_invalid' });
      expect(await failure(storage.updateFile(open.$id, file.$id, ['create("any")']))).toEqual({ code: 400, type: 'general_argument_invalid' });
      expect(await failure(storage.updateFile(open.$id, 'missing', []))).toEqual({ code: 404, type: 'storage_file_not_found' });
      expect(await failure(storage.updateFile('missing', file.$id, []))).toEqual({ code: 404, type: 'storage_bucket_not_found' });

      const user = await signedInUser(consoleSession.projectId, 'granter');
      const userStorage = new web.Storage(user.client);
      expect(
        await failure(userStorage.createFile(open.$id, web.ID.unique(), new File(['x'], 'x.txt'), [web.Permission.read(web.Role.team('someone-elses'))])),
      ).toEqual({
        code: 401,
        type: 'user_unauthorized',
      });
      const own = await userStorage.createFile(open.$id, web.ID.unique(), new File(['x'], 'x.txt'), [
        web.Permission.read(web.Role.users()),
        web.Permission.delete(web.Role.user(user.userId)),
      ]);
      expect(own.$permissions.sort()).toEqual([`delete("user:${user.userId}")`, 'read("users")']);
      await userStorage.deleteFile(open.$id, own.$id);
      expect(await failure(userStorage.getFile(open.$id, own.$id))).toEqual({ code: 404, type: 'storage_file_not_found' });
    });
  });

  describe('permissions', () => {
    it('hides a file from a user without read permission (404) and refuses their writes (401), with file security', async () => {
      const bucket = await storage.createBucket(
        sdk.ID.unique(),
        'Private',
        [sdk.Permission.create(sdk.Role.users())],
        true,
        true,
        undefined,
        undefined,
        'none',
        false,
        false,
      );
      const owner = await signedInUser(consoleSession.projectId, 'owner');
      const other = await signedInUser(consoleSession.projectId, 'other');
      const ownerStorage = new web.Storage(owner.client);
      const otherStorage = new web.Storage(other.client);

      const file = await ownerStorage.createFile(bucket.$id, web.ID.unique(), new File(['mine only'], 'secret.txt'));
      expect(file.$permissions.sort()).toEqual([`delete("user:${owner.userId}")`, `read("user:${owner.userId}")`, `update("user:${owner.userId}")`]);
      expect(await ownerStorage.getFile(bucket.$id, file.$id)).toMatchObject({ $id: file.$id });
      expect((await ownerStorage.listFiles(bucket.$id)).files.map((f) => f.$id)).toEqual([file.$id]);

      expect(await failure(otherStorage.getFile(bucket.$id, file.$id))).toEqual({ code: 404, type: 'storage_file_not_found' });
      expect((await otherStorage.listFiles(bucket.$id)).total).toBe(0);
      const download = await fetchAs(
        { 'x-appwrite-project': consoleSession.projectId, 'x-fallback-cookies': other.store.get('cookieFallback')! },
        `/storage/buckets/${bucket.$id}/files/${file.$id}/download`,
      );
      expect([download.status, ((await download.json()) as { type: string }).type]).toEqual([404, 'storage_file_not_found']);
      expect(await failure(otherStorage.updateFile(bucket.$id, file.$id, [web.Permission.read(web.Role.any())]))).toEqual({
        code: 401,
        type: 'user_unauthorized',
      });
      expect(await failure(otherStorage.deleteFile(bucket.$id, file.$id))).toEqual({ code: 401, type: 'user_unauthorized' });
      // A user may not grant roles they do not hold.
      expect(await failure(ownerStorage.updateFile(bucket.$id, file.$id, [web.Permission.read(web.Role.user(other.userId))]))).toEqual({
        code: 401,
        type: 'user_unauthorized',
      });

      // Once shared, the other user reads it.
      await storage.updateFile(bucket.$id, file.$id, [sdk.Permission.read(sdk.Role.user(other.userId))]);
      expect(
        await fetch(String(otherStorage.getFileDownload(bucket.$id, file.$id)), { headers: { 'x-fallback-cookies': other.store.get('cookieFallback')! } }).then(
          (r) => r.text(),
        ),
      ).toBe('mine only');
      // The key replaced the permissions: the owner's own read is gone with them.
      expect(await failure(ownerStorage.getFile(bucket.$id, file.$id))).toEqual({ code: 404, type: 'storage_file_not_found' });
    });

    it('answers 401 without bucket permission when file security is off, and a guest with read("any") reads', async () => {
      const bucket = await storage.createBucket(
        sdk.ID.unique(),
        'Public',
        [sdk.Permission.read(sdk.Role.any())],
        false,
        true,
        undefined,
        undefined,
        'none',
        false,
        false,
      );
      const closed = await storage.createBucket(sdk.ID.unique(), 'Closed', [], false, true, undefined, undefined, 'none', false, false);
      const pub = await storage.createFile(bucket.$id, sdk.ID.unique(), sdk.InputFile.fromPlainText('for everyone', 'pub.txt'));
      await storage.createFile(closed.$id, 'hidden', sdk.InputFile.fromPlainText('for nobody', 'hidden.txt'));
      const guest = new web.Storage(webClient(consoleSession.projectId).client);
      expect(await guest.getFile(bucket.$id, pub.$id)).toMatchObject({ name: 'pub.txt' });
      expect(await (await fetch(String(guest.getFileView(bucket.$id, pub.$id)))).text()).toBe('for everyone');
      expect(await failure(guest.getFile(closed.$id, 'hidden'))).toEqual({ code: 401, type: 'user_unauthorized' });
      expect(await failure(guest.createFile(bucket.$id, web.ID.unique(), new File(['x'], 'x.txt')))).toEqual({ code: 401, type: 'user_unauthorized' });
    });
  });

  describe('deletes (worker-deletes)', () => {
    it('deleting a file removes its bytes; deleting a bucket makes worker-deletes remove the rest', async () => {
      const bucket = await storage.createBucket(sdk.ID.unique(), 'Doomed', undefined, false, true, undefined, undefined, 'none', false, false);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await storage.createFile(bucket.$id, sdk.ID.unique(), sdk.InputFile.fromPlainText(`file ${i}`, `f${i}.txt`))).$id);
      const objectsOf = () => storedObjects(consoleSession.projectId).filter((p) => ids.some((id) => path.basename(p).startsWith(`${id}.`)));
      expect(objectsOf()).toHaveLength(3);
      const folder = path.dirname(objectsOf()[0]);

      await storage.deleteFile(bucket.$id, ids[0]);
      expect(objectsOf()).toHaveLength(2);

      await storage.deleteBucket(bucket.$id);
      expect(await failure(storage.getBucket(bucket.$id))).toEqual({ code: 404, type: 'storage_bucket_not_found' });
      await eventually(
        async () => objectsOf().length === 0 && !existsSync(path.join(uploadsRoot(), `app-${consoleSession.projectId}`, folder)),
        'worker-deletes to remove the bucket files',
      );
      const db = await connectDb();
      try {
        await eventually(async () => {
          const [row] = (await db.query('SELECT COUNT(*) AS n FROM `files` WHERE _project = ? AND bucketId = ?', [consoleSession.projectId, bucket.$id])) as {
            n: bigint | number;
          }[];
          return Number(row.n) === 0;
        }, 'worker-deletes to remove the bucket file rows');
      } finally {
        await db.end();
      }

      // The same id again is a new, empty bucket.
      await storage.createBucket(bucket.$id, 'Reborn');
      expect(await storage.listFiles(bucket.$id)).toEqual({ total: 0, files: [] });
    });

    it('deleting a project (console, with the password) stops its key and removes its files', async () => {
      const doomed = await bootstrapConsole('doomed');
      const doomedStorage = new sdk.Storage(keyClient(doomed.projectId, doomed.key));
      const bucket = await doomedStorage.createBucket(sdk.ID.unique(), 'Gone soon');
      await doomedStorage.createFile(bucket.$id, sdk.ID.unique(), sdk.InputFile.fromPlainText('bye', 'bye.txt'));
      const users = new sdk.Users(keyClient(doomed.projectId, doomed.key));
      await users.create(sdk.ID.unique(), `gone-${randomBytes(3).toString('hex')}@example.test`, undefined, 'password1234');
      expect(storedObjects(doomed.projectId)).toHaveLength(1);

      const wrong = await doomed.call('DELETE', `/projects/${doomed.projectId}`, { password: 'not-the-password' });
      expect(wrong.status).toBe(401);
      const res = await doomed.call('DELETE', `/projects/${doomed.projectId}`, { password: doomed.password });
      expect(res.status).toBe(204);

      const after = await failure(users.list());
      expect([401, 404]).toContain(after.code);
      expect(await failure(doomedStorage.listBuckets())).toMatchObject({ code: after.code });
      await eventually(
        async () => !existsSync(path.join(uploadsRoot(), `app-${doomed.projectId}`)) || storedObjects(doomed.projectId).length === 0,
        'worker-deletes to remove the project files',
      );

      // Nothing of the project is left in the deployment's tables (worker-deletes' projects handlers).
      const db = await connectDb();
      try {
        const leftovers = async () => {
          const counts: Record<string, number> = {};
          for (const table of [
            'users',
            'sessions',
            'tokens',
            'teams',
            'memberships',
            'keys',
            'platforms',
            'webhooks',
            'domains',
            'buckets',
            'files',
            'databases',
            'collections',
            'audit',
          ]) {
            const [row] = (await db.query(`SELECT COUNT(*) AS n FROM \`${table}\` WHERE _project = ?`, [doomed.projectId])) as { n: bigint | number }[];
            if (Number(row.n)) counts[table] = Number(row.n);
          }
          return counts;
        };
        await eventually(async () => Object.keys(await leftovers()).length === 0, 'the project rows to be deleted').catch(async (error: Error) => {
          throw new Error(`${error.message}; left: ${JSON.stringify(await leftovers())}`);
        });
        const [project] = (await db.query('SELECT COUNT(*) AS n FROM `projects` WHERE _uid = ?', [doomed.projectId])) as { n: bigint | number }[];
        expect(Number(project.n)).toBe(0);
      } finally {
        await db.end();
      }
    });
  });

  describe('more of the contract', () => {
    it('stores files above 20 MB as they are (1.3 compresses and encrypts only up to 20 MB) and reads them back identical', async () => {
      const bucket = await storage.createBucket(sdk.ID.unique(), 'Big codec', undefined, false, true, undefined, undefined, 'gzip', true, false);
      const content = mixedContent(25 * MiB);
      const file = await storage.createFile(bucket.$id, sdk.ID.unique(), sdk.InputFile.fromBuffer(content, 'big.txt'));
      expect(file).toMatchObject({ sizeOriginal: content.length, chunksTotal: 5, signature: md5(content) });
      const stored = storedObjects(consoleSession.projectId).filter((p) => path.basename(p).startsWith(`${file.$id}.`));
      const atRest = readFileSync(path.join(uploadsRoot(), `app-${consoleSession.projectId}`, stored[0]));
      expect(md5(atRest)).toBe(md5(content));
      expect(md5(Buffer.from(await storage.getFileDownload(bucket.$id, file.$id)))).toBe(md5(content));
      const tail = await fetchAs(keyHeaders, `/storage/buckets/${bucket.$id}/files/${file.$id}/download`, {
        range: `bytes=${content.length - 1000}-${content.length - 1}`,
      });
      expect([tail.status, (await bytesOf(tail)).equals(content.subarray(content.length - 1000))]).toEqual([206, true]);
    });

    it('an unfinished upload is listed with its progress, cannot be downloaded, and deleting it removes its chunks', async () => {
      const bucket = await storage.createBucket(sdk.ID.unique(), 'Unfinished', undefined, false, true, undefined, undefined, 'none', false, false);
      const url = `${consoleSession.endpoint}/storage/buckets/${bucket.$id}/files`;
      const first = await postChunk(
        url,
        { ...keyHeaders, 'content-range': `bytes 0-${5 * MiB - 1}/${11 * MiB}` },
        { fileId: 'halfway' },
        'half.bin',
        randomBytes(5 * MiB),
      );
      expect(first).toMatchObject({ status: 201, body: { $id: 'halfway', chunksTotal: 3, chunksUploaded: 1 } });
      expect((await storage.listFiles(bucket.$id)).files).toEqual([expect.objectContaining({ $id: 'halfway', chunksUploaded: 1, chunksTotal: 3 })]);
      const download = await fetchAs(keyHeaders, `/storage/buckets/${bucket.$id}/files/halfway/download`);
      expect(download.status).toBe(404);
      expect(storedObjects(consoleSession.projectId).filter((p) => p.includes('tmp/halfway/'))).toHaveLength(1);
      await storage.deleteFile(bucket.$id, 'halfway');
      expect(storedObjects(consoleSession.projectId).filter((p) => p.includes('tmp/halfway/'))).toEqual([]);
    });

    it('a web SDK upload keeps the permissions it sends (permissions[] fields) and list queries work', async () => {
      const bucket = await storage.createBucket(
        sdk.ID.unique(),
        'Queries',
        [sdk.Permission.create(sdk.Role.users())],
        true,
        true,
        undefined,
        undefined,
        'none',
        false,
        false,
      );
      const user = await signedInUser(consoleSession.projectId, 'lister');
      const userStorage = new web.Storage(user.client);
      const shared = await userStorage.createFile(bucket.$id, web.ID.unique(), new File(['shared'], 'alpha.txt'), [
        web.Permission.read(web.Role.any()),
        web.Permission.update(web.Role.user(user.userId)),
      ]);
      expect(shared.$permissions.sort()).toEqual(['read("any")', `update("user:${user.userId}")`]);
      await userStorage.createFile(bucket.$id, web.ID.unique(), new File(['two'], 'beta.txt'));
      await userStorage.createFile(bucket.$id, web.ID.unique(), new File(['three'], 'gamma.txt'));

      const byName = await storage.listFiles(bucket.$id, [sdk.Query.orderDesc('name'), sdk.Query.limit(2)]);
      expect([byName.total, byName.files.map((f) => f.name)]).toEqual([3, ['gamma.txt', 'beta.txt']]);
      const next = await storage.listFiles(bucket.$id, [sdk.Query.orderDesc('name'), sdk.Query.cursorAfter(byName.files[1].$id)]);
      expect(next.files.map((f) => f.name)).toEqual(['alpha.txt']);
      expect((await storage.listFiles(bucket.$id, undefined, 'beta')).files.map((f) => f.name)).toEqual(['beta.txt']);
      expect(await failure(storage.listFiles(bucket.$id, ['equal("nope", ["x"])']))).toEqual({ code: 400, type: 'general_argument_invalid' });
      expect(await failure(storage.listFiles(bucket.$id, [sdk.Query.cursorAfter('missing')]))).toMatchObject({ code: 400 });
      // A guest sees only the file readable by any.
      const guest = new web.Storage(webClient(consoleSession.projectId).client);
      expect((await guest.listFiles(bucket.$id)).files.map((f) => f.name)).toEqual(['alpha.txt']);
    });

    it('serves the pre-bucket /v1/storage/files routes from the bucket "default"', async () => {
      await storage.createBucket('default', 'Default', undefined, false, true, undefined, undefined, 'none', false, false);
      await storage.createFile('default', 'legacy', sdk.InputFile.fromPlainText('old clients', 'legacy.txt'));
      const listed = await fetchAs(keyHeaders, '/storage/files');
      expect(((await listed.json()) as { files: { $id: string }[] }).files.map((f) => f.$id)).toEqual(['legacy']);
      const download = await fetchAs(keyHeaders, '/storage/files/legacy/download');
      expect([download.status, await download.text()]).toEqual([200, 'old clients']);
    });
  });
});
