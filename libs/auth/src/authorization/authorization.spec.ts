import { AppException } from '@appconda/core';

import { Authorization } from './authorization';
import {
  aggregatePermissions,
  assertValidPermissions,
  ITEM_PERMISSIONS,
  parsePermission,
  Permission,
  permissionsProblem,
} from './permission';
import { isValidRole, parseRole, Role } from './role';
import { rolesForUser } from './roles-for-user';
import { isPrivilegedRole, scopesFor } from './scopes';

function thrown(fn: () => unknown): AppException {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppException);
    return error as AppException;
  }
  throw new Error('expected an AppException');
}

describe('Role / Permission builders (SDK-identical strings)', () => {
  it.each([
    [Role.any(), 'any'],
    [Role.guests(), 'guests'],
    [Role.users(), 'users'],
    [Role.users('verified'), 'users/verified'],
    [Role.users('unverified'), 'users/unverified'],
    [Role.user('abc'), 'user:abc'],
    [Role.user('abc', 'verified'), 'user:abc/verified'],
    [Role.user('abc', 'unverified'), 'user:abc/unverified'],
    [Role.team('t1'), 'team:t1'],
    [Role.team('t1', 'owner'), 'team:t1/owner'],
    [Role.member('m1'), 'member:m1'],
    [Permission.read(Role.any()), 'read("any")'],
    [Permission.write(Role.user('u')), 'write("user:u")'],
    [Permission.create(Role.team('t', 'x')), 'create("team:t/x")'],
    [Permission.update(Role.users()), 'update("users")'],
    [Permission.delete(Role.member('m')), 'delete("member:m")'],
  ])('%s', (built, expected) => expect(built).toBe(expected));
});

describe('role and permission parsing', () => {
  it.each(['any', 'guests', 'users', 'users/verified', 'users/unverified', 'user:a1', 'user:a1/verified', 'team:t.1', 'team:t1/my-role', 'member:m_1'])('accepts %s', (role) => {
    expect(isValidRole(role)).toBe(true);
    expect(parsePermission(`read("${role}")`).roleString).toBe(role);
  });

  it.each([
    ['', /empty/],
    ['everyone', /"everyone" is not allowed/],
    ['any:x', /can not have an ID/],
    ['guests/verified', /can not have a dimension/],
    ['user', /must have an ID/],
    ['user:', /must have an ID/],
    ['team:', /must have an ID/],
    ['user:_bad', /invalid ID/],
    ['user:' + 'x'.repeat(37), /invalid ID/],
    ['users/gold', /dimension must be one of/],
    ['user:a/b/c', /Only one dimension/],
    ['team:t/', /Dimension must not be empty/],
    ['member:m/x', /can not have a dimension/],
    ['team:t/-x', /invalid dimension/],
  ])('rejects role %p', (role, message) => {
    expect(() => parseRole(role)).toThrow(message);
  });

  it.each([
    ['*', /Wildcard/],
    ['role:all', /"role:" prefix/],
    ['read(any)', /Invalid permission string format/],
    ['read("any"', /format/],
    ['read( "any")', /format/],
    ['READ("any")', /format/],
    ['view("any")', /Invalid permission type: "view"/],
    ['read("any")x', /format/],
    ['read("us"ers")', /format/],
  ])('rejects permission %p', (permission, message) => {
    expect(() => parsePermission(permission)).toThrow(message);
  });

  it('validates a permissions param with the 1.3 error type', () => {
    expect(permissionsProblem(['read("any")', 'write("user:u")'])).toBeUndefined();
    expect(permissionsProblem('read("any")')).toMatch(/array/);
    expect(permissionsProblem([1])).toMatch(/string/);
    expect(permissionsProblem(Array.from({ length: 101 }, () => 'read("any")'))).toMatch(/up to 100/);
    expect(permissionsProblem(['create("any")'], { allowed: ITEM_PERMISSIONS })).toMatch(/not allowed. Must be one of: read, update, delete, write/);
    const error = thrown(() => assertValidPermissions(['read("nobody")']));
    expect(error.type).toBe('general_argument_invalid');
    expect(error.code).toBe(400);
    expect(error.message).toMatch(/^Invalid `permissions` param: Role "nobody" is not allowed/);
  });

  it('expands write per target and drops duplicates', () => {
    expect(aggregatePermissions(['write("any")', 'read("any")', 'update("any")'])).toEqual(['read("any")', 'update("any")', 'create("any")', 'delete("any")']);
    expect(aggregatePermissions(['write("user:u")', 'read("user:u")'], ITEM_PERMISSIONS)).toEqual(['read("user:u")', 'update("user:u")', 'delete("user:u")']);
  });
});

describe('rolesForUser', () => {
  it('gives guests any + guests', () => {
    expect(rolesForUser(null)).toEqual(['any', 'guests']);
    expect(rolesForUser({ $id: '' })).toEqual(['any', 'guests']);
  });

  it('marks a user verified when email OR phone is verified', () => {
    expect(rolesForUser({ $id: 'u1', emailVerification: false, phoneVerification: true })).toEqual(['any', 'user:u1', 'users', 'user:u1/verified', 'users/verified']);
    expect(rolesForUser({ $id: 'u1', emailVerification: true })).toContain('users/verified');
    expect(rolesForUser({ $id: 'u1' })).toEqual(['any', 'user:u1', 'users', 'user:u1/unverified', 'users/unverified']);
  });

  it('adds team roles for confirmed memberships only', () => {
    const roles = rolesForUser({ $id: 'u1' }, [
      { $id: 'm1', teamId: 't1', roles: ['owner', 'editor'], confirm: true },
      { $id: 'm2', teamId: 't2', roles: ['owner'], confirm: false },
      { $id: 'm3', teamId: 't3', confirm: true },
    ]);
    expect(roles).toEqual(expect.arrayContaining(['team:t1', 'member:m1', 'team:t1/owner', 'team:t1/editor', 'team:t3', 'member:m3']));
    expect(roles.some((role) => role.includes('t2') || role.includes('m2'))).toBe(false);
  });
});

describe('Authorization', () => {
  const roles = rolesForUser({ $id: 'u1', emailVerification: true }, [{ $id: 'm1', teamId: 't1', roles: ['admin'], confirm: true }]);

  it('allows an action when a permission of that type names a held role', () => {
    expect(Authorization.isAllowed('read', ['read("user:u1")'], roles)).toBe(true);
    expect(Authorization.isAllowed('read', ['read("team:t1/admin")'], roles)).toBe(true);
    expect(Authorization.isAllowed('read', ['read("any")'], ['any', 'guests'])).toBe(true);
    expect(Authorization.isAllowed('update', ['read("user:u1")'], roles)).toBe(false);
    expect(Authorization.isAllowed('read', ['read("user:u2")', 'read("team:t1/owner")', 'read("users/unverified")'], roles)).toBe(false);
    expect(Authorization.isAllowed('delete', ['write("users")'], roles)).toBe(true);
    expect(Authorization.isAllowed('read', ['write("users")'], roles)).toBe(false);
    expect(Authorization.isAllowed('read', ['garbage', 'read("users")'], roles)).toBe(true);
    expect(Authorization.isAllowed('read', [], roles)).toBe(false);
  });

  it('lets callers that skip permissions through', () => {
    const sut = Authorization.for({ roles: [], skipPermissions: true });
    expect(sut.isAllowed('delete', [])).toBe(true);
    expect(() => sut.assertCanGrant(['read("user:other")'])).not.toThrow();
    expect(Authorization.for({ roles }).isAllowed('create', ['create("team:t1")'])).toBe(true);
  });

  it('only lets a writer grant roles it holds', () => {
    expect(() => Authorization.assertCanGrant(['read("any")', 'update("user:u1")', 'delete("team:t1/admin")', 'write("users/verified")'], roles)).not.toThrow();
    const error = thrown(() => Authorization.assertCanGrant(['read("user:u1")', 'read("user:u2")'], roles));
    expect(error.type).toBe('user_unauthorized');
    expect(error.code).toBe(401);
    expect(error.message).toBe(`Permissions must be one of: (${roles.join(', ')})`);
    expect(thrown(() => Authorization.assertCanGrant(['read("guests")'], roles)).type).toBe('user_unauthorized');
    expect(thrown(() => Authorization.assertCanGrant(['bogus'], roles)).type).toBe('general_argument_invalid');
  });
});

describe('scopes', () => {
  it('gives a role its scopes and adds an API key\'s own', () => {
    expect(scopesFor('guests').has('account')).toBe(false);
    expect(scopesFor('users').has('account')).toBe(true);
    expect([...scopesFor('apps', ['users.read'])].sort()).toEqual(['graphql', 'health.read', 'users.read']);
    expect(scopesFor('nobody').size).toBe(0);
    expect(isPrivilegedRole('owner')).toBe(true);
    expect(isPrivilegedRole('users')).toBe(false);
  });
});
