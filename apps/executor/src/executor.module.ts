import { Module } from '@nestjs/common';
import { ExecutorRuntimeModule } from '@appconda/executor';

@Module({ imports: [ExecutorRuntimeModule], exports: [ExecutorRuntimeModule] })
export class ExecutorModule {}
