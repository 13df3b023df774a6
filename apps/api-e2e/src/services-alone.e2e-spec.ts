import { spawn } from 'node:child_process';
import path from 'node:path';
import { SERVICES } from '@appconda/contracts';
import { freePort } from '@appconda/testing';

const root = path.resolve(__dirname, '../../..');

interface LogLine {
  service?: string;
  event?: string;
  msg?: string;
  closed?: string;
}

/** Starts one service alone, waits for its structured ready line, then stops it with SIGTERM. */
async function startAlone(service: string): Promise<{ ready: LogLine; exitCode: number | null; lines: LogLine[] }> {
  const env = {
    ...process.env,
    _APP_PORT: String(await freePort()),
    _APP_REALTIME_PORT: String(await freePort()),
    _APP_DB_SCHEMA: process.env.APPCONDA_E2E_SCHEMA,
    _APP_REDIS_PREFIX: process.env.APPCONDA_E2E_REDIS_PREFIX,
    _APP_LOG_LEVEL: 'info',
    APPCONDA_ENV_FILE: '/nonexistent',
  };
  const child = spawn(process.execPath, [path.join(root, 'tools/cli/appconda.js'), service], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: LogLine[] = [];
  let buffered = '';
  const ready = await new Promise<LogLine>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${service} not ready in 30 s: ${buffered}`)), 30000);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const raw = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        try {
          const line = JSON.parse(raw) as LogLine;
          lines.push(line);
          if (line.event === 'ready') {
            clearTimeout(timer);
            resolve(line);
          }
        } catch {
          // not a JSON line
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`${service} exited with ${code} before ready`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return { ready, exitCode: await exited, lines };
}

describe('every service starts alone', () => {
  it.each([...SERVICES])('%s logs a structured ready line and shuts down cleanly on SIGTERM', async (service) => {
    const { ready, exitCode } = await startAlone(service);
    expect(ready).toMatchObject({ service, event: 'ready' });
    expect(exitCode).toBe(0);
  });
});
