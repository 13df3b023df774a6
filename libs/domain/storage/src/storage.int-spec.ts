import { createTestApi, TestApi } from '@appconda/testing';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { AddressInfo, createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sdk from 'node-appwrite';

import { StorageApiModule } from './storage-api.module';

const MB = 1024 * 1024;

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
});
