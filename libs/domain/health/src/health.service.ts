import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { ErrorType, QueueName } from '@appconda/contracts';
import { AppException } from '@appconda/core';
import { MARIADB_POOL } from '@appconda/database';
import { QueueHealth } from '@appconda/queue';
import { REDIS } from '@appconda/transport';
import type Redis from 'ioredis';
import type { Pool } from 'mariadb';
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';

import { ClamdClient } from './clamd';
import { sntpTime } from './sntp';

export interface HealthStatus {
  ping: number;
  status: 'pass' | 'fail';
}

export interface HealthTime {
  remoteTime: number;
  localTime: number;
  diff: number;
}

export interface HealthAntivirus {
  version: string;
  status: 'disabled' | 'offline' | 'online';
}

/** Where /v1/health/time asks for the time (Appwrite asks time.google.com). */
export interface HealthOptions {
  ntpHost: string;
  ntpPort: number;
}

export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');
const DEFAULT_OPTIONS: HealthOptions = { ntpHost: 'time.google.com', ntpPort: 123 };

/** Real checks of the dependencies the API reads and writes (no canned answers). */
@Injectable()
export class HealthService {
  private readonly options: HealthOptions;

  constructor(
    private readonly config: AppConfig,
    private readonly queues: QueueHealth,
    @Inject(MARIADB_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: Redis,
    @Optional() @Inject(HEALTH_OPTIONS) options?: Partial<HealthOptions>,
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
  }

  status(): HealthStatus {
    return { ping: 0, status: 'pass' };
  }

  db(): Promise<HealthStatus> {
    return timed(async () => {
      await this.pool.query('SELECT 1');
    }, 'Database is not available');
  }

  cache(): Promise<HealthStatus> {
    return timed(async () => {
      if ((await this.redis.ping()) !== 'PONG') throw new Error('unexpected PING answer');
    }, 'Cache is not available');
  }

  async time(): Promise<HealthTime> {
    let remote: number;
    try {
      remote = await sntpTime(this.options.ntpHost, this.options.ntpPort);
    } catch (error) {
      throw new AppException(ErrorType.GeneralServerError, `Time server ${this.options.ntpHost} did not answer: ${(error as Error).message}`);
    }
    const local = Date.now();
    const diff = local - remote;
    if (Math.abs(diff) > 20_000) throw new AppException(ErrorType.GeneralServerError, `Server time is off by ${Math.round(diff / 1000)} seconds`);
    return { remoteTime: Math.floor(remote / 1000), localTime: Math.floor(local / 1000), diff };
  }

  async queueSize(queue: QueueName): Promise<{ size: number }> {
    const counts = await this.queues.counts(queue);
    return { size: counts.waiting };
  }

  /** Every local volume must exist (it is created when missing) and be readable and writable. */
  storageLocal(): Promise<HealthStatus> {
    const paths = this.config.get('storage').paths;
    return timed(async () => {
      for (const [name, dir] of Object.entries(paths)) {
        if (name === 'root') continue;
        await mkdir(dir, { recursive: true });
        try {
          await access(dir, constants.R_OK | constants.W_OK);
        } catch {
          throw new Error(`Device ${name} dir is not readable or writable`);
        }
      }
    }, 'Storage is not available');
  }

  async antivirus(): Promise<HealthAntivirus> {
    const antivirus = this.config.get('storage').antivirus;
    if (!antivirus.enabled) return { version: '', status: 'disabled' };
    const clamd = new ClamdClient({ host: antivirus.host, port: antivirus.port, timeoutMs: 3000 });
    try {
      if (!(await clamd.ping())) return { version: '', status: 'offline' };
      return { version: await clamd.version(), status: 'online' };
    } catch {
      return { version: '', status: 'offline' };
    }
  }

  /** Readiness for orchestrators: the database and Redis answer. */
  async ready(): Promise<{ status: 'pass'; db: HealthStatus; cache: HealthStatus }> {
    try {
      const [db, cache] = await Promise.all([this.db(), this.cache()]);
      return { status: 'pass', db, cache };
    } catch (error) {
      // 503 so load balancers take the instance out of rotation until its dependencies are back.
      throw new AppException({ ...ErrorType.GeneralServerError, code: 503 }, (error as Error).message);
    }
  }
}

async function timed(check: () => Promise<void>, failure: string): Promise<HealthStatus> {
  const started = performance.now();
  try {
    await check();
  } catch (error) {
    throw new AppException(ErrorType.GeneralServerError, `${failure}: ${(error as Error).message}`);
  }
  return { ping: Math.round(performance.now() - started), status: 'pass' };
}
