import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as sdk from 'node-appwrite';

import { bootstrapConsole, ConsoleSession } from '../../support/console';
import { rssMb, SideApi, startSideApi } from './side-api';

// SLOW (~10-20 s): the 50 MB upload. It measures the SERVER's resident memory (/proc/<pid>/status
// VmRSS) before, during and after the node SDK uploads 50 MB in 5 MiB chunks, then downloads it.
//
// 50 MB is above the default _APP_STORAGE_LIMIT (30 MB) that `appconda all` runs with. When the run
// sets a larger _APP_STORAGE_LIMIT (global-setup passes the environment through), the one-process
// deployment (APPCONDA_E2E_PID) is measured; otherwise a second `appconda api` of the same deployment
// with _APP_STORAGE_LIMIT=100000000 serves the upload and its pid is measured.

const MB = 1024 * 1024;
const SIZE = 50 * MB;

describe('50 MB upload with flat server memory (SLOW)', () => {
  let consoleSession: ConsoleSession;
  let side: SideApi | undefined;
  let target: { endpoint: string; pid: number; label: string };
  let dir: string;

  beforeAll(async () => {
    consoleSession = await bootstrapConsole('large');
    if (Number(process.env._APP_STORAGE_LIMIT ?? 30_000_000) >= SIZE) {
      target = { endpoint: consoleSession.endpoint, pid: Number(process.env.APPCONDA_E2E_PID), label: 'appconda all (APPCONDA_E2E_PID)' };
    } else {
      side = await startSideApi({ _APP_STORAGE_LIMIT: '100000000' });
      target = { endpoint: side.endpoint, pid: side.pid, label: 'second appconda api, _APP_STORAGE_LIMIT=100000000' };
    }
    dir = mkdtempSync(path.join(tmpdir(), 'appconda-e2e-large-'));
  }, 90_000);

  afterAll(async () => {
    if (side) expect(await side.stop()).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads 50 MB in ten 5 MiB chunks, downloads it byte-identical, and the server RSS never grows by the file size', async () => {
    const client = new sdk.Client().setEndpoint(target.endpoint).setProject(consoleSession.projectId).setKey(consoleSession.key);
    const storage = new sdk.Storage(client);
    const bucket = await storage.createBucket(sdk.ID.unique(), 'Large', undefined, false, true, 60 * MB, undefined, 'none', false, false);

    const file = path.join(dir, 'large.bin');
    const hash = createHash('md5');
    const out = createWriteStream(file);
    for (let i = 0; i < 50; i++) {
      const block = randomBytes(MB);
      hash.update(block);
      if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve) => out.end(() => resolve()));
    const expected = hash.digest('hex');

    // Warm the upload path once so first-use allocations do not count as growth.
    await storage.createFile(bucket.$id, sdk.ID.unique(), sdk.InputFile.fromBuffer(randomBytes(6 * MB), 'warm.bin'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = rssMb(target.pid);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(target.pid));
    }, 20);
    const started = Date.now();
    const progress: number[] = [];
    const createFile = storage.createFile.bind(storage) as unknown as (...args: unknown[]) => Promise<sdk.Models.File>;
    let uploaded: sdk.Models.File;
    try {
      uploaded = await createFile(bucket.$id, sdk.ID.unique(), sdk.InputFile.fromPath(file, 'large.bin'), undefined, (p: { chunksUploaded: number }) =>
        progress.push(p.chunksUploaded),
      );
    } finally {
      clearInterval(sampler);
    }
    const seconds = (Date.now() - started) / 1000;
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(uploaded).toMatchObject({ chunksTotal: 10, chunksUploaded: 10, sizeOriginal: SIZE, signature: expected });

    const download = await fetch(`${target.endpoint}/storage/buckets/${bucket.$id}/files/${uploaded.$id}/download`, {
      headers: { 'x-appwrite-project': consoleSession.projectId, 'x-appwrite-key': consoleSession.key },
    });
    expect(download.headers.get('content-length')).toBe(String(SIZE));
    const received = createHash('md5');
    let downloadPeak = rssMb(target.pid);
    for await (const chunk of download.body as unknown as AsyncIterable<Uint8Array>) {
      received.update(chunk);
      downloadPeak = Math.max(downloadPeak, rssMb(target.pid));
    }
    expect(received.digest('hex')).toBe(expected);

    const middle = await fetch(`${target.endpoint}/storage/buckets/${bucket.$id}/files/${uploaded.$id}/view`, {
      headers: { 'x-appwrite-project': consoleSession.projectId, 'x-appwrite-key': consoleSession.key, range: `bytes=${30 * MB}-${30 * MB + 99}` },
    });
    expect(middle.status).toBe(206);
    const expectedMiddle = await new Promise<Buffer>((resolve) => {
      const parts: Buffer[] = [];
      createReadStream(file, { start: 30 * MB, end: 30 * MB + 99 })
        .on('data', (d) => parts.push(d as Buffer))
        .on('end', () => resolve(Buffer.concat(parts)));
    });
    expect(Buffer.from(await middle.arrayBuffer()).equals(expectedMiddle)).toBe(true);

    // A second 50 MB upload: if memory is held per upload, it shows here as more growth.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const afterFirst = rssMb(target.pid);
    let secondPeak = afterFirst;
    const secondSampler = setInterval(() => {
      secondPeak = Math.max(secondPeak, rssMb(target.pid));
    }, 20);
    try {
      expect(await storage.createFile(bucket.$id, sdk.ID.unique(), sdk.InputFile.fromPath(file, 'again.bin'))).toMatchObject({
        sizeOriginal: SIZE,
        signature: expected,
      });
    } finally {
      clearInterval(secondSampler);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = rssMb(target.pid);
    process.stdout.write(
      `storage-memory(e2e): ${target.label} pid ${target.pid}; 50 MB upload (10 chunks) in ${seconds.toFixed(1)} s; ` +
        `VmRSS before ${before.toFixed(1)} MB, peak during upload ${peak.toFixed(1)} MB (+${(peak - before).toFixed(1)}), ` +
        `peak during download ${downloadPeak.toFixed(1)} MB (+${(downloadPeak - before).toFixed(1)}), ` +
        `peak during a second 50 MB upload ${secondPeak.toFixed(1)} MB (+${(secondPeak - before).toFixed(1)}), after ${after.toFixed(1)} MB (+${(after - before).toFixed(1)})\n`,
    );
    // The server streams parts to the device and chunks to the final file: nothing near 50 MB.
    expect(peak - before).toBeLessThan(40);
    expect(downloadPeak - before).toBeLessThan(40);
    expect(secondPeak - before).toBeLessThan(40);
  }, 90_000);
});
