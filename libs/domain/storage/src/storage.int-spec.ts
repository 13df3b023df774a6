import { encodeSession, generateSecret, hashSecret } from '@appconda/auth';
import { DeleteJobType } from '@appconda/contracts';
import { generateId } from '@appconda/core';
import { FileRepository, SessionRepository, UserRepository } from '@appconda/database';
import { EventBus } from '@appconda/transport';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { createTestApi, TestApi, UserFactory } from '@appconda/testing';
import * as web from 'appwrite';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { AddressInfo, createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { request as httpRequest } from 'node:http';
import { join, relative } from 'node:path';
import * as sdk from 'node-appwrite';

import { StorageApiModule } from './storage-api.module';
import { StorageCleanupService } from './storage-cleanup.service';
import { StorageDeletesHandler } from './storage-deletes.handler';

const MB = 1024 * 1024;
const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

/** Compressible but not trivial content: random words. */
function sampleData(bytes: number): Buffer {
  const words = Array.from({ length: 512 }, () => randomBytes(6).toString('base64url'));
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const word = words[(Math.random() * words.length) | 0] + ' ';
    parts.push(word);
    size += word.length;
  }
  return Buffer.from(parts.join('')).subarray(0, bytes);
}

/** Every file under a folder (recursively), as paths relative to it. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(folder, join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name)));
}

/**
 * The web SDK in Node: its bundle swaps the global FormData for the `form-data` package and fetches
 * through cross-fetch (node-fetch), neither of which can send a File. Node 20's own FormData and
 * fetch can, so the test puts them back (a browser has them natively).
 */
async function nativeFormData(): Promise<typeof FormData> {
  const form = await new Request('http://localhost/', { method: 'POST', body: new URLSearchParams('a=1') }).formData();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- patch the SDK's fetch binding, read at call time
  require('cross-fetch').fetch = globalThis.fetch;
  return form.constructor as typeof FormData;
}

/** A multipart body built by hand (the web SDK replaces the global FormData with a Node polyfill). */
function multipartBody(fields: Record<string, string>, file?: { name: string; data: Buffer }): { body: Buffer; type: string } {
  const boundary = `----appconda${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

/** A loopback clamd (INSTREAM) that flags the EICAR test string. */
function fakeClamd(): Promise<Server> {
  const server = createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let streaming = false;
    let infected = false;
    let tail = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!streaming) {
        const end = buffer.indexOf(0);
        if (end < 0) return;
        if (buffer.subarray(0, end).toString() !== 'zINSTREAM') return socket.end('UNKNOWN COMMAND\0');
        buffer = buffer.subarray(end + 1);
        streaming = true;
      }
      while (buffer.length >= 4) {
        const size = buffer.readUInt32BE(0);
        if (size === 0) return socket.end(infected ? 'stream: Eicar-Test-Signature FOUND\0' : 'stream: OK\0');
        if (buffer.length < 4 + size) return;
        const data = Buffer.concat([tail, buffer.subarray(4, 4 + size)]);
        if (data.includes('EICAR-STANDARD-ANTIVIRUS-TEST-FILE')) infected = true;
        tail = data.subarray(Math.max(0, data.length - 64));
        buffer = buffer.subarray(4 + size);
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

describe('storage (real MariaDB/Redis, local device, node-appwrite@9 and appwrite@11)', () => {
  let api: TestApi;
  let clamd: Server;
  let root: string;
  let projectId: string;
  let key: string;
  let storage: sdk.Storage;

  beforeAll(async () => {
    clamd = await fakeClamd();
    root = await mkdtemp(join(tmpdir(), 'appconda-storage-'));
    api = await createTestApi([StorageApiModule], {
      env: {
        _APP_STORAGE_ROOT: root,
        _APP_STORAGE_LIMIT: String(60 * MB),
        _APP_STORAGE_ANTIVIRUS: 'enabled',
        _APP_STORAGE_ANTIVIRUS_HOST: '127.0.0.1',
        _APP_STORAGE_ANTIVIRUS_PORT: String((clamd.address() as AddressInfo).port),
      },
    });
    ({ projectId, key } = await api.seedProject(['buckets.read', 'buckets.write', 'files.read', 'files.write']));
    storage = new sdk.Storage(new sdk.Client().setEndpoint(api.endpoint).setProject(projectId).setKey(key));
  });

  afterAll(async () => {
    await api?.close();
    clamd?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const raw = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(`${api.endpoint}${path}`, { ...init, headers: { 'x-appwrite-project': projectId, 'x-appwrite-key': key, ...(init.headers ?? {}) } });
  const upload = (bucketId: string, fields: Record<string, string>, file: { name: string; data: Buffer } | undefined, headers: Record<string, string> = {}) => {
    const { body, type } = multipartBody(fields, file);
    return raw(`/storage/buckets/${bucketId}/files`, { method: 'POST', body, headers: { 'content-type': type, ...headers } });
  };

  describe('buckets', () => {
    it('creates with 1.3 defaults, gets, lists with queries, updates and deletes', async () => {
      const bucket = await storage.createBucket('photos', 'Photos');
      expect(bucket).toEqual({
        $id: 'photos',
        $createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/),
        $updatedAt: expect.any(String),
        $permissions: [],
        fileSecurity: false,
        name: 'Photos',
        enabled: true,
        maximumFileSize: 60 * MB,
        allowedFileExtensions: [],
        compression: 'none',
        encryption: true,
        antivirus: true,
      });
      const other = await storage.createBucket(sdk.ID.unique(), 'Docs', [sdk.Permission.write(sdk.Role.users())], true, true, 1000, ['pdf'], 'gzip', false, false);
      expect(other.$permissions).toEqual(['create("users")', 'update("users")', 'delete("users")']);
      expect(other).toMatchObject({ fileSecurity: true, maximumFileSize: 1000, allowedFileExtensions: ['pdf'], compression: 'gzip', encryption: false, antivirus: false });
      expect(await storage.getBucket('photos')).toEqual(bucket);
      const list = await storage.listBuckets([sdk.Query.equal('name', 'Docs')]);
      expect(list.total).toBe(1);
      expect(list.buckets[0].$id).toBe(other.$id);
      expect((await storage.listBuckets(undefined, 'Photos')).buckets.map((b) => b.$id)).toEqual(['photos']);
      const updated = await storage.updateBucket(other.$id, 'Documents', undefined, undefined, false);
      expect(updated).toMatchObject({ name: 'Documents', enabled: false, fileSecurity: false, maximumFileSize: 1000, compression: 'gzip', $permissions: other.$permissions });
      await storage.deleteBucket(other.$id);
      await expect(storage.getBucket(other.$id)).rejects.toMatchObject({ code: 404, type: 'storage_bucket_not_found' });
    });

    it('refuses duplicates, a size above _APP_STORAGE_LIMIT, bad compression and non-key callers', async () => {
      await expect(storage.createBucket('photos', 'Again')).rejects.toMatchObject({ code: 409, type: 'storage_bucket_already_exists' });
      await expect(storage.createBucket('big', 'Big', undefined, undefined, undefined, 61 * MB)).rejects.toMatchObject({ code: 400, type: 'general_argument_invalid' });
      await expect(storage.createBucket('zip', 'Zip', undefined, undefined, undefined, undefined, undefined, 'brotli')).rejects.toMatchObject({ code: 400, type: 'general_argument_invalid' });
      const guest = new sdk.Storage(new sdk.Client().setEndpoint(api.endpoint).setProject(projectId));
      await expect(guest.listBuckets()).rejects.toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
    });
  });

  describe('files with an API key', () => {
    it('uploads a small file, gets, lists, downloads byte-identical, serves ranges and updates/deletes', async () => {
      const bucket = await storage.createBucket(sdk.ID.unique(), 'Small', [], false, true, undefined, undefined, 'none', false, false);
      const content = Buffer.from('hello appconda storage\n'.repeat(100));
      const file = await storage.createFile(bucket.$id, sdk.ID.unique(), sdk.InputFile.fromBuffer(content, 'hello.txt'));
      expect(file).toEqual({
        $id: expect.any(String),
        bucketId: bucket.$id,
        $createdAt: expect.any(String),
        $updatedAt: expect.any(String),
        $permissions: [],
        name: 'hello.txt',
        signature: md5(content),
        mimeType: 'text/plain',
        sizeOriginal: content.length,
        chunksTotal: 1,
        chunksUploaded: 1,
      });
      expect(await storage.getFile(bucket.$id, file.$id)).toEqual(file);
      const list = await storage.listFiles(bucket.$id, [sdk.Query.equal('name', 'hello.txt')]);
      expect(list).toEqual({ total: 1, files: [file] });
      const downloaded = Buffer.from(await storage.getFileDownload(bucket.$id, file.$id));
      expect(downloaded.equals(content)).toBe(true);

      const ranged = await raw(`/storage/buckets/${bucket.$id}/files/${file.$id}/download`, { headers: { range: 'bytes=6-15' } });
      expect(ranged.status).toBe(206);
      expect(ranged.headers.get('content-range')).toBe(`bytes 6-15/${content.length}`);
      expect(Buffer.from(await ranged.arrayBuffer()).equals(content.subarray(6, 16))).toBe(true);
      const beyond = await raw(`/storage/buckets/${bucket.$id}/files/${file.$id}/download`, { headers: { range: `bytes=10-${content.length}` } });
      expect(beyond.status).toBe(416);
      expect(((await beyond.json()) as { type: string }).type).toBe('storage_invalid_range');
      const badUnit = await raw(`/storage/buckets/${bucket.$id}/files/${file.$id}/view`, { headers: { range: 'items=0-3' } });
      expect(badUnit.status).toBe(416);

      const updated = await storage.updateFile(bucket.$id, file.$id, [sdk.Permission.read(sdk.Role.any()), sdk.Permission.write(sdk.Role.users())]);
      expect(updated.$permissions).toEqual(['read("any")', 'update("users")', 'delete("users")']);
      await storage.deleteFile(bucket.$id, file.$id);
      await expect(storage.getFile(bucket.$id, file.$id)).rejects.toMatchObject({ code: 404, type: 'storage_file_not_found' });
      await expect(storage.getFileDownload(bucket.$id, file.$id)).rejects.toMatchObject({ code: 404 });
    });
  });

  describe('protocol details', () => {
    let bucketId: string;
    beforeAll(async () => {
      bucketId = (await storage.createBucket(sdk.ID.unique(), 'Protocol', [], false, true, undefined, undefined, 'none', false, false)).$id;
    });

    it('answers a GET sent with a multipart content type (node SDK resume probe) and uploads with a custom id', async () => {
      const probe = await raw(`/storage/buckets/${bucketId}/files/custom-id`, { headers: { 'content-type': 'multipart/form-data; boundary=xyz' } });
      expect(probe.status).toBe(404);
      expect(((await probe.json()) as { type: string }).type).toBe('storage_file_not_found');
      const file = await storage.createFile(bucketId, 'custom-id', sdk.InputFile.fromPlainText('custom', 'custom.txt'));
      expect(file.$id).toBe('custom-id');
      const again = await raw(`/storage/buckets/${bucketId}/files/custom-id`, { headers: { 'content-type': 'multipart/form-data' } });
      expect(again.status).toBe(200);
      // (node-appwrite@9 itself never re-sends: its resume skips every chunk once chunksUploaded > 0.)
      const duplicate = await upload(bucketId, { fileId: 'custom-id' }, { name: 'custom.txt', data: Buffer.from('again') });
      expect(duplicate.status).toBe(409);
    });

    it('takes a single-shot upload above the 10 MB JSON body limit, up to the bucket limit', async () => {
      const data = randomBytes(12 * MB);
      const res = await upload(bucketId, { fileId: 'single-shot', 'permissions[]': 'read("any")' }, { name: 'single.bin', data });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ $id: 'single-shot', sizeOriginal: data.length, chunksTotal: 1, chunksUploaded: 1, signature: md5(data), $permissions: ['read("any")'] });
    });

    it('accepts chunks out of order and a repeated chunk, completing once every chunk is in', async () => {
      const data = randomBytes(3 * 1024 + 100);
      const size = data.length;
      const send = (start: number, end: number) => upload(bucketId, { fileId: 'unordered' }, { name: 'u.bin', data: data.subarray(start, Math.min(end + 1, size)) }, { 'content-range': `bytes ${start}-${end}/${size}` });
      expect(await (await send(1024, 2047)).json()).toMatchObject({ chunksTotal: 4, chunksUploaded: 1 });
      expect(await (await send(0, 1023)).json()).toMatchObject({ chunksTotal: 4, chunksUploaded: 2 });
      expect(await (await send(0, 1023)).json()).toMatchObject({ chunksTotal: 4, chunksUploaded: 2 });
      expect(await (await send(3072, size)).json()).toMatchObject({ chunksTotal: 4, chunksUploaded: 3, signature: '' });
      const done = await (await send(2048, 3071)).json();
      expect(done).toMatchObject({ chunksTotal: 4, chunksUploaded: 4, sizeOriginal: size, signature: md5(data) });
      expect(Buffer.from(await storage.getFileDownload(bucketId, 'unordered')).equals(data)).toBe(true);
    });

    it('leaves nothing behind when a client aborts in the middle of a file part', async () => {
      const { body, type } = multipartBody({ fileId: 'aborted' }, { name: 'aborted.bin', data: randomBytes(3 * MB) });
      const url = new URL(`${api.endpoint}/storage/buckets/${bucketId}/files`);
      await new Promise<void>((resolve) => {
        const req = httpRequest(url, { method: 'POST', headers: { 'x-appwrite-project': projectId, 'x-appwrite-key': key, 'content-type': type, 'content-length': String(body.length) } });
        req.on('error', () => resolve());
        req.write(body.subarray(0, MB), () => setTimeout(() => {
          req.destroy();
          resolve();
        }, 200));
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await expect(storage.getFile(bucketId, 'aborted')).rejects.toMatchObject({ code: 404 });
      expect((await filesUnder(join(root, 'uploads'))).filter((path) => path.includes('aborted') || path.endsWith('.tmp'))).toEqual([]);
    });

    it('emits the 1.3 events and audit entries for bucket and file changes', async () => {
      const publish = jest.spyOn(api.app.get(EventBus), 'publish');
      const bucket = await storage.createBucket(sdk.ID.unique(), 'Events');
      const file = await storage.createFile(bucket.$id, sdk.ID.unique(), sdk.InputFile.fromPlainText('e', 'e.txt'));
      await storage.updateFile(bucket.$id, file.$id, [sdk.Permission.read(sdk.Role.any())]);
      await storage.deleteFile(bucket.$id, file.$id);
      const events = publish.mock.calls.flatMap(([event]) => event.events);
      publish.mockRestore();
      expect(events).toEqual(
        expect.arrayContaining([
          `buckets.${bucket.$id}.create`,
          `buckets.${bucket.$id}.files.${file.$id}.create`,
          `buckets.${bucket.$id}.files.${file.$id}.update`,
          `buckets.${bucket.$id}.files.${file.$id}.delete`,
          `buckets.*.files.*.create`,
        ]),
      );
      let entries: { event: string; resource: string }[] = [];
      for (let attempt = 0; attempt < 20 && entries.length < 4; attempt++) {
        entries = (await api.queuedAudits()).filter((entry) => entry.resource.includes(file.$id) || entry.resource === `buckets/${bucket.$id}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(entries.map((entry) => `${entry.event} ${entry.resource}`).sort()).toEqual(
        [`bucket.create buckets/${bucket.$id}`, `file.create files/${file.$id}`, `file.delete file/${file.$id}`, `file.update files/${file.$id}`].sort(),
      );
    });

    it('serves the legacy /v1/storage/files routes from the bucket `default`', async () => {
      await storage.createBucket('default', 'Default', [], false, true, undefined, undefined, 'none', false, false);
      const res = await upload('default', { fileId: 'legacy' }, { name: 'legacy.txt', data: Buffer.from('legacy') });
      expect(res.status).toBe(201);
      const get = await raw('/storage/files/legacy');
      expect(await get.json()).toMatchObject({ $id: 'legacy', bucketId: 'default' });
      const view = await raw('/storage/files/legacy/view');
      expect(await view.text()).toBe('legacy');
    });
  });

  describe('compression and encryption', () => {
    it.each(['none', 'gzip', 'zstd'])('stores %s + AES-256-GCM and returns identical bytes (7 MB, chunked)', async (compression) => {
      const bucket = await storage.createBucket(sdk.ID.unique(), `Enc ${compression}`, [], false, true, undefined, undefined, compression, true, false);
      const content = sampleData(7 * MB + 123);
      const file = await storage.createFile(bucket.$id, sdk.ID.unique(), sdk.InputFile.fromBuffer(content, 'words.txt'));
      expect(file).toMatchObject({ chunksTotal: 2, chunksUploaded: 2, sizeOriginal: content.length, signature: md5(content), mimeType: 'text/plain' });
      const row = await api.app.get(FileRepository).findOne(projectId, { uid: file.$id });
      expect(row).toMatchObject({ openSSLCipher: 'aes-256-gcm', openSSLVersion: '1', algorithm: compression === 'none' ? '' : compression });
      expect(row!.openSSLIV).toMatch(/^[0-9a-f]{24}$/);
      expect(row!.openSSLTag).toMatch(/^[0-9a-f]{32}$/);
      const stored = await readFile(join(root, 'uploads', row!.path));
      expect(stored.includes(content.subarray(1000, 1064))).toBe(false);
      if (compression !== 'none') expect(stored.length).toBeLessThan(content.length / 2);
      const downloaded = Buffer.from(await storage.getFileDownload(bucket.$id, file.$id));
      expect(md5(downloaded)).toBe(md5(content));
      const ranged = await raw(`/storage/buckets/${bucket.$id}/files/${file.$id}/download`, { headers: { range: `bytes=${5 * MB - 10}-${5 * MB + 9}` } });
      expect(ranged.status).toBe(206);
      expect(Buffer.from(await ranged.arrayBuffer()).equals(content.subarray(5 * MB - 10, 5 * MB + 10))).toBe(true);
      expect(await filesUnder(join(root, 'uploads', `app-${projectId}`, `bucket-${row!.bucketInternalId}`, 'tmp'))).toEqual([]);
    });
  });

  describe('rejections', () => {
    let bucketId: string;
    beforeAll(async () => {
      bucketId = (await storage.createBucket(sdk.ID.unique(), 'Strict', [], false, true, 6 * MB, ['png', 'txt'], 'none', false, true)).$id;
    });

    it('refuses extensions, sizes, disabled buckets, empty bodies and bad ranges as 1.3', async () => {
      await expect(storage.createFile(bucketId, sdk.ID.unique(), sdk.InputFile.fromBuffer(Buffer.from('x'), 'a.exe'))).rejects.toMatchObject({ code: 400, type: 'storage_file_type_unsupported' });
      await expect(storage.createFile(bucketId, sdk.ID.unique(), sdk.InputFile.fromBuffer(Buffer.alloc(6 * MB + 1, 1), 'big.txt'))).rejects.toMatchObject({ code: 400, type: 'storage_invalid_file_size' });
      const badRange = await upload(bucketId, { fileId: 'unique()' }, { name: 'a.txt', data: Buffer.from('abc') }, { 'content-range': 'bytes 9-1/3' });
      expect(badRange.status).toBe(400);
      expect(((await badRange.json()) as { type: string }).type).toBe('storage_invalid_content_range');
      const empty = await upload(bucketId, { fileId: 'unique()' }, undefined);
      expect(((await empty.json()) as { type: string }).type).toBe('storage_file_empty');
      await expect(storage.getFile(bucketId, 'missing')).rejects.toMatchObject({ code: 404, type: 'storage_file_not_found' });
      await expect(storage.createFile('nope', sdk.ID.unique(), sdk.InputFile.fromBuffer(Buffer.from('x'), 'a.txt'))).rejects.toMatchObject({ code: 404, type: 'storage_bucket_not_found' });
      const disabled = await storage.createBucket(sdk.ID.unique(), 'Off', [], false, false);
      await expect(storage.createFile(disabled.$id, sdk.ID.unique(), sdk.InputFile.fromBuffer(Buffer.from('x'), 'a.txt'))).rejects.toMatchObject({ code: 404, type: 'storage_bucket_not_found' });
      await expect(storage.listFiles(disabled.$id)).rejects.toMatchObject({ code: 404, type: 'storage_bucket_not_found' });
      await expect(storage.createFile(bucketId, 'bad id!', sdk.InputFile.fromBuffer(Buffer.from('x'), 'a.txt'))).rejects.toMatchObject({ code: 400, type: 'general_argument_invalid' });
      await expect(storage.createFile(bucketId, sdk.ID.unique(), sdk.InputFile.fromBuffer(Buffer.from('x'), 'a.txt'), ['read("nobody")'])).rejects.toMatchObject({ code: 400, type: 'general_argument_invalid' });
      const leftovers = (await filesUnder(join(root, 'uploads'))).filter((path) => path.includes('/tmp/') || path.startsWith('tmp/'));
      expect(leftovers).toEqual([]);
    });

    it('refuses an infected file found by clamd and keeps no chunk of it', async () => {
      const clean = await storage.createFile(bucketId, sdk.ID.unique(), sdk.InputFile.fromBuffer(Buffer.from('clean text'), 'ok.txt'));
      expect(clean.chunksUploaded).toBe(1);
      const fileId = sdk.ID.unique();
      await expect(storage.createFile(bucketId, fileId, sdk.InputFile.fromBuffer(Buffer.from(EICAR), 'eicar.txt'))).rejects.toMatchObject({ code: 403, type: 'storage_invalid_file' });
      const files = await storage.listFiles(bucketId);
      expect(files.files.map((file) => file.$id)).toEqual([clean.$id]);
      expect((await filesUnder(join(root, 'uploads'))).filter((path) => path.includes('/tmp/') || path.endsWith('.txt') && path.includes('eicar'))).toEqual([]);
    });
  });

  describe('user sessions and file security', () => {
    let bucketId: string;
    const sessions: { userId: string; cookie: string; fallback: string }[] = [];

    async function seedUser() {
      const user = await UserFactory.from({ emailVerification: true }).create(api.app.get(UserRepository), projectId);
      const secret = generateSecret();
      await api.app.get(SessionRepository).create(projectId, { uid: generateId(), userInternalId: user.internalId, userId: user.uid, provider: 'email', providerUid: user.email ?? '', secret: hashSecret(secret), expire: new Date(Date.now() + 3600_000) });
      const value = encodeSession({ id: user.uid, secret });
      return { userId: user.uid, cookie: `a_session_${projectId}=${value}`, fallback: JSON.stringify({ [`a_session_${projectId}`]: value }) };
    }

    /** The web SDK in Node: a localStorage polyfill carrying the session as X-Fallback-Cookies. */
    async function webClient(fallback: string): Promise<web.Storage> {
      const store = new Map<string, string>([['cookieFallback', fallback]]);
      const localStorage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) };
      Object.assign(globalThis, { window: Object.assign((globalThis as Record<string, unknown>).window ?? {}, { localStorage }), localStorage, FormData: await nativeFormData() });
      return new web.Storage(new web.Client().setEndpoint(api.endpoint).setProject(projectId));
    }

    beforeAll(async () => {
      bucketId = (await storage.createBucket(sdk.ID.unique(), 'Users', [sdk.Permission.create(sdk.Role.users())], true, true, undefined, undefined, 'gzip', true, false)).$id;
      sessions.push(await seedUser(), await seedUser());
    });

    afterAll(() => {
      delete (globalThis as Record<string, unknown>).window;
      delete (globalThis as Record<string, unknown>).localStorage;
    });

    it('lets a user upload with the web SDK (owner permissions by default) and hides the file from others', async () => {
      const [alice, bob] = sessions;
      const aliceStorage = await webClient(alice.fallback);
      const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
      const file = await aliceStorage.createFile(bucketId, web.ID.unique(), new File([html], 'page.html', { type: 'text/html' }));
      expect(file.$permissions).toEqual([`read("user:${alice.userId}")`, `update("user:${alice.userId}")`, `delete("user:${alice.userId}")`]);
      expect(file.mimeType).toBe('text/html');
      expect((await aliceStorage.listFiles(bucketId)).total).toBe(1);

      // The web SDK builds view URLs with project= and relies on the session cookie.
      const viewUrl = aliceStorage.getFileView(bucketId, file.$id).toString();
      expect(viewUrl).toContain(`project=${projectId}`);
      const view = await fetch(viewUrl, { headers: { cookie: alice.cookie } });
      expect(view.status).toBe(200);
      expect(view.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(view.headers.get('x-content-type-options')).toBe('nosniff');
      expect(view.headers.get('content-security-policy')).toContain("script-src 'none'");
      expect(view.headers.get('content-disposition')).toBe(`inline; filename="page.html"; filename*=UTF-8''page.html`);
      expect(Buffer.from(await view.arrayBuffer()).equals(html)).toBe(true);
      const download = await fetch(aliceStorage.getFileDownload(bucketId, file.$id).toString(), { headers: { cookie: alice.cookie } });
      expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="page.html"/);
      expect(download.headers.get('content-type')).toMatch(/^text\/html/);

      const bobStorage = await webClient(bob.fallback);
      await expect(bobStorage.getFile(bucketId, file.$id)).rejects.toMatchObject({ code: 404, type: 'storage_file_not_found' });
      const bobView = await fetch(aliceStorage.getFileView(bucketId, file.$id).toString(), { headers: { cookie: bob.cookie } });
      expect(bobView.status).toBe(404);
      expect(await bobStorage.listFiles(bucketId)).toEqual({ total: 0, files: [] });
      await expect(bobStorage.deleteFile(bucketId, file.$id)).rejects.toMatchObject({ code: 401, type: 'user_unauthorized' });
      await expect(bobStorage.createFile(bucketId, web.ID.unique(), new File([Buffer.from('x')], 'x.txt'), [web.Permission.read(web.Role.user(alice.userId))])).rejects.toMatchObject({
        code: 401,
        type: 'user_unauthorized',
      });
      const shared = await bobStorage.createFile(bucketId, web.ID.unique(), new File([Buffer.from('for everyone')], 'shared.txt'), [web.Permission.read(web.Role.users())]);
      expect((await (await webClient(alice.fallback)).listFiles(bucketId)).total).toBe(2);
      expect((await (await webClient(bob.fallback)).listFiles(bucketId)).files.map((f) => f.$id)).toEqual([shared.$id]);
      const closed = await storage.createBucket(web.ID.unique(), 'Closed', [sdk.Permission.create(sdk.Role.users())], false);
      await expect(bobStorage.listFiles(closed.$id)).rejects.toMatchObject({ code: 401, type: 'user_unauthorized' });
      const guest = new web.Storage(new web.Client().setEndpoint(api.endpoint).setProject(projectId));
      delete (globalThis as Record<string, unknown>).window;
      // Guests hold files.read (1.3 roles); with file security they see only what they may read.
      expect(await guest.listFiles(bucketId)).toEqual({ total: 0, files: [] });
    });
  });

  describe('cleanup', () => {
    it('sweeps abandoned chunked uploads and deletes the files of a deleted bucket', async () => {
      const bucket = await storage.createBucket(sdk.ID.unique(), 'Temp', [], false, true, undefined, undefined, 'none', false, false);
      const first = await upload(bucket.$id, { fileId: 'abandoned' }, { name: 'part.bin', data: Buffer.alloc(1024, 7) }, { 'content-range': `bytes 0-1023/${3 * 1024}` });
      expect(first.status).toBe(201);
      expect(await first.json()).toMatchObject({ $id: 'abandoned', chunksTotal: 3, chunksUploaded: 1 });
      expect((await filesUnder(join(root, 'uploads'))).some((path) => path.includes('/tmp/abandoned/'))).toBe(true);
      const cleanup = api.app.get(StorageCleanupService);
      expect(await cleanup.sweepStaleUploads(projectId, 60_000)).toBe(0);
      expect(await cleanup.sweepStaleUploads(projectId, 0, new Date(Date.now() + 1000))).toBe(1);
      await expect(storage.getFile(bucket.$id, 'abandoned')).rejects.toMatchObject({ code: 404 });
      expect((await filesUnder(join(root, 'uploads'))).some((path) => path.includes('/tmp/abandoned/'))).toBe(false);

      const kept = await storage.createFile(bucket.$id, sdk.ID.unique(), sdk.InputFile.fromBuffer(Buffer.from('bye'), 'bye.txt'));
      const row = await api.app.get(FileRepository).findOne(projectId, { uid: kept.$id });
      await storage.deleteBucket(bucket.$id);
      // What worker-deletes runs for the `buckets` job the delete enqueued.
      const deletes = api.app.get<Queue>(getQueueToken('v1-deletes'), { strict: false });
      const job = (await deletes.getJobs(['waiting', 'delayed'])).find((queued) => queued.data.document?.$id === bucket.$id);
      expect(job?.data).toEqual({ type: 'buckets', projectId, document: { $id: bucket.$id, $internalId: String(row!.bucketInternalId), collection: 'buckets' } });
      expect(await api.app.get(StorageDeletesHandler).handle(job!.data)).toEqual({ files: 1 });
      expect((await filesUnder(join(root, 'uploads'))).some((path) => path.includes(`bucket-${row!.bucketInternalId}/`))).toBe(false);

      // A deleted project: its storage folder, buckets and files go; other projects keep theirs.
      const other = await api.seedProject(['buckets.write', 'files.write']);
      const otherStorage = new sdk.Storage(new sdk.Client().setEndpoint(api.endpoint).setProject(other.projectId).setKey(other.key));
      const otherBucket = await otherStorage.createBucket(sdk.ID.unique(), 'Other');
      await otherStorage.createFile(otherBucket.$id, sdk.ID.unique(), sdk.InputFile.fromPlainText('other', 'o.txt'));
      const before = (await filesUnder(join(root, 'uploads'))).filter((path) => path.startsWith(`app-${projectId}/`)).length;
      await api.app.get(StorageDeletesHandler).handle({ type: DeleteJobType.Projects, projectId: other.projectId, document: { $id: other.projectId } });
      expect((await filesUnder(join(root, 'uploads'))).filter((path) => path.startsWith(`app-${other.projectId}/`))).toEqual([]);
      expect(await api.app.get(FileRepository).count(other.projectId)).toBe(0);
      expect((await filesUnder(join(root, 'uploads'))).filter((path) => path.startsWith(`app-${projectId}/`)).length).toBe(before);
    });
  });

  describe('resumable upload', () => {
    it('continues an interrupted chunked upload from chunksUploaded (web SDK) and ends with identical bytes', async () => {
      const bucket = await storage.createBucket(sdk.ID.unique(), 'Resume', [], false, true, undefined, undefined, 'gzip', true, false);
      const content = sampleData(12 * MB + 5);
      const size = content.length;
      // Interrupted: chunk 1 arrives (as the SDK sends it), then the client goes away.
      const first = await upload(bucket.$id, { fileId: 'resumed' }, { name: 'resume.txt', data: content.subarray(0, 5 * MB) }, { 'content-range': `bytes 0-${5 * MB - 1}/${size}` });
      expect(await first.json()).toMatchObject({ $id: 'resumed', chunksTotal: 3, chunksUploaded: 1, mimeType: '', signature: '' });
      await expect(storage.getFileDownload(bucket.$id, 'resumed')).rejects.toMatchObject({ code: 404 });
      // The retry: the SDK asks for the file, skips the chunks already there and sends the rest.
      const store = new Map<string, string>();
      Object.assign(globalThis, { window: { localStorage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) } }, FormData: await nativeFormData() });
      const client = new web.Client().setEndpoint(api.endpoint).setProject(projectId);
      client.headers['X-Appwrite-Key'] = key;
      const progress: number[] = [];
      const file = await new web.Storage(client).createFile(bucket.$id, 'resumed', new File([content], 'resume.txt'), undefined, (p) => progress.push(p.chunksUploaded));
      delete (globalThis as Record<string, unknown>).window;
      expect(progress).toEqual([2, 3]);
      expect(file).toMatchObject({ $id: 'resumed', chunksTotal: 3, chunksUploaded: 3, sizeOriginal: size, signature: md5(content), mimeType: 'text/plain' });
      expect(md5(Buffer.from(await storage.getFileDownload(bucket.$id, 'resumed')))).toBe(md5(content));
    });
  });

  // SLOW (~10 s): 50 MB through the node SDK's 5 MB chunking, with memory sampling.
  describe('large upload (slow)', () => {
    it('uploads 50 MB in 5 MB chunks with flat memory and downloads it byte-identical', async () => {
      const bucket = await storage.createBucket(sdk.ID.unique(), 'Large', [], false, true, undefined, undefined, 'none', false, false);
      const path = join(root, 'large.bin');
      const hash = createHash('md5');
      const out = createWriteStream(path);
      for (let i = 0; i < 50; i++) {
        const block = randomBytes(MB);
        hash.update(block);
        if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
      await new Promise<void>((resolve) => out.end(() => resolve()));
      const expected = hash.digest('hex');
      const size = 50 * MB;

      global.gc?.();
      const before = process.memoryUsage();
      let peakRss = before.rss;
      let peakHeap = before.heapUsed;
      const sampler = setInterval(() => {
        const now = process.memoryUsage();
        peakRss = Math.max(peakRss, now.rss);
        peakHeap = Math.max(peakHeap, now.heapUsed);
      }, 20);
      const started = Date.now();
      const progress: number[] = [];
      // node-appwrite's typings omit createFile's onProgress argument, which the code has.
      const createFile = storage.createFile.bind(storage) as unknown as (...args: unknown[]) => Promise<sdk.Models.File>;
      const file = await createFile(bucket.$id, sdk.ID.unique(), sdk.InputFile.fromPath(path, 'large.bin'), undefined, (p: { chunksUploaded: number }) => progress.push(p.chunksUploaded));
      clearInterval(sampler);
      const seconds = (Date.now() - started) / 1000;
      const fileId = file.$id;
      expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(file).toMatchObject({ chunksTotal: 10, chunksUploaded: 10, sizeOriginal: size, signature: expected, mimeType: 'application/octet-stream' });

      const download = await raw(`/storage/buckets/${bucket.$id}/files/${fileId}/download`);
      expect(download.headers.get('content-length')).toBe(String(size));
      const received = createHash('md5');
      for await (const chunk of download.body as unknown as AsyncIterable<Uint8Array>) received.update(chunk);
      expect(received.digest('hex')).toBe(expected);
      const middle = await raw(`/storage/buckets/${bucket.$id}/files/${fileId}/view`, { headers: { range: `bytes=${30 * MB}-${30 * MB + 99}` } });
      expect(middle.status).toBe(206);
      const expectedMiddle = await new Promise<Buffer>((resolve) => {
        const parts: Buffer[] = [];
        createReadStream(path, { start: 30 * MB, end: 30 * MB + 99 }).on('data', (d) => parts.push(d as Buffer)).on('end', () => resolve(Buffer.concat(parts)));
      });
      expect(Buffer.from(await middle.arrayBuffer()).equals(expectedMiddle)).toBe(true);

      const rssGrowth = (peakRss - before.rss) / MB;
      const heapGrowth = (peakHeap - before.heapUsed) / MB;
      process.stdout.write(`storage-memory: 50 MB upload (10 chunks, node SDK fromPath) in ${seconds.toFixed(1)} s; peak rss +${rssGrowth.toFixed(1)} MB, peak heap +${heapGrowth.toFixed(1)} MB\n`);
      // The SDK holds one 5 MB chunk plus its multipart copy; the server streams. Nothing near 50 MB.
      expect(rssGrowth).toBeLessThan(40);
      expect(heapGrowth).toBeLessThan(40);
    }, 60_000);
  });
});
