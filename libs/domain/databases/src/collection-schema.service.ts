import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ErrorType } from '@appconda/contracts';
import { AppException, serviceLogger } from '@appconda/core';
import {
  AttributeEntity,
  AttributeRepository,
  AttributeSpec,
  CollectionEntity,
  CollectionRepository,
  CONSOLE_PROJECT_ID,
  collectionTableName,
  DatabaseEntity,
  DatabaseRepository,
  IndexEntity,
  IndexRepository,
  permissionsTableName,
  ProjectRepository,
} from '@appconda/database';
import { REDIS, REDIS_PREFIX } from '@appconda/transport';
import type Redis from 'ioredis';

import { attributeSpec } from './attribute.types';

/** Everything the document layer needs to read and write one collection's table. */
export interface CollectionSchema {
  projectId: string;
  /** `projects._id` of the project (first part of the table name). */
  projectSeq: string;
  database: DatabaseEntity;
  collection: CollectionEntity;
  /** The real table, `_<projectSeq>_<databaseSeq>_<collectionSeq>`. */
  table: string;
  /** Its permission side table, `<table>_perms`. */
  permsTable: string;
  /** Attributes whose column exists (status `available`), in creation order. */
  attributes: AttributeEntity[];
  /** The same attributes as column specs for the pure builders of @appconda/database. */
  specs: AttributeSpec[];
  /** Indexes with status `available`. */
  indexes: IndexEntity[];
  /** Every attribute and index row, whatever its status (processing, failed, deleting…). */
  allAttributes: AttributeEntity[];
  allIndexes: IndexEntity[];
}

/** Longest time a cached schema is trusted even without a version bump (safety net only). */
const TTL_MS = 60_000;

const logger = serviceLogger('databases');

/**
 * A collection's schema (database, collection, available attributes and indexes, real table name),
 * cached per collection in process, so a document request costs no schema SQL.
 *
 * `invalidate()` (after any change, in whichever process makes it) deletes the entry here, bumps a Redis
 * version counter (`<p>:cache:<projectId>:collection:<databaseId>:<collectionId>`) and publishes the key
 * on `<p>:schema-invalidations`. While this process is subscribed to that channel, a cached entry is
 * used as is: an attribute turning `available` in the worker reaches every API process by pub/sub. While
 * the subscription is down (connecting, or lost — and messages with it), every call compares the
 * entry's version with one Redis GET instead, and every reconnect empties the cache.
 */
@Injectable()
export class CollectionSchemaService implements OnModuleInit, OnModuleDestroy {
  private readonly cache = new Map<string, { at: number; version: string; value: CollectionSchema }>();
  private readonly projectSeqs = new Map<string, { at: number; seq: string }>();
  private subscriber?: Redis;
  private subscribed = false;
  /** Bumped by every invalidation this process hears of: a load that raced one is not cached. */
  private epoch = 0;

  constructor(
    private readonly attributes: AttributeRepository,
    private readonly collections: CollectionRepository,
    private readonly databases: DatabaseRepository,
    private readonly indexes: IndexRepository,
    private readonly projects: ProjectRepository,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_PREFIX) private readonly prefix: string,
  ) {}

  async onModuleInit(): Promise<void> {
    const subscriber = this.redis.duplicate({ lazyConnect: true, enableAutoPipelining: false, maxRetriesPerRequest: null });
    this.subscriber = subscriber;
    const lost = (): void => {
      this.subscribed = false;
      this.forgetAll();
    };
    subscriber.on('close', lost);
    // One warning per outage: ioredis reports every failed reconnect attempt as an error.
    let warned = false;
    subscriber.on('error', (err: Error) => {
      if (warned) return;
      warned = true;
      logger.warn({ err: err.message }, 'schema invalidation subscriber error');
    });
    // ioredis re-subscribes by itself after a reconnect; anything published meanwhile was missed.
    let first = true;
    subscriber.on('ready', () => {
      warned = false;
      this.forgetAll();
      if (!first) this.subscribed = true;
    });
    subscriber.on('message', (_channel: string, key: string) => {
      this.epoch += 1;
      this.cache.delete(key);
    });
    try {
      await subscriber.connect();
      await subscriber.subscribe(this.channel());
      first = false;
      this.subscribed = subscriber.status === 'ready';
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'schema invalidation subscriber unavailable; comparing versions per call');
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.subscribed = false;
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }

  /** The collection's schema, or 404 database_not_found / collection_not_found. */
  async get(projectId: string, databaseId: string, collectionId: string): Promise<CollectionSchema> {
    const key = this.cacheKey(projectId, databaseId, collectionId);
    const hit = this.cache.get(key);
    const fresh = hit !== undefined && Date.now() - hit.at < TTL_MS;
    if (fresh && this.subscribed) return hit.value;
    const epoch = this.epoch;
    const version = (await this.redis.get(key)) ?? '0';
    if (fresh && hit.version === version) return hit.value;
    const value = await this.load(projectId, databaseId, collectionId);
    if (epoch === this.epoch) {
      this.cache.set(key, { at: Date.now(), version, value });
      if (this.cache.size > 5000) this.cache.delete(this.cache.keys().next().value as string);
    }
    return value;
  }

  /** Forgets a collection's cached schema in every process (call after any change to it). */
  async invalidate(projectId: string, databaseId: string, collectionId: string): Promise<void> {
    const key = this.cacheKey(projectId, databaseId, collectionId);
    this.epoch += 1;
    this.cache.delete(key);
    await this.redis.incr(key);
    await this.redis.publish(this.channel(), key);
  }

  private forgetAll(): void {
    this.epoch += 1;
    this.cache.clear();
  }

  private channel(): string {
    return `${this.prefix}:schema-invalidations`;
  }

  /**
   * `projects._id` of a project. It never changes for a project, but a deleted project's `$id` can be
   * taken again once its cleanup finished, so it is cached for TTL_MS only.
   */
  async projectSeq(projectId: string): Promise<string> {
    const seq = await this.findProjectSeq(projectId);
    if (!seq) throw new AppException(ErrorType.ProjectNotFound);
    return seq;
  }

  /** `projects._id` of a project, or null when the project row is gone. */
  async findProjectSeq(projectId: string): Promise<string | null> {
    const known = this.projectSeqs.get(projectId);
    if (known && Date.now() - known.at < TTL_MS) return known.seq;
    const project = await this.projects.findByUid(CONSOLE_PROJECT_ID, projectId);
    if (!project) {
      this.projectSeqs.delete(projectId);
      return null;
    }
    this.projectSeqs.set(projectId, { at: Date.now(), seq: String(project.internalId) });
    if (this.projectSeqs.size > 10000) this.projectSeqs.delete(this.projectSeqs.keys().next().value as string);
    return String(project.internalId);
  }

  /** The real table of a collection from internal ids. */
  async tableOf(projectId: string, databaseInternalId: string, collectionInternalId: string): Promise<string> {
    return collectionTableName(await this.projectSeq(projectId), databaseInternalId, collectionInternalId);
  }

  private async load(projectId: string, databaseId: string, collectionId: string): Promise<CollectionSchema> {
    const database = await this.databases.findByUid(projectId, databaseId);
    if (!database) throw new AppException(ErrorType.DatabaseNotFound);
    const collection = await this.collections.findInDatabase(projectId, database.internalId, collectionId);
    if (!collection) throw new AppException(ErrorType.CollectionNotFound);
    const [allAttributes, allIndexes, projectSeq] = await Promise.all([
      this.attributes.listByCollection(projectId, collection.internalId),
      this.indexes.listByCollection(projectId, collection.internalId),
      this.projectSeq(projectId),
    ]);
    const table = collectionTableName(projectSeq, database.internalId, collection.internalId);
    const attributes = allAttributes.filter((attribute) => attribute.status === 'available');
    return {
      projectId,
      projectSeq,
      database,
      collection,
      table,
      permsTable: permissionsTableName(table),
      attributes,
      specs: attributes.map(attributeSpec),
      indexes: allIndexes.filter((index) => index.status === 'available'),
      allAttributes,
      allIndexes,
    };
  }

  private cacheKey(projectId: string, databaseId: string, collectionId: string): string {
    return `${this.prefix}:cache:${projectId}:collection:${databaseId}:${collectionId}`;
  }
}
