import { Process, Processor } from '@nestjs/bull';
import { Inject, Optional } from '@nestjs/common';
import { Job } from 'bull';
import { QueueName, UsageJob } from '@appconda/contracts';
import { JobHandler, jobHandlerToken, QueueProcessor } from '@appconda/queue';

/** Adds each `v1-usage` batch of API counters to MariaDB `stats`, and to InfluxDB when it runs (UsagePointsHandler). */
@Processor(QueueName.Usage)
export class UsageProcessor extends QueueProcessor<QueueName.Usage> {
  constructor(@Optional() @Inject(jobHandlerToken(QueueName.Usage)) handler?: JobHandler<QueueName.Usage>) {
    super(QueueName.Usage, handler);
  }

  // Batches are independent and their writes idempotent: a few at once keep up with many API replicas.
  @Process({ concurrency: 4 })
  process(job: Job<UsageJob>): Promise<unknown> {
    return this.run(job);
  }
}
