import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * Test helper (not exported from the lib): a real SMTP server on 127.0.0.1, random port, that keeps
 * every mail it receives and decodes enough MIME (multipart, quoted-printable, base64, encoded-word
 * headers) to assert on subject and bodies.
 */
export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  /** The SMTP AUTH user of the session, when the client authenticated. */
  authUser?: string;
  headers: Record<string, string>;
  subject: string;
  text: string;
  html: string;
  raw: string;
}

export interface LoopbackSmtp {
  port: number;
  mails: ReceivedMail[];
  /** Resolves with the next mail (or the first one already received that nobody waited for). */
  nextMail(timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export interface LoopbackSmtpOptions {
  /** When set, AUTH is required and only these user → password pairs pass. */
  users?: Record<string, string>;
  /** Recipients the server refuses at RCPT TO. */
  rejectRecipients?: string[];
}

export async function startLoopbackSmtp(options: LoopbackSmtpOptions = {}): Promise<LoopbackSmtp> {
  const mails: ReceivedMail[] = [];
  let consumed = 0;
  const waiters: Array<() => void> = [];
  const requireAuth = options.users !== undefined;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: requireAuth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !requireAuth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      const expected = options.users?.[auth.username ?? ''];
      if (expected !== undefined && expected === auth.password) return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (options.rejectRecipients?.includes(address.address)) return callback(new Error('Mailbox unavailable'));
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const from = session.envelope.mailFrom;
        mails.push({
          ...parseMessage(raw),
          envelopeFrom: from ? from.address : '',
          envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          authUser: typeof session.user === 'string' ? session.user : undefined,
          raw,
        });
        waiters.splice(0).forEach((wake) => wake());
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;

  async function nextMail(timeoutMs = 5000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    while (consumed >= mails.length) {
      if (Date.now() > deadline) throw new Error('no mail received in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(10, deadline - Date.now()));
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return mails[consumed++];
  }

  return { port, mails, nextMail, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function splitEntity(raw: string): { headers: Record<string, string>; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  return end < 0 ? { headers: parseHeaders(raw), body: '' } : { headers: parseHeaders(raw.slice(0, end)), body: raw.slice(end + 4) };
}

function decodeQuotedPrintable(body: string): string {
  const text = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeBody(headers: Record<string, string>, body: string): string {
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

/** RFC 2047 encoded words, as nodemailer writes non-ASCII subjects. */
export function decodeHeaderValue(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([QBqb])\?([^?]*)\?=/g, (_m, _charset: string, kind: string, text: string) => {
    if (kind.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
    return decodeQuotedPrintable(text.replace(/_/g, ' '));
  });
}

function parseMessage(raw: string): Pick<ReceivedMail, 'headers' | 'subject' | 'text' | 'html'> {
  const { headers, body } = splitEntity(raw);
  const parts: Array<{ headers: Record<string, string>; body: string }> = [];
  const collect = (entityHeaders: Record<string, string>, entityBody: string) => {
    const boundary = /boundary="?([^";]+)"?/i.exec(entityHeaders['content-type'] ?? '')?.[1];
    if (!boundary) return parts.push({ headers: entityHeaders, body: entityBody });
    for (const chunk of entityBody.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const inner = splitEntity(chunk.replace(/^\r\n/, '').replace(/\r\n$/, ''));
      collect(inner.headers, inner.body);
    }
    return parts.length;
  };
  collect(headers, body);
  const find = (type: string) => {
    const part = parts.find((candidate) => (candidate.headers['content-type'] ?? 'text/plain').toLowerCase().startsWith(type));
    // Bodies travel with CRLF line ends; tests compare against LF strings.
    return part ? decodeBody(part.headers, part.body).replace(/\r\n/g, '\n') : '';
  };
  return { headers, subject: decodeHeaderValue(headers.subject ?? ''), text: find('text/plain'), html: find('text/html') };
}
