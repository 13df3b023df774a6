import { bootstrapService } from '@appconda/transport';

import { RealtimeAppModule } from './realtime.module';

export const ready = bootstrapService({ service: 'realtime', module: RealtimeAppModule, httpPort: (config) => config.get('realtimePort') });
