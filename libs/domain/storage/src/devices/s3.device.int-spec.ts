import { createHash, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

import { S3Device } from './s3.device';

interface Captured {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string;
}

/**
 * A loopback S3 stand-in: objects in memory, path-style addressing, the calls S3Device makes
 * (PUT/GET with Range/HEAD/DELETE object, ListObjectsV2, multipart create/part/complete/abort).
 * Every request is captured so the test can check the request shapes the SDK produced.
 */
function fakeS3(): Promise<{ server: Server; objects: Map<string, Buffer>; requests: Captured[] }> {
  const objects = new Map<string, Buffer>();
  const uploads = new Map<string, Map<number, Buffer>>();
  const requests: Captured[] = [];
  const body = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const [, bucket, ...rest] = decodeURIComponent(url.pathname).split('/');
    const key = `${bucket}/${rest.join('/')}`;
    requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, authorization: String(req.headers.authorization ?? '') });
    const data = await body(req);
    const q = url.searchParams;
    if (req.method === 'POST' && q.has('uploads')) {
      const id = randomBytes(8).toString('hex');
      uploads.set(id, new Map());
      return res.end(`<?xml version="1.0"?><InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${rest.join('/')}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
    }
    if (req.method === 'PUT' && q.has('uploadId')) {
      uploads.get(q.get('uploadId')!)!.set(Number(q.get('partNumber')), data);
      res.setHeader('etag', `"${createHash('md5').update(data).digest('hex')}"`);
      return res.end();
    }
    if (req.method === 'POST' && q.has('uploadId')) {
      const parts = uploads.get(q.get('uploadId')!)!;
      const numbers = [...data.toString().matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => Number(m[1]));
      objects.set(key, Buffer.concat(numbers.map((n) => parts.get(n)!)));
      uploads.delete(q.get('uploadId')!);
      return res.end(`<?xml version="1.0"?><CompleteMultipartUploadResult><Key>${rest.join('/')}</Key><ETag>"x"</ETag></CompleteMultipartUploadResult>`);
    }
    if (req.method === 'DELETE' && q.has('uploadId')) {
      uploads.delete(q.get('uploadId')!);
      res.statusCode = 204;
      return res.end();
    }
    if (req.method === 'GET' && q.get('list-type') === '2') {
      const prefix = q.get('prefix') ?? '';
      const keys = [...objects.keys()].filter((k) => k.startsWith(`${bucket}/${prefix}`)).map((k) => k.slice(bucket.length + 1));
      const direct = keys.filter((k) => !k.slice(prefix.length).includes('/'));
      return res.end(`<?xml version="1.0"?><ListBucketResult><Name>${bucket}</Name><Prefix>${prefix}</Prefix><KeyCount>${direct.length}</KeyCount><IsTruncated>false</IsTruncated>${direct.map((k) => `<Contents><Key>${k}</Key><Size>${objects.get(`${bucket}/${k}`)!.length}</Size></Contents>`).join('')}</ListBucketResult>`);
    }
    if (req.method === 'PUT') {
      objects.set(key, data);
      res.setHeader('etag', '"x"');
      return res.end();
    }
    const object = objects.get(key);
    if (req.method === 'DELETE') {
      objects.delete(key);
      res.statusCode = 204;
      return res.end();
    }
    if (!object) {
      res.statusCode = 404;
      return res.end(req.method === 'HEAD' ? undefined : '<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>missing</Message></Error>');
    }
    const range = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''));
    const slice = range ? object.subarray(Number(range[1]), Number(range[2]) + 1) : object;
    res.statusCode = range ? 206 : 200;
    res.setHeader('content-length', String(slice.length));
    if (range) res.setHeader('content-range', `bytes ${range[1]}-${range[2]}/${object.length}`);
    res.end(req.method === 'HEAD' ? undefined : slice);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, objects, requests })));
}

describe('S3Device against a loopback S3 stand-in', () => {
  let s3: Awaited<ReturnType<typeof fakeS3>>;
  let sut: S3Device;

  beforeAll(async () => {
    s3 = await fakeS3();
    const { port } = s3.server.address() as AddressInfo;
    sut = new S3Device({ accessKey: 'AKIATEST', secret: 'secret', region: 'us-east-1', bucket: 'appconda', endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, root: 'uploads', partSize: 5 * 1024 * 1024 });
  });

  afterAll(() => {
    sut?.destroy();
    s3?.server.close();
  });

  it('puts a small object in one signed request and reads it back, whole and by range', async () => {
    const data = Buffer.from('small object');
    expect(await sut.write('app-p/bucket-1/a.txt', Readable.from([data]))).toBe(data.length);
    const put = s3.requests.find((r) => r.method === 'PUT');
    expect(put).toMatchObject({ path: '/appconda/uploads/app-p/bucket-1/a.txt' });
    expect(put!.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIATEST\/\d{8}\/us-east-1\/s3\/aws4_request/);
    const read = async (stream: Readable) => Buffer.concat(await stream.toArray());
    expect((await read(await sut.read('app-p/bucket-1/a.txt'))).equals(data)).toBe(true);
    expect((await read(await sut.read('app-p/bucket-1/a.txt', { start: 6, end: 11 }))).toString()).toBe('object');
    expect(await sut.size('app-p/bucket-1/a.txt')).toBe(data.length);
    expect(await sut.exists('app-p/bucket-1/missing.txt')).toBe(false);
  });

  it('streams a large object as a multipart upload (5 MiB parts) and lists, deletes folders', async () => {
    const data = randomBytes(11 * 1024 * 1024 + 7);
    s3.requests.length = 0;
    const chunks = Array.from({ length: 12 }, (_, i) => data.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024));
    expect(await sut.write('app-p/bucket-1/tmp/f1/1.part', Readable.from(chunks))).toBe(data.length);
    expect(s3.requests.filter((r) => r.query.has('partNumber')).map((r) => r.query.get('partNumber'))).toEqual(['1', '2', '3']);
    expect(s3.requests.some((r) => r.method === 'POST' && r.query.has('uploads'))).toBe(true);
    expect(s3.objects.get('appconda/uploads/app-p/bucket-1/tmp/f1/1.part')!.equals(data)).toBe(true);
    await sut.write('app-p/bucket-1/tmp/f1/2.part', Readable.from([Buffer.from('two')]));
    expect((await sut.list('app-p/bucket-1/tmp/f1')).sort()).toEqual(['1.part', '2.part']);
    await sut.deleteDirectory('app-p/bucket-1/tmp/f1');
    expect(await sut.list('app-p/bucket-1/tmp/f1')).toEqual([]);
  });
});
