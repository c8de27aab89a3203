/**
 * One object per HTTP route: method, path, roles, request schemas, responses. It is the single
 * source of the route: the service declaration lists it (so CDK and the local gateway create
 * it), the handler is typed from it (`httpRoute`), validation runs from it and the OpenAPI
 * document is generated from it. Its key (`PUT /people/{personId}`) is written nowhere else.
 */

import { roles as allRoles, type Role } from '../auth/roles';
import type * as z from '../zod';

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';

export interface SuccessResponse {
  description: string;
  /** The JSON body; a response without a schema has no body (204, 202 with only a Location). */
  schema?: z.ZodMiniType;
  /**
   * `application/json` (default), or a text type such as `text/csv`: the handler then answers
   * the string its schema (`z.string()`) describes, sent as it is.
   */
  mediaType?: string;
  /** Response headers the handler sets (name → what it holds), for the OpenAPI document. */
  headers?: Readonly<Record<string, string>>;
}

export interface RequestBody {
  schema: z.ZodMiniType;
  /** `application/json` (default), or a text type such as `text/csv` handed over as a string. */
  mediaType?: string;
  /** Larger bodies get 413 (default 256 KiB). */
  maxBytes?: number;
  /**
   * The same text may also arrive gzip-compressed (`application/gzip`): a large file fits API
   * Gateway's and Lambda's payload limits that way. `maxBytes` bounds the compressed body,
   * `maxTextBytes` the text it holds (both 413 when exceeded).
   */
  gzip?: { maxBytes: number; maxTextBytes: number };
}

export interface RouteContract {
  readonly method: HttpMethod;
  /** API Gateway path template: `/people/{personId}`. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  /** Groups allowed through; `public` means no token is needed (health, the OpenAPI document). */
  readonly auth: 'public' | { readonly roles: readonly Role[] };
  readonly params?: z.ZodMiniType;
  readonly query?: z.ZodMiniType;
  readonly body?: RequestBody;
  /** The success answers, by status. */
  readonly responses: Readonly<Record<number, SuccessResponse>>;
  /**
   * The problems the handler itself can answer (404, 409, 412, 422, 503...), by status, with
   * what each means. The problems the shared chain answers (400, 401, 403, 413, 415) are
   * derived from the rest of the contract (`chainProblemsOf`), so they are never forgotten.
   */
  readonly problems?: Readonly<Record<number, string>>;
}

/** Keeps the literal types of a contract, so handlers are typed from its schemas and statuses. */
export const defineRoute = <const TContract extends RouteContract>(contract: TContract): TContract => contract;

export const routeKeyOf = (route: Pick<RouteContract, 'method' | 'path'>): string => `${route.method} ${route.path}`;

/** The problems the shared middy chain answers for this route, whatever its handler does. */
export const chainProblemsOf = (contract: RouteContract): Record<number, string> => {
  const problems: Record<number, string> = {};
  if (contract.params || contract.query || contract.body) {
    problems[400] = 'Invalid request: `errors` names each wrong field and what is expected';
  }
  if (contract.auth !== 'public') {
    problems[401] = 'No valid bearer token';
    const allowed = contract.auth.roles;
    if (!allRoles.every((role) => allowed.includes(role))) {
      problems[403] = `Needs one of the roles: ${allowed.join(', ')}`;
    }
  }
  if (contract.body) {
    problems[413] = 'The body is larger than the route accepts';
    problems[415] = `The body is not ${contract.body.mediaType ?? 'application/json'}${contract.body.gzip ? ' (or application/gzip of it)' : ''}`;
  }
  return problems;
};

/** Every problem status of a route, the chain's and the handler's, with its description. */
export const problemsOf = (contract: RouteContract): Record<number, string> => ({
  ...chainProblemsOf(contract),
  ...contract.problems,
});

/** The media type of a success answer's body. */
export const mediaTypeOf = (response: SuccessResponse): string => response.mediaType ?? 'application/json';

/** Every status the route may answer. Anything else is a breach of its contract. */
export const documentedStatusesOf = (contract: RouteContract): ReadonlySet<number> =>
  new Set([...Object.keys(contract.responses), ...Object.keys(problemsOf(contract))].map(Number));
