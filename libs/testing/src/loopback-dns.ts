import { createSocket, RemoteInfo, Socket } from 'node:dgram';

/** What the test server knows about one name. A name with a `cname` answers A queries through its target. */
export interface DnsRecords {
  a?: string[];
  cname?: string;
}

export interface LoopbackDns {
  /** `127.0.0.1:<port>`: the value for `_APP_DNS`, pebble's `-dnsserver` or `Resolver.setServers`. */
  address: string;
  port: number;
  /** Sets (replaces) the records of a name; names are case-insensitive, a trailing dot is ignored. */
  set(name: string, records: DnsRecords): void;
  delete(name: string): void;
  /** How many questions the server answered for a name (any type). */
  queries(name: string): number;
  close(): Promise<void>;
}

const TYPE_A = 1;
const TYPE_CNAME = 5;
const CLASS_IN = 1;
const NXDOMAIN = 3;
const FORMERR = 1;

const normalize = (name: string) => name.toLowerCase().replace(/\.$/, '');

function encodeName(name: string): Buffer {
  const labels = normalize(name)
    .split('.')
    .filter(Boolean)
    .map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'ascii')]));
  return Buffer.concat([...labels, Buffer.from([0])]);
}

/** The question of a query: name, type, and where the question section ends (no compression in questions). */
function readQuestion(message: Buffer): { name: string; type: number; end: number } | undefined {
  let offset = 12;
  const labels: string[] = [];
  while (offset < message.length) {
    const length = message[offset];
    if (length === 0) break;
    if (length > 63) return undefined;
    labels.push(message.toString('ascii', offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
  if (offset + 5 > message.length) return undefined;
  return { name: labels.join('.'), type: message.readUInt16BE(offset + 1), end: offset + 5 };
}

function record(owner: Buffer, type: number, data: Buffer): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(CLASS_IN, 2);
  fixed.writeUInt32BE(5, 4); // TTL: short, tests change records
  fixed.writeUInt16BE(data.length, 8);
  return Buffer.concat([owner, fixed, data]);
}

function ipv4(address: string): Buffer {
  return Buffer.from(address.split('.').map(Number));
}

/**
 * A tiny authoritative DNS server on 127.0.0.1 (UDP, random port) for tests that must control what a name
 * resolves to: the api's CNAME check, and pebble's HTTP-01 validation (A records). It answers A and CNAME
 * questions from `set()` (a CNAME is followed for A questions), answers other types of known names with
 * no records, and unknown names with NXDOMAIN. Nothing leaves the loopback interface.
 */
export async function startLoopbackDns(): Promise<LoopbackDns> {
  const zone = new Map<string, DnsRecords>();
  const asked = new Map<string, number>();
  const socket: Socket = createSocket('udp4');

  const answers = (name: string, type: number): Buffer[] | undefined => {
    const out: Buffer[] = [];
    let current = normalize(name);
    for (let hops = 0; hops < 8; hops++) {
      const records = zone.get(current);
      if (!records) return hops === 0 ? undefined : out;
      if (records.cname && type !== TYPE_CNAME) {
        out.push(record(encodeName(current), TYPE_CNAME, encodeName(records.cname)));
        current = normalize(records.cname);
        continue;
      }
      if (type === TYPE_CNAME && records.cname) out.push(record(encodeName(current), TYPE_CNAME, encodeName(records.cname)));
      if (type === TYPE_A) for (const address of records.a ?? []) out.push(record(encodeName(current), TYPE_A, ipv4(address)));
      return out;
    }
    return out;
  };

  socket.on('message', (message: Buffer, remote: RemoteInfo) => {
    if (message.length < 12) return;
    const question = readQuestion(message);
    const header = Buffer.alloc(12);
    message.copy(header, 0, 0, 2); // id
    const recursionDesired = message[2] & 0x01;
    let body: Buffer[] = [];
    let rcode = FORMERR;
    if (question) {
      asked.set(normalize(question.name), (asked.get(normalize(question.name)) ?? 0) + 1);
      const found = answers(question.name, question.type);
      rcode = found ? 0 : NXDOMAIN;
      body = found ?? [];
      header.writeUInt16BE(1, 4);
    }
    header[2] = 0x84 | recursionDesired; // QR, AA
    header[3] = 0x80 | rcode; // RA
    header.writeUInt16BE(body.length, 6);
    const questionBytes = question ? message.subarray(12, question.end) : Buffer.alloc(0);
    socket.send(Buffer.concat([header, questionBytes, ...body]), remote.port, remote.address);
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const port = socket.address().port;
  return {
    address: `127.0.0.1:${port}`,
    port,
    set: (name, records) => void zone.set(normalize(name), records),
    delete: (name) => void zone.delete(normalize(name)),
    queries: (name) => asked.get(normalize(name)) ?? 0,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
