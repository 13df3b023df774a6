import { bootstrapService } from '@appconda/transport';

import { WorkerMessagingModule } from './worker-messaging.module';

export const ready = bootstrapService({ service: 'worker-messaging', module: WorkerMessagingModule });
