import { Module } from '@nestjs/common';
import { CertificatesModule } from '@appconda/certificates';
import { QueueName } from '@appconda/contracts';
import { DatabaseModule } from '@appconda/database';
import { QueueModule } from '@appconda/queue';

import { CertificatesProcessor } from './certificates.processor';

/** Consumes QueueName.Certificates: each job issues or renews one domain's certificate (CertificatesJobHandler). */
@Module({ imports: [DatabaseModule.forRoot(), QueueModule.forWorker(QueueName.Certificates), CertificatesModule], providers: [CertificatesProcessor] })
export class WorkerCertificatesModule {}
