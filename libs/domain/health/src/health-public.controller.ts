import { Controller, Get } from '@nestjs/common';
import { APP_VERSION } from '@appconda/contracts';
import { AuthType, Route } from '@appconda/core';

/** Unauthenticated liveness for orchestrators (Appwrite 1.3 serves /v1/health/version publicly). */
@Controller('health')
export class HealthPublicController {
  @Get('version')
  @Route({ auth: [AuthType.Guest, AuthType.Session, AuthType.Key, AuthType.Admin], scope: 'public' })
  version(): { version: string } {
    return { version: APP_VERSION };
  }
}
