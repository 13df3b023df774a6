import { bootstrapService } from '@appconda/transport';

import { WorkerAuditsModule } from './worker-audits.module';

export const ready = bootstrapService({ service: 'worker-audits', module: WorkerAuditsModule });
