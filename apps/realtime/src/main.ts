import { bootstrapService } from '@appconda/transport';

import { RealtimeModule } from './realtime.module';

export const ready = bootstrapService({ service: 'realtime', module: RealtimeModule, httpPort: (config) => config.get('realtimePort') });
