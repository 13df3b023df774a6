import { bootstrapService } from '@appconda/transport';

import { WorkerMailsModule } from './worker-mails.module';

export const ready = bootstrapService({ service: 'worker-mails', module: WorkerMailsModule });
