import { createSocket } from 'node:dgram';

const NTP_EPOCH_OFFSET = 2208988800; // seconds between 1900-01-01 and 1970-01-01

/**
 * Asks an NTP server for the time with one SNTP (RFC 4330) client request over UDP and returns the
 * server's transmit time in milliseconds since the Unix epoch.
 */
export function sntpTime(host: string, port = 123, timeoutMs = 3000): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const request = Buffer.alloc(48);
    request[0] = (0 << 6) | (4 << 3) | 3; // LI 0, version 4, mode 3 (client)
    const timer = setTimeout(() => finish(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
    const finish = (error: Error | null, value?: number) => {
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(value as number);
    };
    socket.once('error', (error) => finish(error));
    socket.once('message', (message) => {
      if (message.length < 48) return finish(new Error('short SNTP answer'));
      const seconds = message.readUInt32BE(40);
      const fraction = message.readUInt32BE(44);
      if (seconds === 0) return finish(new Error('SNTP answer without a transmit time'));
      finish(null, (seconds - NTP_EPOCH_OFFSET) * 1000 + Math.round((fraction * 1000) / 2 ** 32));
    });
    socket.send(request, port, host, (error) => error && finish(error));
  });
}
