import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `tools/build.mjs` writes the console: dist/apps/console beside this app's dist/apps/api. */
export const CONSOLE_ROOT = path.resolve(__dirname, '..', '..', '..', 'console');

/** Paths Appwrite 1.3 answers with its console outside `/console`: sent to the same page under it. */
export const CONSOLE_ALIASES = ['/login', '/register', '/recover', '/invite', '/auth/*'] as const;

const IMMUTABLE = '_app/immutable/';
const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * Serves the console, a static single-page app: its hashed assets cached for a year, every other console
 * path answered with its one page (never cached, so a new build is picked up on the next load). `/v1`
 * and everything else stays with the API.
 */
export async function registerConsole(app: FastifyInstance, root: string = CONSOLE_ROOT): Promise<void> {
  await app.register(fastifyStatic, { root, serve: false, preCompressed: true, decorateReply: true, index: false });

  app.get('/', (request, reply) => reply.redirect(`/console${query(request)}`, 302));
  for (const alias of CONSOLE_ALIASES) {
    app.get(alias, (request, reply) => reply.redirect(`/console${request.url}`, 302));
  }
  const serve = (request: FastifyRequest<{ Params: { '*'?: string } }>, reply: FastifyReply) => sendConsoleFile(root, request.params['*'] ?? '', reply);
  app.get('/console', serve);
  app.get('/console/*', serve);
}

function query(request: FastifyRequest): string {
  const at = request.url.indexOf('?');
  return at === -1 ? '' : request.url.slice(at);
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function sendConsoleFile(root: string, requested: string, reply: FastifyReply): FastifyReply | Promise<FastifyReply> {
  const rel = path.posix.normalize(`/${decodeSafe(requested)}`).slice(1);
  if (rel.startsWith(IMMUTABLE)) {
    if (!isFile(path.join(root, rel))) return reply.callNotFound() as unknown as FastifyReply;
    return reply.sendFile(rel, { maxAge: YEAR_MS, immutable: true });
  }
  if (rel && !rel.endsWith('/') && isFile(path.join(root, rel))) {
    reply.header('cache-control', 'no-cache');
    return reply.sendFile(rel, { cacheControl: false });
  }
  if (!existsSync(path.join(root, 'index.html'))) {
    return reply.code(503).type('text/plain; charset=utf-8').send('The console is not built: run `node tools/build.mjs apps/console` (npm start builds it when missing).');
  }
  reply.header('cache-control', 'no-cache');
  return reply.sendFile('index.html', { cacheControl: false });
}

function decodeSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
