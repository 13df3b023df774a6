import { bootstrapService } from '@appconda/transport';

import { WorkerBuildsModule } from './worker-builds.module';

export const ready = bootstrapService({ service: 'worker-builds', module: WorkerBuildsModule });
