import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { KeyEntity } from '../entities';
import { assertProjectId, ScopedRepository } from './scoped.repository';

@Injectable()
export class KeyRepository extends ScopedRepository<KeyEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, KeyEntity);
  }

  /** The key whose (already hashed or raw, as stored) secret matches, within the project. */
  findBySecret(projectId: string, secret: string): Promise<KeyEntity | null> {
    return this.findOne(projectId, { secret });
  }

  /** Records use of a key without touching `_updatedAt` (that marks edits, not use). */
  async touch(projectId: string, uid: string, accessedAt = new Date()): Promise<void> {
    await this.repo.update(this.scoped(projectId, { uid }), { accessedAt });
  }

  /**
   * Stores the encrypted form of a key's secret (column `secretEncrypted`, migration 0010). The
   * column is not part of KeyEntity on purpose: plain reads of keys never carry it.
   */
  async setEncryptedSecret(projectId: string, uid: string, encrypted: string): Promise<void> {
    await this.repo.manager.query('UPDATE `keys` SET `secretEncrypted` = ? WHERE `_project` = ? AND `_uid` = ?', [encrypted, assertProjectId(projectId), uid]);
  }

  /** The encrypted secrets of the given keys of a project, by key `$id` (keys without one are absent). */
  async encryptedSecrets(projectId: string, uids: readonly string[]): Promise<Map<string, string>> {
    if (uids.length === 0) return new Map();
    const rows: { _uid: string; secretEncrypted: string | null }[] = await this.repo.manager.query(
      `SELECT \`_uid\`, \`secretEncrypted\` FROM \`keys\` WHERE \`_project\` = ? AND \`_uid\` IN (${uids.map(() => '?').join(', ')})`,
      [assertProjectId(projectId), ...uids],
    );
    return new Map(rows.filter((row) => row.secretEncrypted).map((row) => [row._uid, row.secretEncrypted as string]));
  }

  /** Records a key's use (time and/or the SDKs seen) without touching `_updatedAt`, which marks edits. */
  async recordUse(projectId: string, uid: string, use: { accessedAt?: Date; sdks?: string[] }): Promise<void> {
    if (!use.accessedAt && !use.sdks) return;
    await this.repo.update(this.scoped(projectId, { uid }), use);
  }
}
