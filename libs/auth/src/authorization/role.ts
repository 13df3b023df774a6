/**
 * Role strings as the SDKs build them (`appwrite@11 src/role.ts`, `node-appwrite@9 lib/role.js`);
 * the output is byte-identical so server-built defaults compare equal to client-sent ones.
 * 1.3 has no `label:` role.
 */
export class Role {
  /** Everyone, signed in or not. */
  static any(): string {
    return 'any';
  }

  /** A single user; `status` is `verified` or `unverified`. */
  static user(id: string, status = ''): string {
    return status === '' ? `user:${id}` : `user:${id}/${status}`;
  }

  /** Every signed-in user; `status` is `verified` or `unverified`. */
  static users(status = ''): string {
    return status === '' ? 'users' : `users/${status}`;
  }

  /** Callers without a session. */
  static guests(): string {
    return 'guests';
  }

  /** Members of a team, optionally only those holding `role` in it. */
  static team(id: string, role = ''): string {
    return role === '' ? `team:${id}` : `team:${id}/${role}`;
  }

  /** One membership. */
  static member(id: string): string {
    return `member:${id}`;
  }
}

/** Role names a permission string may use (utopia-php/database 0.36 `Roles`). */
export enum RoleName {
  Any = 'any',
  Guests = 'guests',
  Member = 'member',
  Team = 'team',
  User = 'user',
  Users = 'users',
}

export const ROLE_DIMENSIONS = ['verified', 'unverified'] as const;

export interface ParsedRole {
  role: RoleName;
  identifier: string;
  dimension: string;
}

/** A role string rebuilt from its parts, in the canonical form the SDK writes. */
export function roleToString({ role, identifier, dimension }: ParsedRole): string {
  return `${role}${identifier ? `:${identifier}` : ''}${dimension ? `/${dimension}` : ''}`;
}

// Appwrite's Key/UID rule: up to 36 of a-z A-Z 0-9 . - _, not starting with a special char.
const KEY = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,35}$/;

interface RoleRule {
  identifier: 'forbidden' | 'required';
  dimension: 'forbidden' | 'status' | 'key';
}

const RULES: Record<RoleName, RoleRule> = {
  [RoleName.Any]: { identifier: 'forbidden', dimension: 'forbidden' },
  [RoleName.Guests]: { identifier: 'forbidden', dimension: 'forbidden' },
  [RoleName.Users]: { identifier: 'forbidden', dimension: 'status' },
  [RoleName.User]: { identifier: 'required', dimension: 'status' },
  [RoleName.Team]: { identifier: 'required', dimension: 'key' },
  [RoleName.Member]: { identifier: 'required', dimension: 'forbidden' },
};

/** Thrown by the strict parsers; `message` says what is wrong (in the API's error message). */
export class RoleSyntaxError extends Error {
  override name = 'RoleSyntaxError';
}

/**
 * Parses and validates a role string (`user:abc/verified`, `team:t1/owner`, `any` ...). Throws
 * RoleSyntaxError naming the problem: unknown role, a missing or unexpected ID, an invalid ID,
 * more than one dimension, or a dimension the role does not take.
 */
export function parseRole(value: string): ParsedRole {
  if (typeof value !== 'string' || value === '') throw new RoleSyntaxError('Role must not be empty.');
  const slash = value.indexOf('/');
  const head = slash === -1 ? value : value.slice(0, slash);
  const dimension = slash === -1 ? '' : value.slice(slash + 1);
  if (slash !== -1 && dimension === '') throw new RoleSyntaxError('Dimension must not be empty.');
  if (dimension.includes('/')) throw new RoleSyntaxError('Only one dimension can be provided.');
  const colon = head.indexOf(':');
  const name = colon === -1 ? head : head.slice(0, colon);
  const identifier = colon === -1 ? '' : head.slice(colon + 1);
  if (!Object.prototype.hasOwnProperty.call(RULES, name)) {
    throw new RoleSyntaxError(`Role "${name}" is not allowed. Must be one of: ${Object.values(RoleName).join(', ')}.`);
  }
  const role = name as RoleName;
  const rule = RULES[role];
  if (rule.identifier === 'forbidden' && colon !== -1) throw new RoleSyntaxError(`Role "${role}" can not have an ID value.`);
  if (rule.identifier === 'required') {
    if (!identifier) throw new RoleSyntaxError(`Role "${role}" must have an ID value.`);
    if (!KEY.test(identifier)) throw new RoleSyntaxError(`Role "${role}" has an invalid ID: use up to 36 chars of a-z, A-Z, 0-9, period, hyphen and underscore, not starting with a special char.`);
  }
  if (dimension) {
    if (rule.dimension === 'forbidden') throw new RoleSyntaxError(`Role "${role}" can not have a dimension value.`);
    if (rule.dimension === 'status' && !(ROLE_DIMENSIONS as readonly string[]).includes(dimension)) {
      throw new RoleSyntaxError(`Role "${role}" dimension must be one of: ${ROLE_DIMENSIONS.join(', ')}.`);
    }
    if (rule.dimension === 'key' && !KEY.test(dimension)) throw new RoleSyntaxError(`Role "${role}" has an invalid dimension value.`);
  }
  return { role, identifier, dimension };
}

/** True when `value` is a valid role string. */
export function isValidRole(value: string): boolean {
  try {
    parseRole(value);
    return true;
  } catch {
    return false;
  }
}
