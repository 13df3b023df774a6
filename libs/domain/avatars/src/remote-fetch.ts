import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, LookupFunction } from 'node:net';

/** Limits for fetching a URL a caller gave us (avatars image and favicon). */
export interface RemoteFetchOptions {
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  /** Redirects followed before giving up. */
  maxRedirects: number;
  /** Whole-request deadline, in milliseconds. */
  timeoutMs: number;
  /** Lets loopback addresses through (tests only); private and link-local ranges stay refused. */
  allowLoopback: boolean;
  userAgent: string;
}

export type RemoteFetchFailure = 'invalid_url' | 'denied' | 'network' | 'status' | 'too_large' | 'redirects';

export class RemoteFetchError extends Error {
  constructor(
    readonly reason: RemoteFetchFailure,
    message: string,
  ) {
    super(message);
    this.name = 'RemoteFetchError';
  }
}

export interface RemoteResponse {
  /** The URL finally answered, after redirects. */
  url: string;
  contentType: string;
  body: Buffer;
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** Ranges a server-side fetch must never reach: private, shared, link-local, reserved, multicast. */
const internal = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  internal.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  internal.addSubnet(network, prefix, 'ipv6');
}

/** Whether a resolved address may be fetched. IPv4-mapped IPv6 addresses are judged as IPv4. */
export function isAddressAllowed(address: string, allowLoopback: boolean): boolean {
  const ip = unmapIpv4(address);
  const family = isIP(ip);
  if (family === 0) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (loopback.check(ip, type)) return allowLoopback;
  return !internal.check(ip, type);
}

/** `::ffff:a.b.c.d` and its hex spelling `::ffff:xxxx:yyyy` as the IPv4 address they carry. */
function unmapIpv4(address: string): string {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return address;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/**
 * A DNS lookup that refuses hostnames resolving to any forbidden address. Checking here, on the
 * addresses actually connected to, closes the DNS-rebinding gap a check before the request leaves.
 */
function guardedLookup(allowLoopback: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.find((entry) => !isAddressAllowed(entry.address, allowLoopback));
      if (refused || !addresses.length) {
        return callback(new RemoteFetchError('denied', `${hostname} resolves to an address that may not be fetched.`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** Parses and checks a caller-supplied URL: http(s) only, and an IP literal host must be allowed. */
export function parseRemoteUrl(raw: string, allowLoopback: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RemoteFetchError('invalid_url', 'The URL is not valid.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RemoteFetchError('invalid_url', 'Only http and https URLs can be fetched.');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !isAddressAllowed(host, allowLoopback)) throw new RemoteFetchError('denied', `${host} is an address that may not be fetched.`);
  return url;
}

/**
 * GETs a caller-supplied URL with the SSRF guards an avatar proxy needs: http(s) only, every hop
 * re-checked, resolved addresses checked at connect time, a redirect cap, a body cap and a deadline.
 */
export async function fetchRemote(raw: string, options: RemoteFetchOptions): Promise<RemoteResponse> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let url = parseRemoteUrl(raw, options.allowLoopback);
  for (let hop = 0; ; hop++) {
    const response = await send(url, options, signal);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      if (hop >= options.maxRedirects) throw new RemoteFetchError('redirects', 'Too many redirects.');
      url = parseRemoteUrl(new URL(response.headers.location, url).toString(), options.allowLoopback);
      continue;
    }
    if (status < 200 || status >= 300) {
      response.resume();
      throw new RemoteFetchError('status', `The remote server answered ${status}.`);
    }
    const body = await readBody(response, options.maxBytes);
    return { url: url.toString(), contentType: String(response.headers['content-type'] ?? ''), body };
  }
}

function send(url: URL, options: RemoteFetchOptions, signal: AbortSignal): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'GET', headers: { 'user-agent': options.userAgent, accept: '*/*' }, lookup: guardedLookup(options.allowLoopback), signal }, resolve);
    outgoing.on('error', (error) => reject(error instanceof RemoteFetchError ? error : new RemoteFetchError('network', error.message)));
    outgoing.end();
  });
}

function readBody(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    return Promise.reject(new RemoteFetchError('too_large', 'The remote file is too large.'));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        response.destroy();
        reject(new RemoteFetchError('too_large', 'The remote file is too large.'));
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks)));
    response.on('error', (error) => reject(new RemoteFetchError('network', error.message)));
  });
}
