import { bootstrapService } from '@appconda/transport';

import { UsageModule } from './usage.module';

export const ready = bootstrapService({ service: 'usage', module: UsageModule });
