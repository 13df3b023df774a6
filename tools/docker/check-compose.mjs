#!/usr/bin/env node
// Static checks of docker-compose.yml against the product's infrastructure table and the repository:
// every service / image / network / volume is there, each appconda command names a real app, only the
// executor joins `runtime`, nothing pins a container name or host port that would stop `--scale`, and
// every variable of .env.example is one the config library knows.
// Usage: node tools/docker/check-compose.mjs [compose-file] [env-example]
// Prints one line per failed check and a summary; exits 1 when anything failed. Needs no Docker.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const composeFile = path.resolve(process.argv[2] ?? path.join(root, 'docker-compose.yml'));
const envExample = path.resolve(process.argv[3] ?? path.join(root, '.env.example'));

// The infrastructure table: service -> image (tags as written there).
const APP_IMAGE = 'appconda/appconda:1.3.8';
const SEED_SERVICES = {
  traefik: 'traefik:2.7',
  appconda: APP_IMAGE,
  mariadb: 'mariadb:10.7',
  redis: 'redis:7.0.4-alpine',
  influxdb: 'appconda/influxdb:1.5.0',
  telegraf: 'appconda/telegraf:1.4.0',
  'appconda-realtime': APP_IMAGE,
  'appconda-executor': APP_IMAGE,
  'appconda-maintenance': APP_IMAGE,
  'appconda-usage': APP_IMAGE,
  'appconda-schedule': APP_IMAGE,
  'appconda-worker-audits': APP_IMAGE,
  'appconda-worker-webhooks': APP_IMAGE,
  'appconda-worker-deletes': APP_IMAGE,
  'appconda-worker-databases': APP_IMAGE,
  'appconda-worker-builds': APP_IMAGE,
  'appconda-worker-certificates': APP_IMAGE,
  'appconda-worker-functions': APP_IMAGE,
  'appconda-worker-mails': APP_IMAGE,
  'appconda-worker-messaging': APP_IMAGE,
};
const SEED_NETWORKS = ['gateway', 'appconda', 'runtime'];
// Volume -> services that must mount it (the "used by" column, plus the obvious owners).
const SEED_VOLUMES = {
  'appconda-mariadb': ['mariadb'],
  'appconda-redis': ['redis'],
  'appconda-cache': ['appconda', 'appconda-worker-deletes'],
  'appconda-uploads': ['appconda', 'appconda-worker-deletes'],
  'appconda-certificates': ['traefik', 'appconda', 'appconda-worker-deletes', 'appconda-worker-certificates'],
  'appconda-functions': ['appconda', 'appconda-worker-deletes', 'appconda-executor'],
  'appconda-builds': ['appconda-worker-deletes', 'appconda-executor'],
  'appconda-influxdb': ['influxdb'],
  'appconda-config': ['traefik', 'appconda', 'appconda-worker-certificates'],
};

/** The variable names libs/config validates (its compiled variables.ts, rebuilt here so it is current). */
function configVariables() {
  execFileSync(process.execPath, [path.join(root, 'tools', 'build.mjs'), 'libs/config'], { cwd: root, stdio: 'ignore' });
  return require(path.join(root, 'dist', 'libs', 'config', 'src', 'variables.js')).VARIABLES.map((variable) => variable.name);
}

const failures = [];
let checks = 0;
function check(ok, message) {
  checks += 1;
  if (!ok) failures.push(message);
}

function loadYaml(text) {
  try {
    return require('js-yaml').load(text); // resolves `<<: *anchor` merge keys
  } catch (error) {
    if (error.code !== 'MODULE_NOT_FOUND') throw error;
    return require('yaml').parse(text, { merge: true });
  }
}

/** Compose-style interpolation with the defaults only (`${VAR:-default}`), enough to compare image names. */
function interpolateDefaults(value) {
  return String(value).replace(/\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g, (_, _name, fallback) => fallback ?? '');
}

const list = (value) => (Array.isArray(value) ? value : value && typeof value === 'object' ? Object.keys(value) : []);
const volumeSource = (entry) => (typeof entry === 'string' ? entry.split(':')[0] : entry?.source);
const commandOf = (service) => (Array.isArray(service.command) ? service.command.join(' ') : String(service.command ?? '')).trim();

const composeText = readFileSync(composeFile, 'utf8');
const compose = loadYaml(composeText);
const services = compose.services ?? {};

// Services and images.
for (const [name, image] of Object.entries(SEED_SERVICES)) {
  check(name in services, `service "${name}" is missing`);
  if (name in services) check(interpolateDefaults(services[name].image) === image, `service "${name}" uses image "${services[name].image}", expected ${image}`);
}
for (const name of Object.keys(services)) check(name in SEED_SERVICES, `service "${name}" is not in the infrastructure table`);

// Networks.
for (const network of SEED_NETWORKS) check(network in (compose.networks ?? {}), `network "${network}" is not declared`);
for (const [name, service] of Object.entries(services)) {
  const networks = list(service.networks);
  check(networks.includes('appconda'), `service "${name}" is not on the appconda network`);
  check(name === 'appconda-executor' || !networks.includes('runtime'), `service "${name}" joins the runtime network (only the executor may)`);
  check(name === 'traefik' || !networks.includes('gateway'), `service "${name}" joins the gateway network (only traefik does)`);
  for (const network of networks) check(SEED_NETWORKS.includes(network), `service "${name}" uses undeclared network "${network}"`);
}
check(list(services['appconda-executor']?.networks).includes('runtime'), 'the executor is not on the runtime network');
check(list(services.traefik?.networks).includes('gateway'), 'traefik is not on the gateway network');

// Volumes.
for (const [volume, users] of Object.entries(SEED_VOLUMES)) {
  check(volume in (compose.volumes ?? {}), `volume "${volume}" is not declared`);
  for (const user of users) {
    const mounts = (services[user]?.volumes ?? []).map(volumeSource);
    check(mounts.includes(volume), `service "${user}" does not mount volume "${volume}"`);
  }
}
for (const volume of Object.keys(compose.volumes ?? {})) check(volume in SEED_VOLUMES, `volume "${volume}" is not in the infrastructure table`);
const executorMounts = (services['appconda-executor']?.volumes ?? []).map(volumeSource);
check(executorMounts.includes('/var/run/docker.sock'), 'the executor does not mount /var/run/docker.sock');

// Appconda services: real apps, .env, scalable.
const apps = readdirSync(path.join(root, 'apps')).filter((dir) => existsSync(path.join(root, 'apps', dir, 'src', 'main.ts')));
const commands = new Map();
for (const [name, service] of Object.entries(services)) {
  if (interpolateDefaults(service.image) !== APP_IMAGE) continue;
  const command = commandOf(service);
  check(apps.includes(command), `service "${name}" runs "${command}", which is not an app under apps/`);
  check(!commands.has(command), `services "${commands.get(command)}" and "${name}" both run "${command}"`);
  commands.set(command, name);
  check(list(service.env_file).includes('.env') || service.env_file === '.env', `service "${name}" does not read .env (env_file)`);
}
for (const app of apps) check(commands.has(app), `app "${app}" has no service in docker-compose.yml`);
for (const [name, service] of Object.entries(services)) {
  check(!('container_name' in service), `service "${name}" sets container_name (breaks --scale)`);
  if (name !== 'traefik') check(!('ports' in service), `service "${name}" publishes host ports`);
}

// Traefik routing.
const labels = (name) => list(services[name]?.labels).map(String).concat(
  services[name]?.labels && !Array.isArray(services[name].labels) ? Object.entries(services[name].labels).map(([k, v]) => `${k}=${v}`) : [],
);
check(labels('appconda').some((label) => /\.rule=PathPrefix\(`\/`\)$/.test(label)), 'the api has no Traefik rule PathPrefix(`/`)');
check(labels('appconda-realtime').some((label) => /\.rule=PathPrefix\(`\/v1\/realtime`\)$/.test(label)), 'realtime has no Traefik rule PathPrefix(`/v1/realtime`)');

// Variables: .env.example only holds variables the config library knows; compose interpolates only those.
const known = new Set(configVariables());
const interpolated = [...composeText.matchAll(/\$\{([A-Z0-9_]+)(:?-[^}]*)?\}/g)];
if (existsSync(envExample)) {
  const example = readFileSync(envExample, 'utf8')
    .split('\n')
    .map((line) => line.match(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/)?.[1])
    .filter(Boolean);
  check(example.length > 0, '.env.example defines no variable');
  for (const name of example) check(known.has(name), `.env.example sets ${name}, which libs/config does not know`);
  for (const [, name, fallback] of interpolated) {
    check(fallback !== undefined || example.includes(name), `docker-compose.yml interpolates \${${name}} with no default and .env.example does not set it`);
  }
} else {
  console.log(`check-compose: ${path.relative(root, envExample)} does not exist yet; variable checks skipped`);
}
for (const [, name] of interpolated) check(known.has(name) || name === '_APP_VERSION', `docker-compose.yml interpolates \${${name}}, which libs/config does not know`);

for (const failure of failures) console.log(`FAIL ${failure}`);
console.log(`check-compose: ${checks - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
