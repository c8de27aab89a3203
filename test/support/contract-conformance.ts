/**
 * Holds an HTTP answer against its route's contract, as a client reading the OpenAPI document
 * would: the status must be one the contract lists, a success body must match the declared
 * schema, a problem must be RFC 9457 `application/problem+json` with that status. Handler
 * tests and end-to-end tests both check every answer with it, so the documentation cannot
 * drift from what the handlers do.
 */

import type { ServiceDeclaration } from '../../shared/declaration';
import { documentedStatusesOf, mediaTypeOf, type RouteContract, routeKeyOf } from '../../shared/http/contract';
import { GatewayErrorSchema, ProblemSchema } from '../../shared/http/problem';
import type * as z from '../../shared/zod';

export interface HttpAnswer {
  status: number;
  contentType: string | undefined;
  body: string | undefined;
}

const issuesOf = (schema: z.ZodMiniType, value: unknown): string[] => {
  const parsed = schema.safeParse(value);
  return parsed.success
    ? []
    : parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
};

const jsonOf = (body: string | undefined): unknown => {
  try {
    return body ? JSON.parse(body) : undefined;
  } catch {
    return Symbol('not JSON');
  }
};

/** What is wrong with this answer, per the contract (empty when it conforms). */
export const contractViolations = (contract: RouteContract, answer: HttpAnswer): string[] => {
  const route = routeKeyOf(contract);
  const documented = documentedStatusesOf(contract);
  if (!documented.has(answer.status)) {
    return [`${route} answered ${answer.status}, which its contract does not list (${[...documented].join(', ')})`];
  }
  const mediaType = (answer.contentType ?? '').split(';')[0]?.trim();
  const success = contract.responses[answer.status];
  if (success) {
    if (!success.schema) return answer.body ? [`${route} ${answer.status}: a body where the contract has none`] : [];
    const declared = mediaTypeOf(success);
    if (mediaType !== declared) return [`${route} ${answer.status}: content-type ${mediaType}, not ${declared}`];
    const body = declared === 'application/json' ? jsonOf(answer.body) : (answer.body ?? '');
    return issuesOf(success.schema, body).map((issue) => `${route} ${answer.status}: ${issue}`);
  }
  if ((answer.status === 401 || answer.status === 413) && mediaType === 'application/json') {
    // API Gateway's own answer, before the function runs (documented as such): the JWT
    // authorizer's 401, or 413 for a body over Lambda's 6 MB request payload.
    return issuesOf(GatewayErrorSchema, jsonOf(answer.body)).map((issue) => `${route} ${answer.status}: ${issue}`);
  }
  if (mediaType !== 'application/problem+json') {
    return [`${route} ${answer.status}: content-type ${mediaType}, not application/problem+json`];
  }
  const problem = jsonOf(answer.body);
  const issues = issuesOf(ProblemSchema, problem).map((issue) => `${route} ${answer.status}: ${issue}`);
  if (issues.length === 0 && (problem as { status: number }).status !== answer.status) {
    issues.push(`${route} ${answer.status}: the problem says status ${(problem as { status: number }).status}`);
  }
  return issues;
};

/** Throws (failing the test) when the answer breaks its contract. */
export const assertConformsToContract = (contract: RouteContract, answer: HttpAnswer): void => {
  const violations = contractViolations(contract, answer);
  if (violations.length > 0) throw new Error(`Contract breach:\n- ${violations.join('\n- ')}`);
};

/** The declared route a request reaches: its method, and a path that fits the route's template. */
export const routeContractFor = (
  services: readonly ServiceDeclaration[],
  method: string,
  path: string,
): RouteContract | undefined => {
  const parts = path.split('?')[0]?.split('/') ?? [];
  const candidates = services
    .flatMap((service) => service.routes)
    .filter((route) => route.method === method.toUpperCase())
    .filter((route) => {
      const template = route.path.split('/');
      return (
        template.length === parts.length &&
        template.every((segment, index) => segment.startsWith('{') || segment === parts[index])
      );
    });
  // A literal segment beats a parameter (`/people/import` over `/people/{personId}`), as in API Gateway.
  const literals = (route: RouteContract) => route.path.split('/').filter((segment) => !segment.startsWith('{')).length;
  return candidates.sort((a, b) => literals(b) - literals(a))[0];
};

/**
 * The statuses each route was seen to answer, so a test file can check that every status its
 * routes document (successes and the handler's own problems) was really answered at least once.
 */
export const contractCoverage = (contracts: readonly RouteContract[]) => {
  const seen = new Map<string, Set<number>>();
  return {
    record: (contract: RouteContract, status: number) => {
      const key = routeKeyOf(contract);
      seen.set(key, (seen.get(key) ?? new Set()).add(status));
    },
    /** `PUT /people/{personId} 409`, for every handler-level status no test has seen. */
    unseen: (): string[] =>
      contracts.flatMap((contract) => {
        const statuses = [...Object.keys(contract.responses), ...Object.keys(contract.problems ?? {})].map(Number);
        const answered = seen.get(routeKeyOf(contract)) ?? new Set();
        return statuses.filter((status) => !answered.has(status)).map((status) => `${routeKeyOf(contract)} ${status}`);
      }),
  };
};
