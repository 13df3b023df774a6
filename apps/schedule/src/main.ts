import { bootstrapService } from '@appconda/transport';

import { ScheduleModule } from './schedule.module';

export const ready = bootstrapService({ service: 'schedule', module: ScheduleModule });
