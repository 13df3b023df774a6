import { Column, Entity } from 'typeorm';

import { ScopedEntity } from './scoped.entity';

/** A function (Appwrite 1.3 `functions`); its variables, deployments, builds and executions have their own tables. */
@Entity('functions')
export class FunctionEntity extends ScopedEntity {
  /** Roles allowed to execute it (`any`, `users`, `user:<id>` …). */
  @Column({ type: 'json' }) execute: string[];
  @Column({ type: 'varchar' }) name: string;
  @Column({ type: 'boolean' }) enabled: boolean;
  /** A runtimes catalogue key, fixed at creation. */
  @Column({ type: 'varchar' }) runtime: string;
  /** The active deployment's `$id`, '' when none. */
  @Column({ type: 'varchar' }) deployment: string;
  @Column({ type: 'json' }) events: string[];
  /** Five-field cron expression, '' when not scheduled. */
  @Column({ type: 'varchar' }) schedule: string;
  @Column({ type: 'datetime', precision: 3, nullable: true }) scheduleUpdatedAt: Date | null;
  @Column({ type: 'datetime', precision: 3, nullable: true }) schedulePrevious: Date | null;
  @Column({ type: 'datetime', precision: 3, nullable: true }) scheduleNext: Date | null;
  /** Seconds. */
  @Column({ type: 'int', unsigned: true }) timeout: number;
  @Column({ type: 'text', nullable: true }) search: string | null;
}

/** A function's code upload (1.3 `deployments`, resourceType `functions`). */
@Entity('deployments')
export class DeploymentEntity extends ScopedEntity {
  @Column({ type: 'bigint', unsigned: true }) functionInternalId: string;
  /** The function's `$id`. */
  @Column({ type: 'varchar' }) resourceId: string;
  @Column({ type: 'varchar' }) resourceType: string;
  /** The build of this deployment, '' until worker-builds starts it. */
  @Column({ type: 'varchar' }) buildId: string;
  @Column({ type: 'varchar' }) entrypoint: string;
  /** Absolute path of the uploaded `.tar.gz` (the functions volume). */
  @Column({ type: 'varchar' }) path: string;
  @Column({ type: 'bigint', unsigned: true }) size: string | number;
  @Column({ type: 'json' }) metadata: Record<string, unknown>;
  @Column({ type: 'int', unsigned: true }) chunksTotal: number;
  @Column({ type: 'int', unsigned: true }) chunksUploaded: number;
  /** Activate the deployment once its build is ready. */
  @Column({ type: 'boolean' }) activate: boolean;
  @Column({ type: 'text', nullable: true }) search: string | null;
}

export type BuildStatus = 'processing' | 'building' | 'ready' | 'failed';

/** One build of a deployment (1.3 `builds`). */
@Entity('builds')
export class BuildEntity extends ScopedEntity {
  @Column({ type: 'varchar' }) deploymentId: string;
  @Column({ type: 'varchar' }) runtime: string;
  @Column({ type: 'varchar' }) status: BuildStatus;
  /** The built artifact the executor runs (absolute path on the builds volume), '' until ready. */
  @Column({ type: 'varchar' }) outputPath: string;
  @Column({ type: 'varchar' }) source: string;
  @Column({ type: 'varchar' }) sourceType: string;
  @Column({ type: 'mediumtext' }) stdout: string;
  @Column({ type: 'mediumtext' }) stderr: string;
  @Column({ type: 'datetime', precision: 3, nullable: true }) startTime: Date | null;
  @Column({ type: 'datetime', precision: 3, nullable: true }) endTime: Date | null;
  /** Seconds. */
  @Column({ type: 'int', unsigned: true }) duration: number;
}

export type ExecutionStatus = 'waiting' | 'processing' | 'completed' | 'failed';

/** One run of a function (1.3 `executions`). */
@Entity('executions')
export class ExecutionEntity extends ScopedEntity {
  @Column({ type: 'bigint', unsigned: true }) functionInternalId: string;
  @Column({ type: 'varchar' }) functionId: string;
  @Column({ type: 'varchar' }) deploymentId: string;
  /** `http`, `event` or `schedule`. */
  @Column({ type: 'varchar' }) trigger: string;
  @Column({ type: 'varchar' }) status: ExecutionStatus;
  @Column({ type: 'int' }) statusCode: number;
  @Column({ type: 'mediumtext' }) response: string;
  @Column({ type: 'mediumtext' }) stdout: string;
  @Column({ type: 'mediumtext' }) stderr: string;
  /** Seconds. */
  @Column({ type: 'double' }) duration: number;
  @Column({ type: 'text', nullable: true }) search: string | null;
}

/** A function's environment variable (1.3 `variables`); its key is unique per function. */
@Entity('variables')
export class VariableEntity extends ScopedEntity {
  @Column({ type: 'bigint', unsigned: true }) functionInternalId: string;
  @Column({ type: 'varchar' }) functionId: string;
  @Column({ type: 'varchar' }) key: string;
  @Column({ type: 'text' }) value: string;
  @Column({ type: 'text', nullable: true }) search: string | null;
}

/**
 * One cron schedule across all projects, read by the schedule service (the console's own rows:
 * `_project = 'console'`, the owning project in `projectId`), so finding what is due is one index range.
 */
@Entity('schedules')
export class ScheduleEntity extends ScopedEntity {
  @Column({ type: 'varchar' }) resourceType: string;
  @Column({ type: 'varchar' }) projectId: string;
  @Column({ type: 'varchar' }) resourceId: string;
  @Column({ type: 'bigint', unsigned: true }) resourceInternalId: string;
  @Column({ type: 'varchar' }) schedule: string;
  @Column({ type: 'boolean' }) active: boolean;
  /** The tick to fire next. */
  @Column({ type: 'datetime', precision: 3, nullable: true }) next: Date | null;
  @Column({ type: 'datetime', precision: 3, nullable: true }) previous: Date | null;
}
