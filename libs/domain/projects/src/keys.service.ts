import { Injectable } from '@nestjs/common';
import { ErrorType } from '@appconda/contracts';
import { AppException, generateId, RequestContext } from '@appconda/core';
import { KeyEntity, KeyRepository, MAX_LIST_LIMIT } from '@appconda/database';
import { generateSecret, hashSecret } from '@appconda/auth';
import { ProjectContextService } from '@appconda/identity';

import { KeySecretCipher } from './key-secret';
import { ProjectAccess } from './project-access';
import { ProjectChildrenLoader } from './project-children';
import { KeyDto } from './projects.dto';
import { Key } from './projects.models';

/** Project API keys. Stored: sha256 of the secret (for lookup) and the AES-GCM encrypted secret (for the Key model). */
@Injectable()
export class KeysService {
  constructor(
    private readonly access: ProjectAccess,
    private readonly children: ProjectChildrenLoader,
    private readonly cipher: KeySecretCipher,
    private readonly contexts: ProjectContextService,
    private readonly keys: KeyRepository,
  ) {}

  async list(ctx: RequestContext, projectId: string): Promise<{ total: number; keys: Key[] }> {
    const project = await this.access.project(ctx, projectId);
    const rows = await this.keys.list(project.uid, { limit: MAX_LIST_LIMIT });
    return { total: rows.length, keys: await this.children.keyModels(project.uid, rows) };
  }

  async create(ctx: RequestContext, projectId: string, dto: KeyDto): Promise<Key> {
    const project = await this.access.project(ctx, projectId);
    // 1.3: 128 random bytes, hex encoded (256 chars).
    const secret = generateSecret(128);
    const row = await this.keys.create(project.uid, {
      uid: generateId(),
      permissions: ['read("any")', 'update("any")', 'delete("any")'],
      name: dto.name,
      scopes: dto.scopes,
      secret: hashSecret(secret),
      expire: dto.expire ? new Date(dto.expire) : null,
      accessedAt: null,
      sdks: [],
    });
    await this.keys.setEncryptedSecret(project.uid, row.uid, this.cipher.encrypt(secret));
    return (await this.children.keyModels(project.uid, [row]))[0];
  }

  async get(ctx: RequestContext, projectId: string, keyId: string): Promise<Key> {
    const project = await this.access.project(ctx, projectId);
    return (await this.children.keyModels(project.uid, [await this.find(project.uid, keyId)]))[0];
  }

  async update(ctx: RequestContext, projectId: string, keyId: string, dto: KeyDto): Promise<Key> {
    const project = await this.access.project(ctx, projectId);
    await this.find(project.uid, keyId);
    const row = await this.keys.update(project.uid, keyId, { name: dto.name, scopes: dto.scopes, expire: dto.expire ? new Date(dto.expire) : null });
    if (!row) throw new AppException(ErrorType.KeyNotFound);
    this.contexts.invalidate(project.uid);
    return (await this.children.keyModels(project.uid, [row]))[0];
  }

  async delete(ctx: RequestContext, projectId: string, keyId: string): Promise<void> {
    const project = await this.access.project(ctx, projectId);
    if (!(await this.keys.delete(project.uid, keyId))) throw new AppException(ErrorType.KeyNotFound);
    this.contexts.invalidate(project.uid);
  }

  private async find(projectId: string, keyId: string): Promise<KeyEntity> {
    const row = await this.keys.findByUid(projectId, keyId);
    if (!row) throw new AppException(ErrorType.KeyNotFound);
    return row;
  }
}
