import { Module } from '@nestjs/common';
import { HttpPipelineModule } from '@appconda/core';
import { HealthApiModule } from '@appconda/health';

/** The REST API: the HTTP pipeline plus every Appwrite service module. */
export const API_MODULES = [HealthApiModule];

@Module({ imports: [HttpPipelineModule, ...API_MODULES] })
export class ApiModule {}
