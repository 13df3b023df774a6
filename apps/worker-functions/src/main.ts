import { bootstrapService } from '@appconda/transport';

import { WorkerFunctionsModule } from './worker-functions.module';

export const ready = bootstrapService({ service: 'worker-functions', module: WorkerFunctionsModule });
