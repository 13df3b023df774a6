import { AppConfig } from './app-config';
import { ConfigError } from './config';

describe('AppConfig', () => {
  it('builds the local-friendly tree from an empty env', () => {
    const sut = new AppConfig({});
    expect(sut.get('env')).toBe('production');
    expect(sut.get('port')).toBe(8080);
    expect(sut.get('realtimePort')).toBe(8081);
    expect(sut.get('redisPrefix')).toBe('appconda');
    expect(sut.get('logLevel')).toBe('info');
    expect(sut.get('redis')).toEqual({ host: '127.0.0.1', port: 6379, username: undefined, password: undefined });
    expect(sut.get('db')).toEqual({ host: '127.0.0.1', port: 3306, schema: 'appwrite', user: 'root', password: '', rootPassword: 'rootsecretpassword' });
    expect(sut.get('abuse')).toBe(true);
    expect(sut.get('forceHttps')).toBe(false);
    expect(sut.get('locale')).toBe('en');
    expect(sut.get('domain')).toBe('localhost');
    expect(sut.get('opensslKey')).toBe('your-secret-key');
    expect(sut.get('smtp')).toEqual({ enabled: false, host: undefined, port: undefined, secure: '', username: undefined, password: undefined });
    expect(sut.get('sms')).toEqual({ enabled: false, provider: undefined, from: undefined });
    expect(sut.get('executor')).toMatchObject({ driver: 'process', host: 'http://appwrite-executor/v1' });
    expect(sut.get('storage')).toMatchObject({ device: 'local', limit: 30000000, antivirus: { enabled: false, host: 'clamav', port: 3310 } });
    expect(sut.get('storage').backblaze.region).toBe('us-west-004');
    expect(sut.get('console')).toEqual({ whitelistRoot: true, whitelistEmails: [], whitelistIps: [] });
    expect(sut.get('system')).toEqual({
      emailName: 'Appwrite',
      emailAddress: 'team@appwrite.io',
      securityEmailAddress: 'certs@appwrite.io',
      responseFormat: undefined,
    });
    expect(sut.get('logging')).toEqual({ provider: undefined, config: undefined });
    expect(sut.get('maintenance').retention).toEqual({ abuse: 86400, audit: 1209600, cache: 2592000, execution: 1209600, usageHourly: 8640000 });
    expect(sut.get('graphql')).toEqual({ maxBatchSize: 10, maxComplexity: 250, maxDepth: 3 });
    expect(sut.get('usage')).toEqual({ enabled: true, aggregationInterval: 30, timeseriesInterval: 30, databaseInterval: 900 });
    expect(sut.get('influxdb')).toEqual({ host: '127.0.0.1', port: 8086 });
    expect(sut.get('statsd')).toEqual({ host: 'telegraf', port: 8125 });
  });

  it('shapes a compose-style env', () => {
    const sut = new AppConfig({
      _APP_ENV: 'development',
      _APP_PORT: '80',
      _APP_REDIS_HOST: 'redis',
      _APP_REDIS_PASS: 'pw',
      _APP_SMTP_HOST: 'smtp.example.com',
      _APP_SMTP_PORT: '587',
      _APP_SMTP_SECURE: 'tls',
      _APP_SMS_PROVIDER: 'sms://AC1:tok@twilio',
      _APP_SMS_FROM: '+15550100',
      _APP_STORAGE_DEVICE: 's3',
      _APP_STORAGE_S3_BUCKET: 'files',
      _APP_CONSOLE_WHITELIST_EMAILS: 'root@example.com',
      _APP_FUNCTIONS_RUNTIMES: 'node-18.0',
      _APP_EXECUTOR_DRIVER: 'docker',
      _APP_LOGGING_PROVIDER: 'sentry',
      _APP_LOGGING_CONFIG: 'key;project',
      DOCKERHUB_PULL_USERNAME: 'bot',
    });
    expect(sut.get('env')).toBe('development');
    expect(sut.get('port')).toBe(80);
    expect(sut.get('redis')).toEqual({ host: 'redis', port: 6379, username: undefined, password: 'pw' });
    expect(sut.get('smtp')).toEqual({ enabled: true, host: 'smtp.example.com', port: 587, secure: 'tls', username: undefined, password: undefined });
    expect(sut.get('sms')).toEqual({ enabled: true, provider: { provider: 'twilio', user: 'AC1', secret: 'tok' }, from: '+15550100' });
    expect(sut.get('storage').device).toBe('s3');
    expect(sut.get('storage').s3).toEqual({ accessKey: '', secret: '', region: 'us-east-1', bucket: 'files' });
    expect(sut.get('console').whitelistEmails).toEqual(['root@example.com']);
    expect(sut.get('functions').runtimes).toEqual(['node-18.0']);
    expect(sut.get('functions').dockerHub).toEqual({ username: 'bot', password: undefined, email: undefined });
    expect(sut.get('executor').driver).toBe('docker');
    expect(sut.get('logging')).toEqual({ provider: 'sentry', config: 'key;project' });
  });

  it('refuses to build from an invalid env', () => {
    expect(() => new AppConfig({ _APP_STORAGE_DEVICE: 'ftp', _APP_LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    expect(() => new AppConfig({ _APP_STORAGE_DEVICE: 'ftp', _APP_LOG_LEVEL: 'loud' })).toThrow(/_APP_LOG_LEVEL.*; _APP_STORAGE_DEVICE/);
  });
});
