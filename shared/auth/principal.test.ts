import { describe, expect, it } from 'vitest';
import { canReadPerson, principalFromClaims } from './principal';

describe('principalFromClaims', () => {
  it('reads groups in API Gateway’s flattened form, as an array, or as JSON, ignoring unknown groups', () => {
    for (const groups of ['[mentor employee]', ['mentor', 'employee', 'superuser'], '["mentor","employee"]']) {
      const principal = principalFromClaims({ sub: 'u1', 'custom:personId': 'p1', 'cognito:groups': groups });
      expect(principal?.personId).toBe('p1');
      expect([...(principal?.roles ?? [])].sort()).toEqual(['employee', 'mentor']);
    }
  });

  it('never splits a group name on commas: ["employee,admin"] is one unknown group, not two roles', () => {
    // API Gateway flattens the one-element array ["employee,admin"] to `[employee,admin]`.
    for (const groups of ['[employee,admin]', ['employee,admin'], '["employee,admin"]', 'employee,admin']) {
      const principal = principalFromClaims({ sub: 'u1', 'cognito:groups': groups });
      expect(principal?.roles.size).toBe(0);
    }
    const two = principalFromClaims({ sub: 'u1', 'cognito:groups': '[employee admin]' });
    expect([...(two?.roles ?? [])].sort()).toEqual(['admin', 'employee']);
  });

  it('falls back to sub, carries the department, and has no principal without a subject', () => {
    expect(principalFromClaims({ sub: 'u1', 'custom:departmentId': 'it' })).toMatchObject({
      personId: 'u1',
      departmentId: 'it',
    });
    expect(principalFromClaims({ 'cognito:groups': '[admin]' })).toBeUndefined();
    expect(principalFromClaims(undefined)).toBeUndefined();
  });
});

describe('department machine clients', () => {
  it('act for the department their one department scope names, as the department role', () => {
    const principal = principalFromClaims({
      sub: 'client-7f3a',
      client_id: 'client-7f3a',
      token_use: 'access',
      scope: 'mentoring-departments/it',
    });
    expect(principal).toEqual({ personId: 'client-7f3a', roles: new Set(['department']), departmentId: 'it' });
  });

  it('get no department from an ID token, from two department scopes, or from other scopes', () => {
    const idToken = principalFromClaims({ sub: 'u1', token_use: 'id', scope: 'mentoring-departments/it' });
    expect(idToken?.departmentId).toBeUndefined();
    expect(idToken?.roles.has('department')).toBe(false);
    const two = principalFromClaims({
      sub: 'c',
      client_id: 'c',
      token_use: 'access',
      scope: 'mentoring-departments/it mentoring-departments/hr',
    });
    expect(two?.departmentId).toBeUndefined();
    expect(two?.roles.size).toBe(0);
    const user = principalFromClaims({ sub: 'u1', token_use: 'access', scope: 'aws.cognito.signin.user.admin' });
    expect(user?.roles.size).toBe(0);
  });
});

describe('canReadPerson', () => {
  it('allows yourself and programme staff only', () => {
    const employee = principalFromClaims({ sub: 'p1', 'cognito:groups': '[employee mentor]' });
    const coach = principalFromClaims({ sub: 'c1', 'cognito:groups': '[life-coach]' });
    if (!employee || !coach) throw new Error('principals expected');
    expect(canReadPerson(employee, 'p1')).toBe(true);
    expect(canReadPerson(employee, 'p2')).toBe(false);
    expect(canReadPerson(coach, 'p2')).toBe(true);
  });
});
