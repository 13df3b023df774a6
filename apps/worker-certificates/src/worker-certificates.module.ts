import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { QueueModule } from '@appconda/queue';

import { CertificatesProcessor } from './certificates.processor';

/** Consumes QueueName.Certificates; the feature module that provides its JobHandler joins `imports` when it lands. */
@Module({ imports: [QueueModule.forWorker(QueueName.Certificates)], providers: [CertificatesProcessor] })
export class WorkerCertificatesModule {}
