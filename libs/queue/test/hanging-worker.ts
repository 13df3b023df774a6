// A worker that takes one job and never finishes it: the parent test SIGKILLs this process mid-job.
// Run as: node -r ./ts-register.cjs hanging-worker.ts  (env: _APP_REDIS_PREFIX)
import 'reflect-metadata';
import { Process, Processor } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Job } from 'bull';
import { QueueName } from '@appconda/contracts';

import { QueueModule } from '../src/queue.module';

@Processor(QueueName.Webhooks)
class HangingProcessor {
  @Process()
  process(job: Job): Promise<never> {
    process.stdout.write(`ACTIVE ${job.id}\n`);
    return new Promise<never>(() => undefined);
  }
}

@Module({ imports: [QueueModule.forWorker(QueueName.Webhooks, { settings: { lockDuration: 1000, stalledInterval: 500 } })], providers: [HangingProcessor] })
class HangingWorkerModule {}

void NestFactory.createApplicationContext(HangingWorkerModule, { logger: false }).then((app) => app.init());
