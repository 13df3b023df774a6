import { readVariables, RawEnv } from './config';

/** The typed configuration tree, grouped the way services read it. */
export interface ConfigTree {
  env: 'development' | 'production';
  port: number;
  locale: string;
  domain: string;
  opensslKey: string;
  abuse: boolean;
  forceHttps: boolean;
  redis: { host: string; port: number; username?: string; password?: string };
  db: { host: string; port: number; schema: string; user: string; password: string };
}

/** Validated configuration; read with `config.get('redis')`. */
export class AppConfig {
  private readonly tree: ConfigTree;

  constructor(env: RawEnv = process.env) {
    const v = readVariables(env);
    const s = (name: string) => v.get(name) as string;
    const n = (name: string) => v.get(name) as number;
    const b = (name: string) => v.get(name) as boolean;
    this.tree = {
      env: s('_APP_ENV') as ConfigTree['env'],
      port: n('_APP_PORT'),
      locale: s('_APP_LOCALE'),
      domain: s('_APP_DOMAIN'),
      opensslKey: s('_APP_OPENSSL_KEY_V1'),
      abuse: b('_APP_OPTIONS_ABUSE'),
      forceHttps: b('_APP_OPTIONS_FORCE_HTTPS'),
      redis: { host: s('_APP_REDIS_HOST'), port: n('_APP_REDIS_PORT'), username: s('_APP_REDIS_USER') || undefined, password: s('_APP_REDIS_PASS') || undefined },
      db: { host: s('_APP_DB_HOST'), port: n('_APP_DB_PORT'), schema: s('_APP_DB_SCHEMA'), user: s('_APP_DB_USER'), password: s('_APP_DB_PASS') },
    };
  }

  get<K extends keyof ConfigTree>(key: K): ConfigTree[K] {
    return this.tree[key];
  }
}
