import { createSocket, Socket as UdpSocket } from 'node:dgram';
import { AddressInfo, createServer, Server } from 'node:net';

import { ClamdClient } from './clamd';
import { sntpTime } from './sntp';

const EICAR_MARK = 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE';

/** A loopback clamd speaking the z-command protocol (PING, VERSION, INSTREAM). */
function fakeClamd(): Promise<Server> {
  const server = createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let streaming = false;
    const received: Buffer[] = [];
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!streaming) {
        const end = buffer.indexOf(0);
        if (end < 0) return;
        const command = buffer.subarray(0, end).toString();
        buffer = buffer.subarray(end + 1);
        if (command === 'zPING') return socket.end('PONG\0');
        if (command === 'zVERSION') return socket.end('ClamAV 1.0.7/27000/Mon Jan  1 00:00:00 2024\0');
        if (command !== 'zINSTREAM') return socket.end('UNKNOWN COMMAND\0');
        streaming = true;
      }
      while (buffer.length >= 4) {
        const size = buffer.readUInt32BE(0);
        if (size === 0) {
          const infected = Buffer.concat(received).includes(EICAR_MARK);
          return socket.end(infected ? 'stream: Eicar-Signature FOUND\0' : 'stream: OK\0');
        }
        if (buffer.length < 4 + size) return;
        received.push(buffer.subarray(4, 4 + size));
        buffer = buffer.subarray(4 + size);
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('health probes', () => {
  describe('ClamdClient', () => {
    let server: Server;
    let sut: ClamdClient;

    beforeAll(async () => {
      server = await fakeClamd();
      sut = new ClamdClient({ host: '127.0.0.1', port: (server.address() as AddressInfo).port });
    });
    afterAll(() => new Promise((r) => server.close(r)));

    it('pings and reads the version', async () => {
      await expect(sut.ping()).resolves.toBe(true);
      await expect(sut.version()).resolves.toMatch(/^ClamAV 1\.0\.7/);
    });

    it('streams a clean file and an infected one in chunks', async () => {
      await expect(sut.scan(Buffer.alloc(300_000, 'a'))).resolves.toEqual({ clean: true });
      const infected = Buffer.concat([Buffer.alloc(70_000, 'b'), Buffer.from(`X5O!P%@AP[4\\PZX54(P^)7CC)7}$${EICAR_MARK}!$H+H*`)]);
      await expect(sut.scan(infected)).resolves.toEqual({ clean: false, signature: 'Eicar-Signature' });
    });

    it('fails when clamd is not there', async () => {
      const closed = new ClamdClient({ host: '127.0.0.1', port: 1, timeoutMs: 500 });
      await expect(closed.ping()).rejects.toThrow();
    });
  });

  describe('sntpTime', () => {
    let server: UdpSocket;
    let port: number;
    const skewMs = 1500;

    beforeAll(async () => {
      server = createSocket('udp4');
      server.on('message', (message, remote) => {
        if ((message[0] & 0x7) !== 3) return; // answer client-mode requests only
        const answer = Buffer.alloc(48);
        answer[0] = (0 << 6) | (4 << 3) | 4;
        const now = Date.now() + skewMs;
        answer.writeUInt32BE(Math.floor(now / 1000) + 2208988800, 40);
        answer.writeUInt32BE(Math.floor(((now % 1000) / 1000) * 2 ** 32), 44);
        server.send(answer, remote.port, remote.address);
      });
      await new Promise<void>((r) => server.bind(0, '127.0.0.1', () => r()));
      port = server.address().port;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('reads the server transmit time', async () => {
      const remote = await sntpTime('127.0.0.1', port);
      expect(Math.abs(remote - (Date.now() + skewMs))).toBeLessThan(500);
    });

    it('times out when nobody answers', async () => {
      const silent = createSocket('udp4');
      await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
      await expect(sntpTime('127.0.0.1', silent.address().port, 300)).rejects.toThrow(/no answer/);
      silent.close();
    });
  });
});
