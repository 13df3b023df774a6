import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { parse } from 'dotenv';

import { ConfigError, parseSmsDsn, readVariables, unknownVariables } from './config';
import { VARIABLES } from './variables';

const reference = path.resolve(__dirname, '../../../../shared/appwrite-1.3/variables.json');

/** The message readVariables throws for `env`, or undefined when it is valid. */
function failure(env: Record<string, string>): string | undefined {
  try {
    readVariables(env);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
}

describe('readVariables', () => {
  it('parses every default', () => {
    const sut = readVariables({});
    expect(sut.size).toBe(VARIABLES.length);
    expect(sut.get('_APP_ENV')).toBe('production');
    expect(sut.get('_APP_PORT')).toBe(8080);
    expect(sut.get('_APP_OPTIONS_ABUSE')).toBe(true);
    expect(sut.get('_APP_FUNCTIONS_RUNTIMES')).toEqual(['node-16.0', 'php-8.0', 'python-3.9', 'ruby-3.0']);
    expect(sut.get('_APP_CONSOLE_WHITELIST_EMAILS')).toEqual([]);
    expect(sut.get('_APP_SMTP_PORT')).toBeUndefined();
    expect(sut.get('_APP_SMS_PROVIDER')).toBeUndefined();
    expect(sut.get('_APP_REDIS_PREFIX')).toBe('appconda');
  });

  it('treats an empty value as unset', () => {
    expect(readVariables({ _APP_PORT: '', _APP_STORAGE_DEVICE: '' }).get('_APP_PORT')).toBe(8080);
  });

  it('parses ints, switches, enums and lists', () => {
    const sut = readVariables({
      _APP_PORT: '0',
      _APP_REDIS_PORT: ' 6380 ',
      _APP_OPTIONS_ABUSE: 'disabled',
      _APP_STORAGE_DEVICE: 'wasabi',
      _APP_SMTP_SECURE: 'tls',
      _APP_CONSOLE_WHITELIST_IPS: ' 10.0.0.1, ::1 ,,',
      _APP_CONSOLE_WHITELIST_EMAILS: 'a@example.com,b@example.com',
      _APP_EXECUTOR_HOST: 'https://executor.internal:9000/v1',
      _APP_FUNCTIONS_CPUS: '0.5',
    });
    expect(sut.get('_APP_FUNCTIONS_CPUS')).toBe(0.5);
    expect(sut.get('_APP_PORT')).toBe(0);
    expect(sut.get('_APP_REDIS_PORT')).toBe(6380);
    expect(sut.get('_APP_OPTIONS_ABUSE')).toBe(false);
    expect(sut.get('_APP_STORAGE_DEVICE')).toBe('wasabi');
    expect(sut.get('_APP_SMTP_SECURE')).toBe('tls');
    expect(sut.get('_APP_CONSOLE_WHITELIST_IPS')).toEqual(['10.0.0.1', '::1']);
    expect(sut.get('_APP_CONSOLE_WHITELIST_EMAILS')).toEqual(['a@example.com', 'b@example.com']);
    expect(sut.get('_APP_EXECUTOR_HOST')).toBe('https://executor.internal:9000/v1');
  });

  it.each([
    ['_APP_PORT', 'eighty', /_APP_PORT must be an integer from 0 to 65535, got "eighty"/],
    ['_APP_PORT', '70000', /_APP_PORT must be an integer from 0 to 65535/],
    ['_APP_REDIS_PORT', '0', /_APP_REDIS_PORT must be an integer from 1 to 65535/],
    ['_APP_FUNCTIONS_TIMEOUT', '1.5', /_APP_FUNCTIONS_TIMEOUT must be an integer at least 1/],
    ['_APP_STORAGE_LIMIT', '-1', /_APP_STORAGE_LIMIT must be an integer at least 0/],
    ['_APP_FUNCTIONS_CPUS', 'two', /_APP_FUNCTIONS_CPUS must be a number of at least 0, got "two"/],
    ['_APP_OPTIONS_ABUSE', 'true', /_APP_OPTIONS_ABUSE must be enabled or disabled, got "true"/],
    ['_APP_ENV', 'prod', /_APP_ENV must be one of development, production, got "prod"/],
    ['_APP_STORAGE_DEVICE', 'gcs', /_APP_STORAGE_DEVICE must be one of local, s3, dospaces, backblaze, linode, wasabi/],
    ['_APP_SMTP_SECURE', 'starttls', /_APP_SMTP_SECURE must be one of tls, ssl or empty/],
    ['_APP_EXECUTOR_DRIVER', 'k8s', /_APP_EXECUTOR_DRIVER must be one of docker, process/],
    ['_APP_LOG_LEVEL', 'verbose', /_APP_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace/],
    ['_APP_LOGGING_PROVIDER', 'datadog', /_APP_LOGGING_PROVIDER must be one of sentry, raygun, logowl, appsignal or empty/],
    ['_APP_EXECUTOR_HOST', 'appconda-executor/v1', /_APP_EXECUTOR_HOST must be an http\(s\) URL/],
    ['_APP_EXECUTOR_HOST', 'ftp://executor/v1', /_APP_EXECUTOR_HOST must be an http\(s\) URL/],
    ['_APP_SYSTEM_EMAIL_ADDRESS', 'team', /_APP_SYSTEM_EMAIL_ADDRESS must be an email address/],
    ['_APP_CONSOLE_WHITELIST_IPS', '10.0.0.1,localhost', /_APP_CONSOLE_WHITELIST_IPS must be a comma-separated list of IP addresses/],
    ['_APP_CONSOLE_WHITELIST_EMAILS', 'a@b.c,nope', /_APP_CONSOLE_WHITELIST_EMAILS must be a comma-separated list of email addresses/],
    ['_APP_DB_HOST', 'mysql://mariadb', /_APP_DB_HOST must be a host name or IP address/],
    ['_APP_REDIS_PREFIX', 'my prefix', /_APP_REDIS_PREFIX must be letters, digits/],
    ['_APP_SYSTEM_RESPONSE_FORMAT', 'latest', /_APP_SYSTEM_RESPONSE_FORMAT must be an Appwrite version/],
    ['_APP_SMS_PROVIDER', 'sms://u:p@carrier-pigeon', /_APP_SMS_PROVIDER must look like sms:\/\/user:secret@provider .*got provider "carrier-pigeon"/],
  ])('rejects %s=%s with one clear line', (name, value, expected) => {
    const message = failure({ [name]: value });
    expect(message).toMatch(/^Invalid configuration: /);
    expect(message).toMatch(expected);
    expect(message).not.toContain('\n');
  });

  it('never echoes a secret', () => {
    const message = failure({ _APP_SMS_PROVIDER: 'not a dsn with hunter2' });
    expect(message).toContain('_APP_SMS_PROVIDER');
    expect(message).not.toContain('hunter2');
  });

  it('names every bad variable in the same line', () => {
    const message = failure({ _APP_ENV: 'staging', _APP_DB_PORT: 'x', _APP_USAGE_STATS: 'on' });
    expect(message?.split('\n')).toHaveLength(1);
    expect(message).toMatch(/_APP_ENV must be .*; _APP_USAGE_STATS must be .*; _APP_DB_PORT must be/);
    let error: ConfigError | undefined;
    try {
      readVariables({ _APP_ENV: 'staging', _APP_DB_PORT: 'x' });
    } catch (caught) {
      error = caught as ConfigError;
    }
    expect(error?.problems).toHaveLength(2);
  });

  it('lists unknown _APP_ variables', () => {
    expect(unknownVariables({ _APP_PROT: '1', _APP_PORT: '2', HOME: '/root', _APP_ENV: 'x', _APP_A: '' })).toEqual(['_APP_A', '_APP_PROT']);
  });
});

describe('parseSmsDsn', () => {
  it('splits user, secret and provider', () => {
    expect(parseSmsDsn('sms://AC123:s3cret@twilio')).toEqual({ provider: 'twilio', user: 'AC123', secret: 's3cret' });
    expect(parseSmsDsn('sms://user:p%40ss%2Fword@text-magic')).toEqual({ provider: 'text-magic', user: 'user', secret: 'p@ss/word' });
    expect(parseSmsDsn('sms://only@mock')).toEqual({ provider: 'mock', user: 'only', secret: '' });
  });

  it('returns undefined for an empty value and rejects garbage', () => {
    expect(parseSmsDsn('')).toBeUndefined();
    expect(() => parseSmsDsn('twilio')).toThrow(ConfigError);
    expect(() => parseSmsDsn('sms://a:b@nexmo')).toThrow(/provider one of mock, twilio/);
  });
});

describe('the variable catalogue', () => {
  it('has unique names and valid defaults', () => {
    const names = VARIABLES.map((spec) => spec.name);
    expect(new Set(names).size).toBe(names.length);
    expect(() => readVariables({})).not.toThrow();
  });

  it('flags only the Appconda additions and the documented local deviations', () => {
    expect(
      VARIABLES.filter((spec) => spec.appconda)
        .map((spec) => spec.name)
        .sort(),
    ).toEqual(['_APP_ACME_DIRECTORY', '_APP_DNS', '_APP_EXECUTOR_DRIVER', '_APP_LOG_LEVEL', '_APP_PORT', '_APP_REALTIME_PORT', '_APP_REDIS_PREFIX', '_APP_STORAGE_ROOT']);
    expect(Object.fromEntries(VARIABLES.filter((spec) => spec.appwriteDefault !== undefined).map((spec) => [spec.name, spec.default]))).toEqual({
      _APP_DB_HOST: '127.0.0.1',
      _APP_DB_PASS: '',
      _APP_DB_USER: 'root',
      _APP_INFLUXDB_HOST: '127.0.0.1',
      _APP_REDIS_HOST: '127.0.0.1',
    });
  });

  it('marks passwords, keys and secrets as secret', () => {
    for (const spec of VARIABLES) {
      if (/PASS|SECRET|KEY|_CONFIG$/.test(spec.name)) expect([spec.name, spec.secret]).toEqual([spec.name, true]);
    }
  });

  it('is fully listed in .env.example with valid compose values', () => {
    const example = readFileSync(path.resolve(__dirname, '../../../.env.example'), 'utf8');
    const lines = example.split('\n').filter((line) => /^[A-Z0-9_]+=/.test(line));
    const names = lines.map((line) => line.split('=')[0]);
    expect(names.sort()).toEqual(VARIABLES.map((spec) => spec.name).sort());
    const values = readVariables(parse(example));
    expect([values.get('_APP_DB_HOST'), values.get('_APP_REDIS_HOST'), values.get('_APP_DB_USER'), values.get('_APP_PORT')]).toEqual([
      'mariadb',
      'redis',
      'user',
      80,
    ]);
    expect(values.get('_APP_EXECUTOR_HOST')).toBe('http://appconda-executor/v1');
  });

  (existsSync(reference) ? it : it.skip)('knows every Appwrite 1.3 variable with its default', () => {
    const appwrite: { name: string; default: string | number }[] = JSON.parse(readFileSync(reference, 'utf8'));
    expect(appwrite).toHaveLength(94);
    const ours = new Map(VARIABLES.map((spec) => [spec.name, spec]));
    for (const { name, default: value } of appwrite) {
      const spec = ours.get(name);
      expect([name, spec?.appwriteDefault ?? spec?.default]).toEqual([name, String(value)]);
    }
    const additions = VARIABLES.filter((spec) => !appwrite.some((v) => v.name === spec.name));
    expect(additions.every((spec) => spec.appconda)).toBe(true);
  });
});
