import { Controller, Inject, Type } from '@nestjs/common';
import { MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { BuildRequest, DeleteRuntimeRequest, ErrorType, ExecuteRequest, ExecutorCommand, executorPattern } from '@appconda/contracts';
import { isAppException, serviceLogger } from '@appconda/core';

import { ExecutorService } from './executor.service';

const logger = serviceLogger('executor');

/** Runs a command; its failure travels back as Appwrite's `{type, code, message}` (ExecutorClient rebuilds it). */
async function answer<T>(command: ExecutorCommand, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isAppException(error)) throw new RpcException({ type: error.type, code: error.code, message: error.message });
    logger.error({ err: error, command }, 'executor command failed');
    throw new RpcException({ ...ErrorType.GeneralServerError, message: `The executor's ${command} failed: ${(error as Error).message}` });
  }
}

/** The executor's RPC handlers on this installation's prefixed patterns (like the health controller). */
export function executorController(prefix: string): Type {
  @Controller()
  class ExecutorController {
    constructor(@Inject(ExecutorService) private readonly service: ExecutorService) {}

    @MessagePattern(executorPattern(ExecutorCommand.Build, prefix))
    build(@Payload() request: BuildRequest) {
      return answer(ExecutorCommand.Build, () => this.service.build(request));
    }

    @MessagePattern(executorPattern(ExecutorCommand.Execute, prefix))
    execute(@Payload() request: ExecuteRequest) {
      return answer(ExecutorCommand.Execute, () => this.service.execute(request));
    }

    @MessagePattern(executorPattern(ExecutorCommand.DeleteRuntime, prefix))
    async deleteRuntime(@Payload() request: DeleteRuntimeRequest) {
      await answer(ExecutorCommand.DeleteRuntime, () => this.service.deleteRuntime(request));
      return { deleted: true };
    }
  }
  return ExecutorController;
}
