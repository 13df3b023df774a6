import { Controller, Get } from '@nestjs/common';
import { APP_VERSION } from '@appconda/contracts';
import { AuthType, Route } from '@appconda/core';

import { HealthService } from './health.service';

const PUBLIC = { auth: [AuthType.Guest, AuthType.Session, AuthType.Key, AuthType.Admin], scope: 'public' };

/** Unauthenticated liveness and readiness for orchestrators (Appwrite 1.3 serves /v1/health/version publicly). */
@Controller('health')
export class HealthPublicController {
  constructor(private readonly health: HealthService) {}

  /** Liveness: the process serves HTTP. */
  @Get('version')
  @Route(PUBLIC)
  version(): { version: string } {
    return { version: APP_VERSION };
  }

  /** Readiness (Appconda addition): MariaDB and Redis answer; 503 otherwise. */
  @Get('ready')
  @Route(PUBLIC)
  ready() {
    return this.health.ready();
  }
}
