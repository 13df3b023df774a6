import { createServer, Server, Socket } from 'node:net';

import * as sdk from 'node-appwrite';

import { bootstrapConsole, ConsoleSession } from '../../support/console';
import { failure } from '../../support/identity-clients';
import { SideApi, startSideApi, storedObjects } from './side-api';

// Antivirus is process-wide (_APP_STORAGE_ANTIVIRUS) and off in `appconda all`, so these tests start a
// second `appconda api` of the same deployment (same schema, Redis prefix and storage root) with it
// on, pointed at a clamd stand-in that speaks the clamd TCP protocol (zPING, zVERSION, zINSTREAM).

/** The standard antivirus test file (harmless; every scanner reports it). */
const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

interface FakeClamd {
  server: Server;
  port: number;
  /** Bytes of every INSTREAM scan received. */
  scanned: Buffer[];
}

function answer(socket: Socket, text: string) {
  socket.end(`${text}\0`);
}

/** A clamd stand-in: finds the EICAR string in INSTREAM data, answers PING and VERSION. */
async function startFakeClamd(): Promise<FakeClamd> {
  const scanned: Buffer[] = [];
  const server = createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let command: string | undefined;
    const data: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (command === undefined) {
        const end = buffer.indexOf(0);
        if (end < 0) return;
        command = buffer.subarray(0, end).toString();
        buffer = buffer.subarray(end + 1);
        if (command === 'zPING') return answer(socket, 'PONG');
        if (command === 'zVERSION') return answer(socket, 'ClamAV 1.0.0/27000/e2e stand-in');
        if (command !== 'zINSTREAM') return answer(socket, 'UNKNOWN COMMAND');
      }
      while (buffer.length >= 4) {
        const size = buffer.readUInt32BE(0);
        if (size === 0) {
          const content = Buffer.concat(data);
          scanned.push(content);
          return answer(socket, content.includes(EICAR) ? 'stream: Eicar-Test-Signature FOUND' : 'stream: OK');
        }
        if (buffer.length < 4 + size) return;
        data.push(buffer.subarray(4, 4 + size));
        buffer = buffer.subarray(4 + size);
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, scanned };
}

describe('antivirus on uploads (second api process with _APP_STORAGE_ANTIVIRUS enabled)', () => {
  let consoleSession: ConsoleSession;
  let clamd: FakeClamd;
  let side: SideApi;
  let storage: sdk.Storage;
  let health: sdk.Health;

  beforeAll(async () => {
    consoleSession = await bootstrapConsole('antivirus');
    clamd = await startFakeClamd();
    side = await startSideApi({ _APP_STORAGE_ANTIVIRUS: 'enabled', _APP_STORAGE_ANTIVIRUS_HOST: '127.0.0.1', _APP_STORAGE_ANTIVIRUS_PORT: String(clamd.port) });
    const client = new sdk.Client().setEndpoint(side.endpoint).setProject(consoleSession.projectId).setKey(consoleSession.key);
    storage = new sdk.Storage(client);
    health = new sdk.Health(client);
  }, 90_000);

  afterAll(async () => {
    expect(await side?.stop()).toBe(0);
    if (clamd?.server.listening) await new Promise((resolve) => clamd.server.close(resolve));
  });

  it('reports the scanner online with its version (and disabled on the main process)', async () => {
    expect(await health.getAntivirus()).toEqual({ status: 'online', version: 'ClamAV 1.0.0/27000/e2e stand-in' });
    const main = new sdk.Health(new sdk.Client().setEndpoint(consoleSession.endpoint).setProject(consoleSession.projectId).setKey(consoleSession.key));
    expect(await main.getAntivirus()).toEqual({ status: 'disabled', version: '' });
  });

  it('refuses an infected upload with 403 storage_invalid_file and keeps nothing; clean files pass after a scan', async () => {
    const bucket = await storage.createBucket(sdk.ID.unique(), 'Scanned', undefined, false, true, undefined, undefined, 'gzip', true, true);
    const before = clamd.scanned.length;
    expect(await failure(storage.createFile(bucket.$id, 'infected', sdk.InputFile.fromPlainText(`hello ${EICAR} bye`, 'eicar.txt')))).toEqual({
      code: 403,
      type: 'storage_invalid_file',
    });
    expect(clamd.scanned.length).toBe(before + 1);
    expect(await failure(storage.getFile(bucket.$id, 'infected'))).toEqual({ code: 404, type: 'storage_file_not_found' });
    expect((await storage.listFiles(bucket.$id)).total).toBe(0);
    expect(storedObjects(consoleSession.projectId)).toEqual([]);

    const clean = await storage.createFile(bucket.$id, sdk.ID.unique(), sdk.InputFile.fromPlainText('nothing to see', 'clean.txt'));
    expect(clamd.scanned.at(-1)!.toString()).toBe('nothing to see');
    expect((await storage.getFileDownload(bucket.$id, clean.$id)).toString()).toBe('nothing to see');
  });

  it('scans the assembled file of a chunked upload, not only a chunk', async () => {
    const bucket = await storage.createBucket(sdk.ID.unique(), 'Scanned chunks', undefined, false, true, undefined, undefined, 'none', false, true);
    // EICAR straddles the 5 MiB chunk boundary: only a scan of the whole file sees it.
    const MiB = 1024 * 1024;
    const content = Buffer.alloc(6 * MiB, 'a');
    content.write(EICAR, 5 * MiB - 20);
    expect(await failure(storage.createFile(bucket.$id, sdk.ID.unique(), sdk.InputFile.fromBuffer(content, 'split.txt')))).toEqual({
      code: 403,
      type: 'storage_invalid_file',
    });
    expect((await storage.listFiles(bucket.$id)).total).toBe(0);
  });

  it('does not scan when the bucket has antivirus off', async () => {
    const bucket = await storage.createBucket(sdk.ID.unique(), 'Unscanned', undefined, false, true, undefined, undefined, 'none', false, false);
    const before = clamd.scanned.length;
    const file = await storage.createFile(bucket.$id, sdk.ID.unique(), sdk.InputFile.fromPlainText(EICAR, 'eicar.txt'));
    expect(file.sizeOriginal).toBe(EICAR.length);
    expect(clamd.scanned.length).toBe(before);
  });

  // Last: stops the scanner. 1.3 answers a scan that cannot run with a server error, never a stored file.
  it('fails the upload (500) and keeps nothing when the scanner is unreachable, and health says offline', async () => {
    await new Promise((resolve) => clamd.server.close(resolve));
    expect(await health.getAntivirus()).toEqual({ status: 'offline', version: '' });
    const bucket = await storage.createBucket(sdk.ID.unique(), 'Scanner down', undefined, false, true, undefined, undefined, 'none', false, true);
    expect(await failure(storage.createFile(bucket.$id, 'unscanned', sdk.InputFile.fromPlainText('maybe bad', 'a.txt')))).toMatchObject({ code: 500 });
    expect(await failure(storage.getFile(bucket.$id, 'unscanned'))).toEqual({ code: 404, type: 'storage_file_not_found' });
    expect(storedObjects(consoleSession.projectId).filter((p) => p.includes('unscanned'))).toEqual([]);
  });
});
