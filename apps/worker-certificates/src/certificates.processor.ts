import { Process, Processor } from '@nestjs/bull';
import { Inject, Optional } from '@nestjs/common';
import { Job } from 'bull';
import { CertificateJob, QueueName } from '@appconda/contracts';
import { JobHandler, jobHandlerToken, QueueProcessor } from '@appconda/queue';

/**
 * TLS certificate issue and renewal: adapts each Bull job of the queue to the JobHandler that
 * CertificatesModule (@appconda/certificates) binds to `jobHandlerToken(QueueName.Certificates)`. Without it
 * every job would fail, be retried and then dead-lettered, and the boot would log `job_handler_missing`.
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
