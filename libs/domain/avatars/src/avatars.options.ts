import { RemoteFetchOptions } from './remote-fetch';

/** Tunables of the remote fetches behind /avatars/image and /avatars/favicon. */
export type AvatarsOptions = RemoteFetchOptions;

export const AVATARS_OPTIONS = Symbol('AVATARS_OPTIONS');

/**
 * Defaults, plus `APPCONDA_AVATARS_ALLOW_LOOPBACK=true`, which only tests set so that a fetch
 * may reach a server on 127.0.0.1 / ::1 (private and link-local ranges stay refused).
 */
export function avatarsOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AvatarsOptions {
  return {
    allowLoopback: env['APPCONDA_AVATARS_ALLOW_LOOPBACK'] === 'true',
    maxBytes: 10 * 1024 * 1024,
    maxRedirects: 3,
    timeoutMs: 10_000,
    userAgent: 'Appconda-Server (avatars)',
  };
}
