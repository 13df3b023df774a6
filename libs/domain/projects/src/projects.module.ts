import { Module } from '@nestjs/common';

import { ProjectDeletesHandler } from './project-deletes.handler';

/**
 * The projects lib's worker side: the deletes handler for DeleteJobType.Projects (`@HandlesJob`),
 * run by worker-deletes, whose queue dispatches by job type. Needs DatabaseModule in the app.
 */
@Module({ providers: [ProjectDeletesHandler], exports: [ProjectDeletesHandler] })
export class ProjectsModule {}
