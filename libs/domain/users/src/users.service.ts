import { Injectable, Optional } from '@nestjs/common';
import { DEFAULT_HASH_ALGORITHM, DEFAULT_HASH_OPTIONS, hashPassword, HashAlgorithm, verifyPassword } from '@appconda/auth';
import { AppException, ErrorType, RequestContext, resolveId, setEventParam } from '@appconda/core';
import { CONSOLE_PROJECT_ID, Database, ProjectRepository, UserEntity, UserRepository } from '@appconda/database';
import { AuthSettings, authSettings, identityOf, ProjectContextService } from '@appconda/identity';
import { compileQueries, cursorNotFound, parseQueries, SystemListSchemas, validateQueries, withSearch } from '@appconda/query';

import { duplicateIndex, isDuplicateKey, userSearchText } from './users.rules';
import { assertNotCommonPassword } from './password-dictionary';

/** Appwrite 1.3 counts users up to this when checking the project's user limit (APP_LIMIT_USERS). */
const USER_COUNT_CEILING = 10000;

/** The input of `createUser`, shared by users.create* and account.create. */
export interface CreateUserInput {
  /** A custom ID or `unique()`. */
  userId: string;
  email?: string | null;
  phone?: string | null;
  /** Plain password when `hash` is `plaintext` (the default), else the imported hash. Empty = no password. */
  password?: string | null;
  name?: string | null;
  /** `plaintext` hashes `password` with argon2; an algorithm name stores `password` as that algorithm's hash. */
  hash?: HashAlgorithm | `${HashAlgorithm}` | 'plaintext';
  /** Options of an imported hash (salt, costs …); `type` is added from `hash`. */
  hashOptions?: Record<string, unknown>;
}

export interface CreateUserOptions {
  /**
   * Whether the project's user limit (`auths.limit`; 1 on the console under the root whitelist) applies.
   * Appwrite 1.3 checks it on account sign-up only; the users API (API keys) may exceed it. Default true.
   */
  enforceLimit?: boolean;
}

/** The `{ rows, total }` page of a list. */
export interface Page<T> {
  rows: T[];
  total: number;
}

/**
 * Users of a project: creation (shared by the users and account APIs), lookup, 1.3 list queries,
 * and the profile updates of the users API. Sessions, memberships, logs and usage live in
 * UserActivityService.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly db: Database,
    private readonly projects: ProjectRepository,
    private readonly users: UserRepository,
    @Optional() private readonly projectContexts?: ProjectContextService,
  ) {}

  /**
   * Creates a user like Appwrite 1.3's `createUser`: email lowercased, password hashed with argon2
   * (or an imported hash stored with its options), `search` filled, password history started when the
   * project keeps one. A taken ID, email or phone is 409 user_already_exists; over the project's
   * limit is 501 user_count_exceeded. The limit check and insert run in one transaction.
   */
  async createUser(projectId: string, input: CreateUserInput, ctx?: RequestContext, options: CreateUserOptions = {}): Promise<UserEntity> {
    const auths = await this.authsOf(projectId, ctx);
    const uid = resolveId(input.userId);
    if (ctx) setEventParam(ctx, 'userId', uid);
    const email = input.email ? input.email.toLowerCase() : null;
    const phone = input.phone || null;
    const name = input.name ?? '';
    if (!input.hash || input.hash === 'plaintext') assertNotCommonPassword(input.password, auths.passwordDictionary);
    const credentials = await this.credentialsOf(input);
    const now = new Date();
    try {
      return await this.db.transaction(async (manager) => {
        const users = this.users.with(manager);
        if ((options.enforceLimit ?? true) && auths.limit > 0) {
          const total = await users.count(projectId);
          if (Math.min(total, USER_COUNT_CEILING) >= auths.limit) throw new AppException(ErrorType.UserCountExceeded);
        }
        if (email && (await users.findByEmail(projectId, email))) throw new AppException(ErrorType.UserAlreadyExists);
        if (phone && (await users.findByPhone(projectId, phone))) throw new AppException(ErrorType.UserAlreadyExists);
        return users.create(projectId, {
          uid,
          permissions: [`read("any")`, `update("user:${uid}")`, `delete("user:${uid}")`],
          email,
          phone,
          name,
          status: true,
          emailVerification: false,
          phoneVerification: false,
          reset: false,
          ...credentials,
          passwordHistory: credentials.password && auths.passwordHistory > 0 ? [credentials.password] : [],
          passwordUpdate: credentials.password ? now : null,
          prefs: {},
          registration: now,
          search: userSearchText({ uid, email, phone, name }),
        });
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw new AppException(ErrorType.UserAlreadyExists);
      throw error;
    }
  }

  /** Checks a plain password against the user's stored hash with its own algorithm and options. */
  checkPassword(user: Pick<UserEntity, 'password' | 'hash' | 'hashOptions'>, plain: string): Promise<boolean> {
    if (!user.password) return Promise.resolve(false);
    return verifyPassword(plain, user.password, (user.hash ?? DEFAULT_HASH_ALGORITHM) as HashAlgorithm, user.hashOptions ?? undefined);
  }

  /**
   * The argon2 credentials that replace an imported hash once the plain password is known (Appwrite
   * 1.3 re-hashes bcrypt, md5, sha, phpass, scrypt and scrypt-modified users on a successful email
   * login, with the default argon2 options); undefined when the user is on argon2 already.
   */
  async upgradedCredentials(user: Pick<UserEntity, 'hash'>, plain: string): Promise<Pick<UserEntity, 'password' | 'hash' | 'hashOptions'> | undefined> {
    if (user.hash === DEFAULT_HASH_ALGORITHM) return undefined;
    return { password: await hashPassword(plain, DEFAULT_HASH_ALGORITHM, DEFAULT_HASH_OPTIONS), hash: DEFAULT_HASH_ALGORITHM, hashOptions: { ...DEFAULT_HASH_OPTIONS } };
  }

  /** The user, or 404 user_not_found. */
  async get(projectId: string, userId: string): Promise<UserEntity> {
    const user = await this.users.findByUid(projectId, userId);
    if (!user) throw new AppException(ErrorType.UserNotFound);
    return user;
  }

  /** One page of users for 1.3 `queries[]` and the optional full-text `search` (over id, email, phone, name). */
  async list(projectId: string, queries: unknown, search?: string): Promise<Page<UserEntity>> {
    const schema = SystemListSchemas.users;
    const groups = withSearch(validateQueries(parseQueries(queries ?? []), schema), search);
    let cursorRow: Record<string, unknown> | undefined;
    if (groups.cursor) {
      const row = await this.users.findByUid(projectId, groups.cursor.id);
      if (!row) throw cursorNotFound(groups.cursor.id);
      cursorRow = userCursorRow(row);
    }
    return this.users.listByQuery(projectId, compileQueries(groups, { cursorRow, schema }));
  }

  async updateName(projectId: string, userId: string, name: string): Promise<UserEntity> {
    const user = await this.get(projectId, userId);
    return this.save(projectId, user, { name });
  }

  /** Appwrite 1.3 lowercases the address, and a changed email is unverified again. */
  async updateEmail(projectId: string, userId: string, email: string): Promise<UserEntity> {
    const user = await this.get(projectId, userId);
    const lowered = email.toLowerCase();
    const other = await this.users.findByEmail(projectId, lowered);
    if (other && other.uid !== user.uid) throw new AppException(ErrorType.UserEmailAlreadyExists);
    return this.save(projectId, user, { email: lowered, emailVerification: false });
  }

  /** A changed phone number is unverified again; a taken one is 409 user_phone_already_exists. */
  async updatePhone(projectId: string, userId: string, phone: string): Promise<UserEntity> {
    const user = await this.get(projectId, userId);
    const other = await this.users.findByPhone(projectId, phone);
    if (other && other.uid !== user.uid) throw new AppException(ErrorType.UserPhoneAlreadyExists);
    return this.save(projectId, user, { phone, phoneVerification: false });
  }

  /**
   * Sets a new password, rehashed with argon2. When the project keeps a password history, reusing one
   * of the last N passwords is 409 password_recently_used and the new hash joins the history.
   */
  async updatePassword(projectId: string, userId: string, password: string, ctx?: RequestContext): Promise<UserEntity> {
    const user = await this.get(projectId, userId);
    const { passwordHistory: limit, passwordDictionary } = await this.authsOf(projectId, ctx);
    assertNotCommonPassword(password, passwordDictionary);
    const hashed = await hashPassword(password, DEFAULT_HASH_ALGORITHM, DEFAULT_HASH_OPTIONS);
    let history = Array.isArray(user.passwordHistory) ? [...user.passwordHistory] : [];
    if (limit > 0) {
      if (await this.wasRecentlyUsed(user, history, password)) throw new AppException(ErrorType.PasswordRecentlyUsed);
      history = [...history, hashed].slice(-limit);
    }
    return this.save(projectId, user, {
      password: hashed,
      hash: DEFAULT_HASH_ALGORITHM,
      hashOptions: { ...DEFAULT_HASH_OPTIONS },
      passwordHistory: history,
      passwordUpdate: new Date(),
    });
  }

  async updateStatus(projectId: string, userId: string, status: boolean): Promise<UserEntity> {
    const user = await this.get(projectId, userId);
    return this.save(projectId, user, { status });
  }

  async updateEmailVerification(projectId: string, userId: string, emailVerification: boolean): Promise<UserEntity> {
    const user = await this.get(projectId, userId);
    return this.save(projectId, user, { emailVerification });
  }

  async updatePhoneVerification(projectId: string, userId: string, phoneVerification: boolean): Promise<UserEntity> {
    const user = await this.get(projectId, userId);
    return this.save(projectId, user, { phoneVerification });
  }

  /** Replaces the preferences object (1.3 does not merge). */
  async updatePrefs(projectId: string, userId: string, prefs: Record<string, unknown>): Promise<UserEntity> {
    const user = await this.get(projectId, userId);
    return this.save(projectId, user, { prefs: Array.isArray(prefs) ? {} : { ...prefs } });
  }

  /** Writes changed columns, keeps `search` in step with them, maps a unique-index clash to the right 409. */
  private async save(projectId: string, user: UserEntity, changes: Partial<UserEntity>): Promise<UserEntity> {
    const next = { ...user, ...changes };
    const data = { ...changes, search: userSearchText(next) };
    try {
      const saved = await this.users.update(projectId, user.uid, data);
      if (!saved) throw new AppException(ErrorType.UserNotFound);
      return saved;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      throw new AppException(duplicateIndex(error) === 'uniq_phone' ? ErrorType.UserPhoneAlreadyExists : ErrorType.UserEmailAlreadyExists);
    }
  }

  private async wasRecentlyUsed(user: UserEntity, history: string[], password: string): Promise<boolean> {
    for (const entry of history) {
      if (!entry) continue;
      // Entries written since the last rehash are argon2; an imported first password keeps its own algorithm.
      const algo = entry.startsWith('$argon2') ? HashAlgorithm.Argon2 : ((user.hash ?? DEFAULT_HASH_ALGORITHM) as HashAlgorithm);
      if (await verifyPassword(password, entry, algo, user.hashOptions ?? undefined)) return true;
    }
    return false;
  }

  private async credentialsOf(input: CreateUserInput): Promise<Pick<UserEntity, 'password' | 'hash' | 'hashOptions'>> {
    const algo = input.hash ?? 'plaintext';
    if (algo === 'plaintext') {
      const password = input.password ? await hashPassword(input.password, DEFAULT_HASH_ALGORITHM, DEFAULT_HASH_OPTIONS) : null;
      return { password, hash: DEFAULT_HASH_ALGORITHM, hashOptions: { ...DEFAULT_HASH_OPTIONS } };
    }
    return { password: input.password || null, hash: algo, hashOptions: { ...(input.hashOptions ?? {}), type: algo } };
  }

  /** The project's auth settings: from the request when it is about this project, else loaded. */
  async authsOf(projectId: string, ctx?: RequestContext): Promise<AuthSettings> {
    if (ctx?.extras.identity) {
      const { project } = identityOf(ctx);
      if (project.id === projectId) return project.auths;
    }
    if (this.projectContexts) return (await this.projectContexts.get(projectId)).auths;
    if (projectId === CONSOLE_PROJECT_ID) return authSettings({});
    const project = await this.projects.findByUid(CONSOLE_PROJECT_ID, projectId);
    if (!project) throw new AppException(ErrorType.ProjectNotFound);
    return authSettings(project.auths);
  }
}

/** The values a cursor query pages from, keyed by 1.3 attribute name. */
export function userCursorRow(user: UserEntity): Record<string, unknown> {
  return {
    $id: user.uid,
    $internalId: user.internalId,
    $createdAt: user.createdAt,
    $updatedAt: user.updatedAt,
    email: user.email,
    emailVerification: user.emailVerification,
    name: user.name,
    passwordUpdate: user.passwordUpdate,
    phone: user.phone,
    phoneVerification: user.phoneVerification,
    registration: user.registration,
    status: user.status,
  };
}
