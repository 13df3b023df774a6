import type { Server } from 'node:http';
import { ServiceName } from '@appconda/contracts';

interface Slot {
  server?: Server;
  promise: Promise<Server>;
  resolve(server: Server): void;
}

/** guest service → the service whose HTTP server it shares. */
const hosts = new Map<ServiceName, ServiceName>();
const servers = new Map<ServiceName, Slot>();

function slot(service: ServiceName): Slot {
  let entry = servers.get(service);
  if (!entry) {
    let resolve!: (server: Server) => void;
    const promise = new Promise<Server>((done) => (resolve = done));
    entry = { promise, resolve };
    servers.set(service, entry);
  }
  return entry;
}

/**
 * Makes `guest` serve on `host`'s HTTP server instead of a port of its own, for services started in this
 * process afterwards. `appconda all` does this for realtime: the web SDK derives the WebSocket URL from
 * the REST endpoint, so `/v1/realtime` must answer on the API's port.
 */
export function serveOnHttpServerOf(guest: ServiceName, host: ServiceName): void {
  hosts.set(guest, host);
}

/** The service whose HTTP server `service` shares, if any. */
export function httpHostOf(service: ServiceName): ServiceName | undefined {
  return hosts.get(service);
}

/** Called by bootstrapService for every HTTP service once its server exists (before it listens). */
export function publishHttpServer(service: ServiceName, server: Server): void {
  const entry = slot(service);
  entry.server = server;
  entry.resolve(server);
}

/**
 * The HTTP server `service` answers on: its own, or its host's when it is a guest. Resolves once that
 * server exists, which for a guest started before its host is when the host starts.
 */
export function httpServerOf(service: ServiceName): Promise<Server> {
  return slot(httpHostOf(service) ?? service).promise;
}
