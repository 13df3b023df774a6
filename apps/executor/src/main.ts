import { executorController } from '@appconda/executor';
import { bootstrapService } from '@appconda/transport';

import { ExecutorModule } from './executor.module';

export const ready = bootstrapService({ service: 'executor', module: ExecutorModule, controllers: (prefix) => [executorController(prefix)] });
