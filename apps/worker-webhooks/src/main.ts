import { bootstrapService } from '@appconda/transport';

import { WorkerWebhooksModule } from './worker-webhooks.module';

export const ready = bootstrapService({ service: 'worker-webhooks', module: WorkerWebhooksModule });
