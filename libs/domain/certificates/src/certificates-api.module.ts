import { Module } from '@nestjs/common';
import { QueueName } from '@appconda/contracts';
import { QueueModule } from '@appconda/queue';
import { RedisModule } from '@appconda/transport';

import { AcmeChallengeRoute } from './acme-challenge.route';
import { AcmeChallenges } from './acme-challenges';
import { MainDomainCertificate } from './main-domain';

/**
 * API side: answers HTTP-01 challenges at `/.well-known/acme-challenge/<token>` (outside `/v1`, before any
 * project resolution) and enqueues the main domain's certificate at start.
 */
@Module({
  imports: [RedisModule, QueueModule.forProducer(QueueName.Certificates)],
  providers: [AcmeChallenges, AcmeChallengeRoute, MainDomainCertificate],
})
export class CertificatesApiModule {}
