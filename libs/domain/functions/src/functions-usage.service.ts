import { Injectable } from '@nestjs/common';
import { Metric, statKey, UsageStatsService } from '@appconda/usage';

import { FunctionsService } from './functions.service';

/** The 1.3 `usageFunctions` model (project-wide and per function). */
export interface UsageFunctionsModel {
  range: string;
  executionsTotal: Metric[];
  executionsFailure: Metric[];
  executionsSuccess: Metric[];
  executionsTime: Metric[];
  buildsTotal: Metric[];
  buildsFailure: Metric[];
  buildsSuccess: Metric[];
  buildsTime: Metric[];
}

/** The series of executions and builds (counts, and time in ms), for the project or below one function. */
function fields(...path: string[]): Record<Exclude<keyof UsageFunctionsModel, 'range'>, string> {
  const model: Record<string, string> = {};
  for (const kind of ['executions', 'builds']) {
    for (const [field, suffix] of [['Total', 'total'], ['Failure', 'failure'], ['Success', 'success'], ['Time', 'time']]) model[`${kind}${field}`] = statKey(`${kind}.compute.${suffix}`, ...path);
  }
  return model as Record<Exclude<keyof UsageFunctionsModel, 'range'>, string>;
}

/** Functions usage charts from the usage statistics (worker-functions, the api and worker-builds count them). */
@Injectable()
export class FunctionsUsageService {
  constructor(
    private readonly functions: FunctionsService,
    private readonly stats: UsageStatsService,
  ) {}

  projectUsage(projectId: string, range: string): Promise<UsageFunctionsModel> {
    return this.stats.series(projectId, range, fields());
  }

  /** One function's charts; 404 function_not_found first. */
  async functionUsage(projectId: string, functionId: string, range: string): Promise<UsageFunctionsModel> {
    const fn = await this.functions.find(projectId, functionId);
    return this.stats.series(projectId, range, fields(fn.uid));
  }
}
