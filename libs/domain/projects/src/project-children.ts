import { Injectable } from '@nestjs/common';
import { DomainRepository, KeyEntity, KeyRepository, MAX_LIST_LIMIT, PlatformRepository, WebhookRepository } from '@appconda/database';

import { KeySecretCipher } from './key-secret';
import { Key, ProjectChildren, toDomainModel, toKeyModel, toPlatformModel, toWebhookModel } from './projects.models';

/** Loads what a Project model nests (1.3 returns them with every project) and turns keys into models with their secrets. */
@Injectable()
export class ProjectChildrenLoader {
  constructor(
    private readonly cipher: KeySecretCipher,
    private readonly domains: DomainRepository,
    private readonly keys: KeyRepository,
    private readonly platforms: PlatformRepository,
    private readonly webhooks: WebhookRepository,
  ) {}

  async load(projectId: string): Promise<ProjectChildren> {
    const all = { limit: MAX_LIST_LIMIT };
    const [platforms, webhooks, keys, domains] = await Promise.all([
      this.platforms.list(projectId, all),
      this.webhooks.list(projectId, all),
      this.keys.list(projectId, all),
      this.domains.list(projectId, all),
    ]);
    return {
      platforms: platforms.map(toPlatformModel),
      webhooks: webhooks.map(toWebhookModel),
      keys: await this.keyModels(projectId, keys),
      domains: domains.map(toDomainModel),
    };
  }

  /** Key models with their decrypted secrets (a key stored before secrets were kept shows an empty one). */
  async keyModels(projectId: string, rows: KeyEntity[]): Promise<Key[]> {
    const encrypted = await this.keys.encryptedSecrets(projectId, rows.map((row) => row.uid));
    return rows.map((row) => {
      const stored = encrypted.get(row.uid);
      return toKeyModel(row, (stored && this.cipher.decrypt(stored)) || '');
    });
  }
}
