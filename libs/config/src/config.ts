import { isIP } from 'node:net';

import { SMS_PROVIDERS, SmsProvider, VARIABLES, VariableSpec, variableSpec } from './variables';

/**
 * A configuration value that stops the service at boot. The message is one line naming every bad
 * variable and what it allows; `problems` holds the same, one entry per variable.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

export type RawEnv = Record<string, string | undefined>;

/** `_APP_SMS_PROVIDER` split into its parts (`sms://user:secret@twilio`). */
export interface SmsDsn {
  provider: SmsProvider;
  user: string;
  secret: string;
}

export type VariableValue = string | number | boolean | string[] | SmsDsn | undefined;

/**
 * Parses an `_APP_SMS_PROVIDER` DSN such as `sms://user:secret@twilio` (user and secret may be
 * percent-encoded). Returns undefined for an empty value.
 * @throws ConfigError when the value is not such a DSN or names an unknown provider.
 */
export function parseSmsDsn(value: string, name = '_APP_SMS_PROVIDER'): SmsDsn | undefined {
  if (value === '') return undefined;
  const problem = `${name} must look like sms://user:secret@provider with provider one of ${SMS_PROVIDERS.join(', ')}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError([`${problem} (value hidden)`]);
  }
  const provider = url.hostname.toLowerCase();
  if (!(SMS_PROVIDERS as readonly string[]).includes(provider)) throw new ConfigError([`${problem}, got provider "${provider}"`]);
  return { provider: provider as SmsProvider, user: decodeURIComponent(url.username), secret: decodeURIComponent(url.password) };
}

const EMAIL = /^[^\s@,]+@[^\s@,]+$/;
const HOST = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?(:\d{1,5})?$/;

const shown = (spec: VariableSpec, raw: string) => (spec.secret ? '(value hidden)' : `got "${raw}"`);
const describeValues = (values: readonly string[]) => (values.includes('') ? `${values.filter(Boolean).join(', ')} or empty` : values.join(', '));

/** Parses one raw value; returns the value or a problem line (naming the variable). */
function parseValue(spec: VariableSpec, raw: string): { value: VariableValue } | { problem: string } {
  const type = spec.type;
  const bad = (allowed: string) => ({ problem: `${spec.name} must be ${allowed}, ${shown(spec, raw)}` });
  if (raw === '' && type.kind !== 'enum')
    return { value: type.kind === 'list' ? [] : type.kind === 'int' || type.kind === 'number' || type.kind === 'smsDsn' ? undefined : '' };
  switch (type.kind) {
    case 'int': {
      const range = type.max === undefined ? `at least ${type.min}` : `from ${type.min} to ${type.max}`;
      const value = Number(raw.trim());
      if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value)) return bad(`an integer ${range}`);
      if (value < type.min || (type.max !== undefined && value > type.max)) return bad(`an integer ${range}`);
      return { value };
    }
    case 'number': {
      const value = Number(raw.trim());
      if (!/^\d+(\.\d+)?$/.test(raw.trim()) || value < type.min) return bad(`a number of at least ${type.min}`);
      return { value };
    }
    case 'switch':
      if (raw !== 'enabled' && raw !== 'disabled') return bad('enabled or disabled');
      return { value: raw === 'enabled' };
    case 'enum':
      if (!type.values.includes(raw)) return bad(`one of ${describeValues(type.values)}`);
      return { value: raw };
    case 'list': {
      const items = raw
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
      if (type.item === 'email' && !items.every((item) => EMAIL.test(item))) return bad('a comma-separated list of email addresses');
      if (type.item === 'ip' && !items.every((item) => isIP(item) !== 0)) return bad('a comma-separated list of IP addresses');
      return { value: items };
    }
    case 'url': {
      let url: URL | undefined;
      try {
        url = new URL(raw);
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return bad('an http(s) URL');
      return { value: raw };
    }
    case 'email':
      return EMAIL.test(raw) ? { value: raw } : bad('an email address');
    case 'host':
      return HOST.test(raw) || isIP(raw) !== 0 ? { value: raw } : bad('a host name or IP address (no scheme or path)');
    case 'smsDsn':
      try {
        return { value: parseSmsDsn(raw, spec.name) };
      } catch (error) {
        return { problem: (error as ConfigError).problems[0] };
      }
    case 'string':
      if (type.pattern && !type.pattern.test(raw)) return bad(type.hint ?? `a value matching ${type.pattern}`);
      return { value: raw };
  }
}

/**
 * Reads and validates every known variable (an unset or empty variable takes its default).
 * Unknown variables are ignored here; see `unknownVariables`.
 * @throws ConfigError naming every invalid variable at once.
 */
export function readVariables(env: RawEnv): Map<string, VariableValue> {
  const values = new Map<string, VariableValue>();
  const problems: string[] = [];
  for (const spec of VARIABLES) {
    const raw = env[spec.name];
    const parsed = parseValue(spec, raw === undefined || raw === '' ? spec.default : raw);
    if ('problem' in parsed) problems.push(parsed.problem);
    else values.set(spec.name, parsed.value);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return values;
}

/** `_APP_*` names in `env` that Appconda does not know (likely typos), sorted. */
export function unknownVariables(env: RawEnv): string[] {
  return Object.keys(env)
    .filter((name) => name.startsWith('_APP_') && !variableSpec(name))
    .sort();
}
