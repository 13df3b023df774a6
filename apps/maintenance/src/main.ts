import { bootstrapService } from '@appconda/transport';

import { MaintenanceModule } from './maintenance.module';

export const ready = bootstrapService({ service: 'maintenance', module: MaintenanceModule });
