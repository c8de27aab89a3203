import { type Role, roles } from './roles';

/** Who is calling, as the JWT authorizer vouched for them. */
export interface Principal {
  /** The person this caller is in the directory (Cognito `custom:personId`, else `sub`). */
  personId: string;
  roles: ReadonlySet<Role>;
  /** For `department` machine clients: which department they act for. */
  departmentId?: string;
}

type Claims = Record<string, string | number | boolean | string[] | undefined>;

/**
 * API Gateway hands array claims to the function flattened into a string such as
 * `[admin mentor]` (elements separated by spaces); locally minted tokens may carry a real
 * array, and a JSON array string is accepted too. A comma is part of a group name, never a
 * separator: `["employee,admin"]` (flattened `[employee,admin]`) is one group that is no role.
 */
const parseGroups = (value: Claims[string]): string[] => {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return [];
  const trimmed = value.trim();
  if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
    const inner = trimmed.slice(1, -1).trim();
    if (inner.startsWith('"')) {
      try {
        const parsed: unknown = JSON.parse(trimmed);
        if (Array.isArray(parsed)) return parsed.map(String);
      } catch {
        // fall through to the flattened form
      }
    }
    return inner.split(/\s+/).filter(Boolean);
  }
  return trimmed.split(/\s+/).filter(Boolean);
};

const isRole = (value: string): value is Role => (roles as readonly string[]).includes(value);

/**
 * Department machine clients use the client-credentials grant: each department's app client
 * may ask for one scope of this resource server, `mentoring-departments/<departmentId>`, and
 * its access token carries it (and no groups, no custom claims).
 */
export const DEPARTMENT_SCOPE_PREFIX = 'mentoring-departments/';
export const departmentScopeOf = (departmentId: string): string => `${DEPARTMENT_SCOPE_PREFIX}${departmentId}`;

/** The department a client-credentials access token acts for: exactly one department scope, or none. */
const departmentOfAccessToken = (claims: Claims): string | undefined => {
  if (claims.token_use !== 'access') return undefined;
  const scopes = parseGroups(claims.scope).filter((scope) => scope.startsWith(DEPARTMENT_SCOPE_PREFIX));
  const [scope] = scopes;
  return scopes.length === 1 && scope && scope.length > DEPARTMENT_SCOPE_PREFIX.length
    ? scope.slice(DEPARTMENT_SCOPE_PREFIX.length)
    : undefined;
};

export const principalFromClaims = (claims: Claims | undefined): Principal | undefined => {
  if (!claims) return undefined;
  const machineDepartment = departmentOfAccessToken(claims);
  if (machineDepartment) {
    const clientId = claims.client_id ?? claims.sub;
    if (typeof clientId !== 'string' || clientId.length === 0) return undefined;
    return { personId: clientId, roles: new Set<Role>(['department']), departmentId: machineDepartment };
  }
  const personIdClaim = claims['custom:personId'] ?? claims.sub;
  if (typeof personIdClaim !== 'string' || personIdClaim.length === 0) return undefined;
  const departmentId = claims['custom:departmentId'];
  return {
    personId: personIdClaim,
    roles: new Set(parseGroups(claims['cognito:groups']).filter(isRole)),
    ...(typeof departmentId === 'string' && departmentId ? { departmentId } : {}),
  };
};

export const hasAnyRole = (principal: Principal, allowed: readonly Role[]): boolean =>
  allowed.some((role) => principal.roles.has(role));

/** Programme staff may see everyone's directory record. */
export const isProgrammeStaff = (principal: Principal): boolean => hasAnyRole(principal, ['admin', 'life-coach']);

/** A person may read their own record; programme staff may read anyone's. */
export const canReadPerson = (principal: Principal, personId: string): boolean =>
  principal.personId === personId || isProgrammeStaff(principal);
