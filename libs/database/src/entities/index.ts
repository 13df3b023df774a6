import { AttributeEntity } from './attribute.entity';
import { AuditEntity } from './audit.entity';
import { BucketEntity } from './bucket.entity';
import { CertificateEntity } from './certificate.entity';
import { IndexEntity } from './collection-index.entity';
import { CollectionEntity } from './collection.entity';
import { DatabaseEntity } from './database.entity';
import { DomainEntity } from './domain.entity';
import { FileEntity } from './file.entity';
import { KeyEntity } from './key.entity';
import { MembershipEntity } from './membership.entity';
import { PlatformEntity } from './platform.entity';
import { ProjectEntity } from './project.entity';
import { SessionEntity } from './session.entity';
import { TeamEntity } from './team.entity';
import { TokenEntity } from './token.entity';
import { UserEntity } from './user.entity';
import { WebhookEntity } from './webhook.entity';

export { AuditEntity, CertificateEntity, DomainEntity, KeyEntity, MembershipEntity, PlatformEntity, ProjectEntity, SessionEntity, TeamEntity, TokenEntity, UserEntity, WebhookEntity };
export { ScopedEntity } from './scoped.entity';
export { AttributeEntity, CollectionEntity, DatabaseEntity, IndexEntity };
export type { SchemaStatus } from './attribute.entity';
export { BucketEntity, FileEntity };

/** Every entity the DataSource maps. */
export const ENTITIES = [BucketEntity, FileEntity, AttributeEntity, CollectionEntity, DatabaseEntity, IndexEntity, AuditEntity, CertificateEntity, DomainEntity, KeyEntity, MembershipEntity, PlatformEntity, ProjectEntity, SessionEntity, TeamEntity, TokenEntity, UserEntity, WebhookEntity];
