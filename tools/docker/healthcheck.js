#!/usr/bin/env node
// Container health check for the appconda image (HEALTHCHECK): finds which service this container runs
// (`node tools/cli/appconda.js <service>` is PID 1, or pass the service as the first argument), then
//  - api / all: GET http://127.0.0.1:$_APP_PORT/v1/health/version must answer 200;
//  - any other service: a request on the Redis transport pattern `<prefix>.health.<service>` must get a
//    reply (the Nest Redis transport: publish {pattern,data,id} on `<pattern>`, reply on `<pattern>.reply`).
// Exits 0 when healthy, 1 otherwise; never takes longer than TIMEOUT_MS.
'use strict';
const { readFileSync } = require('node:fs');
const http = require('node:http');
const { randomUUID } = require('node:crypto');

const TIMEOUT_MS = Number(process.env.APPCONDA_HEALTHCHECK_TIMEOUT_MS || 8000);

function serviceName() {
  if (process.argv[2]) return process.argv[2];
  try {
    const args = readFileSync('/proc/1/cmdline', 'utf8').split('\0').filter(Boolean);
    const cli = args.findIndex((arg) => arg.endsWith('appconda.js'));
    if (cli >= 0) return args[cli + 1] || 'all';
  } catch {
    // not in a container: fall through to the default
  }
  return 'api';
}

function checkHttp() {
  const port = Number(process.env._APP_PORT || 80);
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/v1/health/version', timeout: TIMEOUT_MS }, (response) => {
      response.resume();
      if (response.statusCode === 200) resolve(`api answers on port ${port}`);
      else reject(new Error(`GET /v1/health/version answered ${response.statusCode}`));
    });
    request.on('timeout', () => request.destroy(new Error('GET /v1/health/version timed out')));
    request.on('error', reject);
  });
}

async function checkTransport(service) {
  const Redis = require('ioredis');
  const options = {
    host: process.env._APP_REDIS_HOST || '127.0.0.1',
    port: Number(process.env._APP_REDIS_PORT || 6379),
    username: process.env._APP_REDIS_USER || undefined,
    password: process.env._APP_REDIS_PASS || undefined,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  };
  const pattern = `${process.env._APP_REDIS_PREFIX || 'appconda'}.health.${service}`;
  const sub = new Redis(options);
  const pub = new Redis(options);
  try {
    await Promise.all([sub.connect(), pub.connect()]);
    const id = randomUUID();
    const reply = new Promise((resolve, reject) => {
      sub.on('message', (_channel, raw) => {
        let packet;
        try {
          packet = JSON.parse(raw);
        } catch {
          return;
        }
        if (packet.id !== id) return;
        if (packet.err) reject(new Error(`${service} answered an error: ${JSON.stringify(packet.err)}`));
        else resolve(`${service} answers on ${pattern} (pid ${packet.response && packet.response.pid})`);
      });
    });
    await sub.subscribe(`${pattern}.reply`);
    const receivers = await pub.publish(pattern, JSON.stringify({ pattern, data: {}, id }));
    if (receivers === 0) throw new Error(`nothing listens on ${pattern}`);
    return await reply;
  } finally {
    sub.disconnect();
    pub.disconnect();
  }
}

async function main() {
  const service = serviceName();
  const check = service === 'api' || service === 'all' ? checkHttp() : checkTransport(service);
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref());
  console.log(`healthy: ${await Promise.race([check, timeout])}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`unhealthy: ${error.message}`);
    process.exit(1);
  },
);
