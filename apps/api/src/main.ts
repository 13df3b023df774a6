import { bootstrapService } from '@appconda/transport';

import { ApiModule } from './api.module';

export const ready = bootstrapService({ service: 'api', module: ApiModule, httpPort: (config) => config.get('port') });
