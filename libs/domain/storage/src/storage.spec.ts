import { Readable } from 'node:stream';

import { compressStream, decompressStream, decryptStream, encryptStream, fileEncryptionKey, newFileIv, sliceStream } from './codecs';
import { parseRange } from './files.service';
import { sniffMimeType, viewContentType } from './mime';
import { chunkOf, parseContentRange } from './chunked-upload';

async function run(data: Buffer, ...stages: NodeJS.ReadWriteStream[]): Promise<Buffer> {
  let stream: NodeJS.ReadableStream = Readable.from([data.subarray(0, 1000), data.subarray(1000)]);
  for (const stage of stages) stream = stream.pipe(stage);
  return Buffer.concat(await (stream as Readable).toArray());
}

describe('storage codecs', () => {
  const data = Buffer.from('abcdefghij'.repeat(300_000));

  it.each(['gzip', 'zstd'])('round-trips %s compression', async (algorithm) => {
    const packed = await run(data, compressStream(algorithm));
    expect(packed.length).toBeLessThan(data.length / 10);
    expect((await run(packed, decompressStream(algorithm))).equals(data)).toBe(true);
  });

  it('encrypts with AES-256-GCM and refuses a wrong tag', async () => {
    const key = fileEncryptionKey('secret');
    const iv = newFileIv();
    const cipher = encryptStream(key, iv);
    const sealed = await run(data, cipher);
    expect(sealed.equals(data)).toBe(false);
    expect((await run(sealed, decryptStream(key, iv, cipher.authTag()))).equals(data)).toBe(true);
    await expect(run(sealed, decryptStream(key, iv, Buffer.alloc(16)))).rejects.toThrow();
  });

  it('slices a byte range out of a stream', async () => {
    expect((await run(data, sliceStream(995, 1004))).toString()).toBe(data.subarray(995, 1005).toString());
  });
});

describe('ranges and chunks (1.3 rules)', () => {
  it('parses Range like 1.3: open end, start >= end and out-of-bounds refused', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=10-', 100)).toEqual({ start: 10, end: 99 });
    expect(parseRange(undefined, 100)).toBeUndefined();
    for (const bad of ['bytes=5-5', 'bytes=0-100', 'items=0-1', 'bytes=-5']) expect(() => parseRange(bad, 100)).toThrow(expect.objectContaining({ type: 'storage_invalid_range', code: 416 }));
  });

  it('numbers chunks from Content-Range with the SDK off-by-one on the last chunk', () => {
    const MB5 = 5 * 1024 * 1024;
    expect(chunkOf(parseContentRange(`bytes 0-${MB5 - 1}/12582912`))).toEqual({ chunk: 1, chunks: 3, last: false });
    expect(chunkOf(parseContentRange(`bytes ${MB5}-${2 * MB5 - 1}/12582912`))).toEqual({ chunk: 2, chunks: 3, last: false });
    expect(chunkOf(parseContentRange(`bytes ${2 * MB5}-12582912/12582912`)).last).toBe(true);
    expect(() => parseContentRange('bytes 5-1/10')).toThrow(expect.objectContaining({ type: 'storage_invalid_content_range' }));
    expect(() => parseContentRange('5-1/10')).toThrow(expect.objectContaining({ type: 'storage_invalid_content_range' }));
  });
});

describe('mime types', () => {
  it.each([
    [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), 'image/png'],
    [Buffer.from('%PDF-1.7'), 'application/pdf'],
    [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'), 'image/svg+xml'],
    [Buffer.from('<!DOCTYPE html><p>x'), 'text/html'],
    [Buffer.from('{"a":1}'), 'application/json'],
    [Buffer.from('plain words'), 'text/plain'],
    [Buffer.from([0, 1, 2, 3, 250]), 'application/octet-stream'],
  ])('sniffs %#', (head, type) => expect(sniffMimeType(head)).toBe(type));

  it('serves only passive types as they are on view', () => {
    expect(viewContentType('image/png')).toBe('image/png');
    expect(viewContentType('application/pdf')).toBe('application/pdf');
    expect(viewContentType('video/mp4')).toBe('video/mp4');
    for (const active of ['text/html', 'image/svg+xml', 'application/json', 'text/xml', 'application/javascript']) expect(viewContentType(active)).toBe('text/plain');
  });
});
