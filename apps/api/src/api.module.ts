import { Global, Module } from '@nestjs/common';
import { AccountApiModule } from '@appconda/account';
import { AvatarsApiModule } from '@appconda/avatars';
import { HttpPipelineModule } from '@appconda/core';
import { DatabasesApiModule } from '@appconda/databases';
import { DocumentsApiModule } from '@appconda/documents';
import { DatabaseModule } from '@appconda/database';
import { HealthApiModule } from '@appconda/health';
import { IdentityModule } from '@appconda/identity';
import { LocaleApiModule } from '@appconda/locale';
import { OAuth2ApiModule } from '@appconda/oauth2';
import { PreviewsApiModule } from '@appconda/previews';
import { ProjectsApiModule } from '@appconda/projects';
import { StorageApiModule } from '@appconda/storage';
import { TeamsApiModule } from '@appconda/teams';
import { EVENT_SUBSCRIBERS, EventSubscriber, RedisModule } from '@appconda/transport';
import { UsageCollectorModule } from '@appconda/usage';
import { UsersApiModule } from '@appconda/users';
import { WebhookEventSubscriber, WebhookEventsModule } from '@appconda/webhooks';

/** Every Appwrite service the REST API serves; a new service is one more entry here. */
export const API_MODULES = [AccountApiModule, AvatarsApiModule, DatabasesApiModule, DocumentsApiModule, HealthApiModule, LocaleApiModule, OAuth2ApiModule, PreviewsApiModule, ProjectsApiModule, StorageApiModule, TeamsApiModule, UsageCollectorModule, UsersApiModule];

/**
 * Durable consumers the EventBus calls for every change (webhook deliveries, …). Global because the EventBus
 * lives in the global EventBusModule, which only sees its own imports and global modules.
 */
@Global()
@Module({
  imports: [WebhookEventsModule],
  providers: [{ provide: EVENT_SUBSCRIBERS, inject: [WebhookEventSubscriber], useFactory: (...subscribers: EventSubscriber[]) => subscribers }],
  exports: [EVENT_SUBSCRIBERS],
})
class EventSubscribersModule {}

/** The REST API: data access, the request pipeline (identity, abuse, scopes, validation) and the service modules. */
@Module({ imports: [DatabaseModule.forRoot(), RedisModule, IdentityModule, HttpPipelineModule, EventSubscribersModule, ...API_MODULES] })
export class ApiModule {}
