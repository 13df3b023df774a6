import { Process, Processor } from '@nestjs/bull';
import { Inject, Optional } from '@nestjs/common';
import { Job } from 'bull';
import { CertificateJob, QueueName } from '@appconda/contracts';
import { JobHandler, jobHandlerToken, QueueProcessor } from '@appconda/queue';

/**
 * TLS certificate issue and renewal: adapts each Bull job of the queue to the handler a feature
 * lib binds to `jobHandlerToken(QueueName.Certificates)`. Until one is bound every job fails, is retried and then
 * dead-lettered, and the boot logs `job_handler_missing`.
 */
@Processor(QueueName.Certificates)
export class CertificatesProcessor extends QueueProcessor<QueueName.Certificates> {
  constructor(@Optional() @Inject(jobHandlerToken(QueueName.Certificates)) handler?: JobHandler<QueueName.Certificates>) {
    super(QueueName.Certificates, handler);
  }

  @Process()
  process(job: Job<CertificateJob>): Promise<unknown> {
    return this.run(job);
  }
}
