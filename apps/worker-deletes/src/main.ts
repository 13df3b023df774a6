import { bootstrapService } from '@appconda/transport';

import { WorkerDeletesModule } from './worker-deletes.module';

export const ready = bootstrapService({ service: 'worker-deletes', module: WorkerDeletesModule });
