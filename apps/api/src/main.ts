import { Module } from '@nestjs/common';
import { bootstrapService } from '@appconda/transport';

import { ApiModule } from './api.module';
import { ConsoleModule } from './console/console.module';

/** The REST API and, beside /v1, the web console. */
@Module({ imports: [ApiModule, ConsoleModule] })
class ApiAppModule {}

export const ready = bootstrapService({ service: 'api', module: ApiAppModule, httpPort: (config) => config.get('port') });
