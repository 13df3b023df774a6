import { bootstrapService } from '@appconda/transport';

import { WorkerDatabasesModule } from './worker-databases.module';

export const ready = bootstrapService({ service: 'worker-databases', module: WorkerDatabasesModule });
