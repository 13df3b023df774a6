import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { jobHandlerToken, QueueModule } from '@appconda/queue';
import { RedisModule } from '@appconda/transport';

import { AcmeChallenges } from './acme-challenges';
import { AcmeIssuer } from './acme-issuer';
import { CertificateFiles } from './certificate-files';
import { CertificateLocks } from './certificate-locks';
import { CertificatesJobHandler } from './certificates.handler';
import { cnameResolverProvider } from './dns';

const CERTIFICATES_HANDLER = jobHandlerToken(QueueName.Certificates);

/**
 * Worker side: the JobHandler worker-certificates binds to its queue. Needs the app's global
 * DatabaseModule.forRoot() (certificate and domain rows) and ConfigModule.
 */
@Module({
  imports: [RedisModule, QueueModule.forProducer(QueueName.Mails)],
  providers: [AcmeChallenges, AcmeIssuer, CertificateFiles, CertificateLocks, CertificatesJobHandler, cnameResolverProvider, { provide: CERTIFICATES_HANDLER, useExisting: CertificatesJobHandler }],
  exports: [CERTIFICATES_HANDLER, CertificatesJobHandler, CertificateFiles],
})
export class CertificatesModule {}
