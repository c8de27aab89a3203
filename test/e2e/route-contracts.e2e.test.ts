/**
 * Walks every declared route through the local HTTP API and provokes each answer the shared
 * chain gives (401 without a token, 403 for a role the route does not allow, 400 for a bad
 * path, query or body, 415 for the wrong media type, 413 for a body over the limit). Each
 * answer must be the expected status and, like every answer in the end-to-end tests, conform
 * to the route's contract (test/support/platform.ts checks it): a status the contract does not
 * list, or a body its schema does not describe, fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../services/index';
import { roles } from '../../shared/auth/roles';
import { chainProblemsOf, type RouteContract, routeKeyOf } from '../../shared/http/contract';
import { startTestPlatform, type TestPlatform } from '../support/platform';

const routes = allServices.flatMap((service) => service.routes);

/** A path for the route, every parameter filled with `value`. */
const pathOf = (route: RouteContract, value = 'walk-1') => route.path.replace(/\{[^}]+\}/g, encodeURIComponent(value));

const allowedCaller = (route: RouteContract) => {
  if (route.auth === 'public') return undefined;
  const [role] = route.auth.roles;
  return { sub: 'walker-1', groups: [role as string] };
};

const refusedCaller = (route: RouteContract) => {
  if (route.auth === 'public') return undefined;
  const allowed: readonly string[] = route.auth.roles;
  const refused = roles.find((role) => !allowed.includes(role));
  return refused
    ? { sub: 'walker-2', groups: [refused], ...(refused === 'department' ? { departmentId: 'it' } : {}) }
    : undefined;
};

describe('every route answers as its contract documents', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform({ warm: true });
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
  });

  for (const route of routes) {
    const chain = chainProblemsOf(route);
    describe(routeKeyOf(route), () => {
      if (chain[401]) {
        it('401 without a token', async () => {
          expect((await platform.api(pathOf(route), { method: route.method, token: null })).status).toBe(401);
        });
      }
      if (chain[403]) {
        it('403 for a role it does not allow', async () => {
          const as = refusedCaller(route);
          expect(as).toBeDefined();
          expect((await platform.api(pathOf(route), { method: route.method, ...(as ? { as } : {}) })).status).toBe(403);
        });
      }
      const as = allowedCaller(route);
      const caller = as ? { as } : {};
      const validBody = route.body?.mediaType === 'text/csv' ? 'personId\n' : '{}';
      const contentType = route.body?.mediaType ?? 'application/json';
      if (route.params) {
        it('400 for a malformed path parameter', async () => {
          const response = await platform.api(pathOf(route, 'not a valid id!'), {
            method: route.method,
            ...caller,
            ...(route.body ? { body: validBody, headers: { 'content-type': contentType } } : {}),
          });
          expect(response.status).toBe(400);
        });
      }
      if (route.query) {
        it('400 for an unknown query parameter', async () => {
          const response = await platform.api(`${pathOf(route)}?notAParameter=1`, { method: route.method, ...caller });
          expect(response.status).toBe(400);
          expect(((await response.json()) as { errors: unknown[] }).errors).toContainEqual(
            expect.objectContaining({ location: 'query.notAParameter' }),
          );
        });
      }
      if (route.body) {
        it('400 without a body, 415 for another media type, 413 over the size limit', async () => {
          const missing = await platform.api(pathOf(route), { method: route.method, ...caller });
          expect(missing.status).toBe(400);
          const wrongType = await platform.api(pathOf(route), {
            method: route.method,
            ...caller,
            body: validBody,
            headers: { 'content-type': 'text/plain' },
          });
          expect(wrongType.status).toBe(415);
          const limit = route.body?.maxBytes ?? 256 * 1024;
          const tooLarge = await platform.api(pathOf(route), {
            method: route.method,
            ...caller,
            body: 'x'.repeat(limit + 1),
            headers: { 'content-type': contentType },
          });
          expect(tooLarge.status).toBe(413);
        });
      }
      if (route.auth === 'public') {
        // A public route may still refuse what it is given (a link's token that is not valid, say),
        // but never for want of a token, and never with a fault.
        it('answers without a token', async () => {
          const status = (await platform.api(pathOf(route), { method: route.method, token: null })).status;
          expect([401, 403]).not.toContain(status);
          expect(status).toBeLessThan(500);
        });
      }
    });
  }
});
