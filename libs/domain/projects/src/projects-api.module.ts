import { Module } from '@nestjs/common';
import { cnameResolverProvider } from '@appconda/certificates';
import { AppConfig } from '@appconda/config';
import { QueueName } from '@appconda/contracts';
import { QueueModule } from '@appconda/queue';
import { UsageStatsModule } from '@appconda/usage';

import { ConsoleController } from './console.controller';
import { DomainsService } from './domains.service';
import { KeySecretCipher } from './key-secret';
import { KeysService } from './keys.service';
import { PlatformsService } from './platforms.service';
import { ProjectAccess } from './project-access';
import { ProjectChildrenLoader } from './project-children';
import { ProjectResourcesController } from './project-resources.controller';
import { ProjectsController } from './projects.controller';
import { ProjectsService } from './projects.service';
import { UsageService } from './usage.service';
import { WebhooksService } from './webhooks.service';

/**
 * The console's /v1/projects* and /v1/console routes. Needs DatabaseModule, RedisModule and
 * IdentityModule (ProjectContextService) in the app; enqueues project deletes and certificates.
 */
@Module({
  imports: [QueueModule.forProducer(QueueName.Deletes, QueueName.Certificates), UsageStatsModule],
  controllers: [ConsoleController, ProjectsController, ProjectResourcesController],
  providers: [
    cnameResolverProvider,
    { provide: KeySecretCipher, inject: [AppConfig], useFactory: (config: AppConfig) => new KeySecretCipher(config.get('opensslKey')) },
    DomainsService,
    KeysService,
    PlatformsService,
    ProjectAccess,
    ProjectChildrenLoader,
    ProjectsService,
    UsageService,
    WebhooksService,
  ],
  exports: [KeySecretCipher],
})
export class ProjectsApiModule {}
