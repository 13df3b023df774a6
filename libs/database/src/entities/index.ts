import { AuditEntity } from './audit.entity';
import { DomainEntity } from './domain.entity';
import { KeyEntity } from './key.entity';
import { MembershipEntity } from './membership.entity';
import { PlatformEntity } from './platform.entity';
import { ProjectEntity } from './project.entity';
import { SessionEntity } from './session.entity';
import { TeamEntity } from './team.entity';
import { TokenEntity } from './token.entity';
import { UserEntity } from './user.entity';
import { WebhookEntity } from './webhook.entity';

export { AuditEntity, DomainEntity, KeyEntity, MembershipEntity, PlatformEntity, ProjectEntity, SessionEntity, TeamEntity, TokenEntity, UserEntity, WebhookEntity };
export { ScopedEntity } from './scoped.entity';

/** Every entity the DataSource maps. */
export const ENTITIES = [AuditEntity, DomainEntity, KeyEntity, MembershipEntity, PlatformEntity, ProjectEntity, SessionEntity, TeamEntity, TokenEntity, UserEntity, WebhookEntity];
