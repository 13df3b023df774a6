import { bootstrapService } from '@appconda/transport';

import { WorkerCertificatesModule } from './worker-certificates.module';

export const ready = bootstrapService({ service: 'worker-certificates', module: WorkerCertificatesModule });
