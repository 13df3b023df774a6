// Stops the services with SIGTERM (graceful shutdown must finish and exit 0), then drops the
// run's schema, Redis keys and InfluxDB database.
module.exports = async () => {
  const child = globalThis.__APPCONDA__;
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    const { code, signal } = await exited;
    clearTimeout(timer);
    if (code !== 0) throw new Error(`appconda did not shut down cleanly on SIGTERM (code ${code}, signal ${signal})`);
  }
  if (globalThis.__APPCONDA_MAILBOX__) await new Promise((resolve) => globalThis.__APPCONDA_MAILBOX__.close(resolve));
  const schema = process.env.APPCONDA_E2E_SCHEMA;
  if (schema) {
    const mariadb = require('mariadb');
    const conn = await mariadb.createConnection({ host: process.env._APP_DB_HOST ?? '127.0.0.1', user: process.env._APP_DB_USER ?? 'root', password: process.env._APP_DB_PASS ?? '' });
    await conn.query(`DROP DATABASE IF EXISTS \`${schema.replace(/[^a-z0-9_]/gi, '')}\``);
    await conn.end();
  }
  const prefix = process.env.APPCONDA_E2E_REDIS_PREFIX;
  if (prefix) {
    // The run's InfluxDB database (usage statistics) is named after the prefix.
    const q = `DROP DATABASE "${prefix.replace(/[^A-Za-z0-9_]/g, '')}"`;
    await fetch(`http://127.0.0.1:8086/query?${new URLSearchParams({ q })}`, { method: 'POST' }).catch(() => undefined);
    const Redis = require('ioredis');
    const redis = new Redis({ host: process.env._APP_REDIS_HOST ?? '127.0.0.1', port: Number(process.env._APP_REDIS_PORT ?? 6379), lazyConnect: true });
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
  }
};
