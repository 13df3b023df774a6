import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';

const LOG = '/var/log/appconda-dockerd.log';

async function pingable(docker: Docker): Promise<boolean> {
  return docker.ping().then(
    () => true,
    () => false,
  );
}

/**
 * Makes sure a Docker engine runs and the node runtime image exists, like tools/docker/test.sh: starts
 * Debian's dockerd (as root, in the background, logging to /var/log/appconda-dockerd.log) when none
 * answers, and builds the runtime images with tools/images/build-runtime-images.sh when missing.
 * Resolves undefined when ready, or the reason the Docker tests must be skipped (no engine can start).
 */
export async function ensureDockerEngine(repoRoot: string): Promise<string | undefined> {
  const docker = new Docker();
  if (!(await pingable(docker))) {
    const dockerd = ['/usr/sbin/dockerd', '/usr/bin/dockerd'].find((file) => existsSync(file));
    if (!dockerd) return 'no Docker engine answers and dockerd is not installed (apt-get install docker.io)';
    if (process.getuid?.() !== 0) return 'no Docker engine answers and this user cannot start dockerd';
    const log = openSync(LOG, 'a');
    spawn(dockerd, ['--iptables=true'], { detached: true, stdio: ['ignore', log, log] }).unref();
    closeSync(log);
    for (let i = 0; i < 60 && !(await pingable(docker)); i += 1) await new Promise((resolve) => setTimeout(resolve, 1_000));
    if (!(await pingable(docker))) return `dockerd did not start (see ${LOG})`;
  }
  const missing = async (image: string) =>
    docker
      .getImage(image)
      .inspect()
      .then(() => false)
      .catch(() => true);
  if ((await missing('openruntimes/node:v2-18.0')) || (await missing('openruntimes/python:v2-3.9'))) {
    execFileSync('bash', [path.join(repoRoot, 'tools/images/build-runtime-images.sh')], { stdio: 'inherit', timeout: 900_000 });
  }
  return undefined;
}
