/**
 * The `_APP_*` variables Appconda reads, with Appwrite 1.3's names and defaults.
 * Where Appwrite's default names a compose host (`mariadb`, `redis`), the default here is the
 * local one (127.0.0.1) so a laptop run works with no .env; the image's .env sets the compose names.
 */
export type VariableKind =
  | { kind: 'string' }
  | { kind: 'int'; min?: number; max?: number }
  | { kind: 'switch' } // enabled | disabled
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'list' } // comma separated
  | { kind: 'url' };

export interface VariableSpec {
  name: string;
  default: string;
  type: VariableKind;
  /** Kept out of logs and error lines. */
  secret?: boolean;
}

const str = { kind: 'string' } as const;
const sw = { kind: 'switch' } as const;
const int = (min = 0, max?: number) => ({ kind: 'int', min, max }) as const;

export const VARIABLES: readonly VariableSpec[] = [
  { name: '_APP_ENV', default: 'production', type: { kind: 'enum', values: ['development', 'production'] } },
  { name: '_APP_LOCALE', default: 'en', type: str },
  { name: '_APP_OPTIONS_ABUSE', default: 'enabled', type: sw },
  { name: '_APP_OPTIONS_FORCE_HTTPS', default: 'disabled', type: sw },
  { name: '_APP_OPENSSL_KEY_V1', default: 'your-secret-key', type: str, secret: true },
  { name: '_APP_DOMAIN', default: 'localhost', type: str },
  { name: '_APP_DOMAIN_TARGET', default: 'localhost', type: str },
  { name: '_APP_PORT', default: '8080', type: int(1, 65535) },
  { name: '_APP_REDIS_HOST', default: '127.0.0.1', type: str },
  { name: '_APP_REDIS_PORT', default: '6379', type: int(1, 65535) },
  { name: '_APP_REDIS_USER', default: '', type: str },
  { name: '_APP_REDIS_PASS', default: '', type: str, secret: true },
  { name: '_APP_DB_HOST', default: '127.0.0.1', type: str },
  { name: '_APP_DB_PORT', default: '3306', type: int(1, 65535) },
  { name: '_APP_DB_SCHEMA', default: 'appwrite', type: str },
  { name: '_APP_DB_USER', default: 'root', type: str },
  { name: '_APP_DB_PASS', default: '', type: str, secret: true },
];
