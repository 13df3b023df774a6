import { AttributeRepository } from './attribute.repository';
import { AuditRepository } from './audit.repository';
import { BucketRepository } from './bucket.repository';
import { CertificateRepository } from './certificate.repository';
import { IndexRepository } from './collection-index.repository';
import { CollectionTableRepository } from './collection-table.repository';
import { CollectionRepository } from './collection.repository';
import { DatabaseRepository } from './database.repository';
import { DomainRepository } from './domain.repository';
import { FileRepository } from './file.repository';
import { KeyRepository } from './key.repository';
import { MembershipRepository } from './membership.repository';
import { PlatformRepository } from './platform.repository';
import { ProjectRepository } from './project.repository';
import { SessionRepository } from './session.repository';
import { StatsRepository } from './stats.repository';
import { TeamRepository } from './team.repository';
import { TokenRepository } from './token.repository';
import { UserRepository } from './user.repository';
import { WebhookRepository } from './webhook.repository';

export { AuditRepository, CertificateRepository, DomainRepository, KeyRepository, MembershipRepository, PlatformRepository, ProjectRepository, SessionRepository, TeamRepository, TokenRepository, UserRepository, WebhookRepository };
export type { AuditEntryInput, AuditPage } from './audit.repository';
export type { CertificateData } from './certificate.repository';
export * from './scoped.repository';
export { AttributeRepository, CollectionRepository, CollectionTableRepository, DatabaseRepository, IndexRepository };
export type { TableColumn } from './collection-table.repository';
export { schemaRowUid } from './attribute.repository';
export { BucketRepository, FileRepository };
export { StatsRepository };
export type { ResourceCount, StatPeriod, StatRow } from './stats.repository';

/** Every repository, registered by DatabaseModule. */
export const REPOSITORIES = [
  BucketRepository,
  FileRepository,
  AttributeRepository,
  CollectionRepository,
  CollectionTableRepository,
  DatabaseRepository,
  IndexRepository,
  AuditRepository,
  CertificateRepository,
  DomainRepository,
  KeyRepository,
  MembershipRepository,
  PlatformRepository,
  ProjectRepository,
  SessionRepository,
  StatsRepository,
  TeamRepository,
  TokenRepository,
  UserRepository,
  WebhookRepository,
];
