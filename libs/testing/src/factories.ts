import { randomBytes } from 'node:crypto';
import { hashSecret } from '@appconda/auth';
import { generateId } from '@appconda/core';
import {
  CONSOLE_PROJECT_ID,
  KeyEntity,
  KeyRepository,
  NewRow,
  ProjectEntity,
  ProjectRepository,
  UserEntity,
  UserRepository,
} from '@appconda/database';

/**
 * Row builders for tests: `ProjectFactory.from({ name }).build()` gives the row to insert,
 * `.create(repository)` inserts it. Every built row gets a fresh `$id`, so builders can be reused.
 */
abstract class RowFactory<E> {
  protected constructor(protected readonly overrides: Partial<NewRow<E>>) {}

  protected abstract defaults(): NewRow<E>;

  build(): NewRow<E> {
    return { ...this.defaults(), ...this.overrides } as NewRow<E>;
  }
}

export class ProjectFactory extends RowFactory<ProjectEntity> {
  private keyScopes: string[] | undefined;

  static from(overrides: Partial<NewRow<ProjectEntity>> = {}): ProjectFactory {
    return new ProjectFactory(overrides);
  }

  /** Also create an API key with these scopes when seeding. */
  withApiKey(scopes: string[] = ['users.read', 'users.write']): this {
    this.keyScopes = scopes;
    return this;
  }

  /** Inserts the project (and its key, with withApiKey) the way the console would. */
  async seed(repositories: { projects: ProjectRepository; keys?: KeyRepository }): Promise<{ project: ProjectEntity; key?: KeyEntity }> {
    const project = await this.create(repositories.projects);
    if (!this.keyScopes) return { project };
    if (!repositories.keys) throw new Error('withApiKey() needs a KeyRepository to seed with');
    const key = await KeyFactory.from({ scopes: this.keyScopes }).create(repositories.keys, project.uid);
    return { project, key };
  }

  protected defaults(): NewRow<ProjectEntity> {
    return { uid: generateId(), name: 'Test project', services: {}, auths: { limit: 0, duration: 31536000 }, authProviders: {} };
  }

  /** Projects belong to the console project. */
  create(projects: ProjectRepository): Promise<ProjectEntity> {
    return projects.create(CONSOLE_PROJECT_ID, this.build());
  }
}

export class UserFactory extends RowFactory<UserEntity> {
  static from(overrides: Partial<NewRow<UserEntity>> = {}): UserFactory {
    return new UserFactory(overrides);
  }

  protected defaults(): NewRow<UserEntity> {
    const uid = generateId();
    return { uid, name: 'Test user', email: `${uid}@example.test`, registration: new Date(), prefs: {}, passwordHistory: [] };
  }

  create(users: UserRepository, projectId: string): Promise<UserEntity> {
    return users.create(projectId, this.build());
  }
}

export class KeyFactory extends RowFactory<KeyEntity> {
  static from(overrides: Partial<NewRow<KeyEntity>> = {}): KeyFactory {
    return new KeyFactory(overrides);
  }

  protected defaults(): NewRow<KeyEntity> {
    return { uid: generateId(), name: 'Test key', scopes: ['users.read'], secret: randomBytes(64).toString('hex'), sdks: [] };
  }

  /**
   * Inserts the key the way the API stores it (sha256 of the secret, which is what the identity
   * resolver looks up) and returns the row with `secret` set to the raw secret a client sends.
   */
  async create(keys: KeyRepository, projectId: string): Promise<KeyEntity> {
    const row = this.build();
    const raw = row.secret as string;
    const stored = await keys.create(projectId, { ...row, secret: hashSecret(raw) });
    return { ...stored, secret: raw };
  }
}
