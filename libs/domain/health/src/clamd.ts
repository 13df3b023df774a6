import { connect, Socket } from 'node:net';
import { Readable } from 'node:stream';

export interface ClamdOptions {
  host: string;
  port: number;
  timeoutMs?: number;
}

export interface ScanResult {
  clean: boolean;
  /** Signature name when infected. */
  signature?: string;
}

/**
 * A small clamd client (TCP, the z-prefixed NUL-terminated command form): PING, VERSION and
 * INSTREAM scanning of a stream in chunks, so files are never held whole in memory.
 */
export class ClamdClient {
  constructor(private readonly options: ClamdOptions) {}

  async ping(): Promise<boolean> {
    const answer = await this.command('zPING\0');
    return answer.trim() === 'PONG';
  }

  async version(): Promise<string> {
    return (await this.command('zVERSION\0')).trim();
  }

  async scan(input: Readable | Buffer): Promise<ScanResult> {
    const socket = await this.open();
    const answer = this.readAnswer(socket);
    socket.write('zINSTREAM\0');
    const source = Buffer.isBuffer(input) ? Readable.from([input]) : input;
    for await (const chunk of source) {
      const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      const size = Buffer.alloc(4);
      size.writeUInt32BE(data.length);
      if (!socket.write(Buffer.concat([size, data]))) await new Promise((r) => socket.once('drain', r));
    }
    socket.write(Buffer.alloc(4)); // zero-length chunk ends the stream
    const text = (await answer).trim();
    if (text.endsWith('OK')) return { clean: true };
    const found = /:\s*(.+)\s+FOUND$/.exec(text);
    if (found) return { clean: false, signature: found[1] };
    throw new Error(`clamd: ${text}`);
  }

  private async command(command: string): Promise<string> {
    const socket = await this.open();
    const answer = this.readAnswer(socket);
    socket.write(command);
    return answer;
  }

  private open(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.options.host, port: this.options.port });
      socket.setTimeout(this.options.timeoutMs ?? 5000, () => socket.destroy(new Error('clamd timed out')));
      socket.once('connect', () => resolve(socket));
      socket.once('error', reject);
    });
  }

  private readAnswer(socket: Socket): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      socket.on('data', (chunk) => {
        chunks.push(chunk);
        if (chunk.includes(0)) socket.end();
      });
      socket.once('error', reject);
      socket.once('close', () => resolve(Buffer.concat(chunks).toString('utf8').replace(/\0/g, '')));
    });
  }
}
