// Starts every Appconda service in one process (the README's `npm start` path) on free ports,
// with its own MariaDB schema and Redis prefix, and waits until the API answers.
const { spawn } = require('node:child_process');
const { createServer } = require('node:net');
const { writeFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../../..');
const stateFile = path.join(require('node:os').tmpdir(), `appconda-e2e-${process.pid}.json`);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitFor(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`appconda exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`appconda did not answer ${url} within ${timeoutMs} ms`);
}

/**
 * A loopback SMTP server for the run: worker-mails delivers to it and every message is appended as one
 * JSON line ({ to, from, subject, text, html }) to the mailbox file the tests read (support/mailbox.ts).
 */
async function startMailbox(file) {
  const { SMTPServer } = require('smtp-server');
  const { simpleParser } = require('mailparser');
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const record = { to: session.envelope.rcptTo.map((r) => r.address), from: session.envelope.mailFrom && session.envelope.mailFrom.address, subject: mail.subject, text: mail.text, html: mail.html || '' };
          require('node:fs').appendFileSync(file, `${JSON.stringify(record)}\n`);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

module.exports = async () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const mailboxFile = path.join(require('node:os').tmpdir(), `appconda-e2e-mailbox-${run}.jsonl`);
  writeFileSync(mailboxFile, '');
  const mailbox = await startMailbox(mailboxFile);
  globalThis.__APPCONDA_MAILBOX__ = mailbox;
  const port = await freePort();
  const realtimePort = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    _APP_ENV: 'development',
    _APP_PORT: String(port),
    _APP_REALTIME_PORT: String(realtimePort),
    _APP_DB_SCHEMA: `appconda_e2e_${run}`,
    _APP_REDIS_PREFIX: `appconda_e2e_${run}`,
    // Usage statistics: the local InfluxDB when one runs (optional: the counts go to MariaDB either way;
    // its database is named after the Redis prefix, dropped by the teardown), table counts every second.
    _APP_INFLUXDB_HOST: '127.0.0.1',
    _APP_USAGE_AGGREGATION_INTERVAL: '1',
    _APP_USAGE_DATABASE_INTERVAL: '1',
    _APP_LOG_LEVEL: process.env._APP_LOG_LEVEL ?? 'error',
    APPCONDA_ENV_FILE: '/nonexistent',
    _APP_SMTP_HOST: '127.0.0.1',
    _APP_SMTP_PORT: String(mailbox.server.address().port),
    _APP_SMTP_SECURE: '',
    // The 50 MB upload test measures this process, above the 30 MB default limit.
    _APP_STORAGE_LIMIT: '100000000',
    // Functions run on the process driver (the default): the node and python runtimes it offers.
    _APP_FUNCTIONS_RUNTIMES: 'node-16.0,node-18.0,python-3.9',
    // Every spec signs up its own console user.
    _APP_CONSOLE_WHITELIST_ROOT: 'disabled',
    _APP_STORAGE_ROOT: require('node:path').join(require('node:os').tmpdir(), `appconda-e2e-${run}`),
  };
  const child = spawn(process.execPath, [path.join(root, 'tools/cli/appconda.js'), 'all'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const endpoint = `http://127.0.0.1:${port}/v1`;
  await waitFor(`${endpoint}/health/version`, child, 90000);
  globalThis.__APPCONDA__ = child;
  process.env.APPCONDA_E2E_ENDPOINT = endpoint;
  process.env.APPCONDA_E2E_SCHEMA = env._APP_DB_SCHEMA;
  process.env.APPCONDA_E2E_REDIS_PREFIX = env._APP_REDIS_PREFIX;
  process.env.APPCONDA_E2E_PID = String(child.pid);
  process.env.APPCONDA_E2E_MAILBOX = mailboxFile;
  writeFileSync(stateFile, JSON.stringify({ endpoint, pid: child.pid, schema: env._APP_DB_SCHEMA, prefix: env._APP_REDIS_PREFIX }));
};
