import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { Role, ROLES, isRole, scopesForRole } from './roles';
import { API_KEY_SCOPES, Scope, isApiKeyScope } from './scopes';

const reference = path.resolve(__dirname, '../../../../shared/appwrite-1.3');

describe('Scope', () => {
  it('uses unique wire strings', () => {
    const values = Object.values(Scope);
    expect(new Set(values).size).toBe(values.length);
  });

  it('tells API key scopes from role-only scopes', () => {
    expect(isApiKeyScope('files.write')).toBe(true);
    expect(isApiKeyScope('health.read')).toBe(true);
    expect(isApiKeyScope('keys.write')).toBe(false);
    expect(isApiKeyScope('account')).toBe(false);
    expect(isApiKeyScope('nope.read')).toBe(false);
    expect(API_KEY_SCOPES).toHaveLength(25);
  });

  (existsSync(reference) ? it : it.skip)('matches the Appwrite 1.3 API key scopes', () => {
    const names = Object.keys(JSON.parse(readFileSync(path.join(reference, 'scopes.json'), 'utf8')));
    expect([...API_KEY_SCOPES]).toEqual(names);
  });
});

describe('roles', () => {
  it('gives guests no account or admin scopes', () => {
    const guests = scopesForRole(Role.Guests);
    expect(guests).toContain(Scope.DocumentsRead);
    expect(guests).toContain(Scope.ExecutionWrite);
    expect(guests).not.toContain(Scope.Account);
    expect(guests).not.toContain(Scope.UsersRead);
  });

  it('gives owner everything users and admin have, once each', () => {
    const owner = scopesForRole('owner');
    expect(new Set(owner).size).toBe(owner.length);
    for (const scope of [...scopesForRole(Role.Users), ...scopesForRole(Role.Admin)]) expect(owner).toContain(scope);
  });

  it('gives apps only health and graphql, and unknown roles nothing', () => {
    expect(scopesForRole(Role.Apps)).toEqual([Scope.HealthRead, Scope.Graphql]);
    expect(scopesForRole('root')).toEqual([]);
    expect(scopesForRole('__proto__')).toEqual([]);
    expect(isRole('developer')).toBe(true);
    expect(isRole('toString')).toBe(false);
  });

  (existsSync(reference) ? it : it.skip)('matches every Appwrite 1.3 role (labels and scope sets)', () => {
    const roles: Record<string, { label: string; scopes: string[] }> = JSON.parse(readFileSync(path.join(reference, 'roles.json'), 'utf8'));
    expect(Object.keys(ROLES).sort()).toEqual(Object.keys(roles).sort());
    for (const [name, { label, scopes }] of Object.entries(roles)) {
      expect([name, ROLES[name as Role].label]).toEqual([name, label]);
      expect([name, [...new Set(scopesForRole(name))].sort()]).toEqual([name, [...new Set(scopes)].sort()]);
    }
  });
});
