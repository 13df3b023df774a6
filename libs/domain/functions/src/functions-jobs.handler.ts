import { Injectable } from '@nestjs/common';
import { FunctionJob, QueueName } from '@appconda/contracts';
import { serviceLogger } from '@appconda/core';
import { CONSOLE_PROJECT_ID, ExecutionEntity, ExecutionRepository, FunctionRepository } from '@appconda/database';
import { JobContext, JobHandler } from '@appconda/queue';

import { ExecutionRunner } from './execution-runner';
import { WorkerEvents } from './function-events';
import { pendingExecution, toExecutionModel } from './functions.dto';

const logger = serviceLogger('worker-functions');
const EXECUTION_UPDATE = 'functions.[functionId].executions.[executionId].update';

/**
 * worker-functions: runs async HTTP executions, event-triggered and scheduled ones. Every job names
 * its execution (the api and the scheduler create theirs `waiting`; event jobs carry a deterministic id
 * and the row is created here), and only the worker that moves it from `waiting` to `processing` runs
 * it: a job delivered twice, or two schedulers firing one tick, run the code once. A job retried after
 * its worker died mid-run marks the execution failed instead of running the code a second time.
 */
@Injectable()
export class FunctionsJobHandler implements JobHandler<QueueName.Functions> {
  constructor(
    private readonly events: WorkerEvents,
    private readonly executions: ExecutionRepository,
    private readonly functions: FunctionRepository,
    private readonly runner: ExecutionRunner,
  ) {}

  async handle(job: FunctionJob, context: JobContext): Promise<{ status: string }> {
    if (job.projectId === CONSOLE_PROJECT_ID || !job.executionId) return { status: 'skipped' };
    const fn = await this.functions.findByUid(job.projectId, job.functionId);
    if (!fn) return { status: 'skipped' };
    let execution = await this.executions.findByUid(job.projectId, job.executionId);
    if (!execution && job.trigger === 'event') {
      execution = await this.executions.createOnce(job.projectId, pendingExecution(fn, job.executionId, fn.deployment, 'event', 'waiting', job.userId));
    }
    if (!execution) return { status: 'skipped' };
    if (!(await this.executions.claim(job.projectId, execution.uid))) {
      if (execution.status === 'processing' && context.attempt > 1) {
        const row = await this.executions.update(job.projectId, execution.uid, { status: 'failed', statusCode: 500, stderr: 'The execution was interrupted: its worker stopped while running it.' });
        if (row) this.emit(job, row);
        return { status: 'failed' };
      }
      return { status: 'duplicate' };
    }
    const input = {
      projectId: job.projectId,
      trigger: job.trigger,
      data: job.data ?? '',
      userId: job.userId,
      jwt: job.jwt,
      event: job.events?.[0],
      eventData: job.eventData,
    };
    let done: ExecutionEntity;
    try {
      const runnable = await this.runner.runnable(job.projectId, fn);
      done = await this.runner.run(runnable, execution, input);
    } catch (error) {
      // No deployment, no ready build, a runtime no longer offered: the execution fails with the reason.
      const message = error instanceof Error ? error.message : String(error);
      done = (await this.executions.update(job.projectId, execution.uid, { status: 'failed', statusCode: (error as { code?: number }).code ?? 500, stderr: message })) ?? execution;
      logger.info({ event: 'execution_not_run', projectId: job.projectId, functionId: fn.uid, executionId: execution.uid, reason: message }, 'execution failed before running');
    }
    this.emit(job, done);
    return { status: done.status };
  }

  private emit(job: FunctionJob, row: ExecutionEntity): void {
    this.events.emit(job.projectId, EXECUTION_UPDATE, { functionId: row.functionId, executionId: row.uid }, toExecutionModel(row, true), job.userId);
  }
}
