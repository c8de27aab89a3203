/**
 * One object per HTTP route: method, path, roles, request schemas, responses. It is the single
 * source of the route: the service declaration lists it (so CDK and the local gateway create
 * it), the handler is typed from it (`httpRoute`), validation runs from it and the OpenAPI
 * document is generated from it. Its key (`PUT /people/{personId}`) is written nowhere else.
 */

import { roles as allRoles, type Role } from '../auth/roles';
import { defineBuiltOnFirstRead } from '../lazy-schema';
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

/**
 * A schema, or a function that builds it (a `lazySchema`, or `() => z.object(...)`): a contract
 * given functions builds each schema on first use, not when its module loads. A Lambda then builds
 * only the request schemas of the routes it is asked to serve, and response schemas (read by tests
 * and the OpenAPI document, never by a running function) not at all.
 */
type SchemaSource = z.ZodMiniType | (() => z.ZodMiniType);
type Built<TSource> = TSource extends () => infer TSchema ? TSchema : TSource;

/** What `defineRoute` takes: a `RouteContract` whose schemas may be given as functions that build them. */
export interface RouteContractSource extends Omit<RouteContract, 'params' | 'query' | 'body' | 'responses'> {
  readonly params?: SchemaSource;
  readonly query?: SchemaSource;
  readonly body?: Omit<RequestBody, 'schema'> & { schema: SchemaSource };
  readonly responses: Readonly<Record<number, Omit<SuccessResponse, 'schema'> & { schema?: SchemaSource }>>;
}

/** The contract `defineRoute` returns for a source: the same fields, with schemas in place of their builders. */
export type DefinedRoute<TSource extends RouteContractSource> = {
  readonly [TKey in keyof TSource]: TKey extends 'params' | 'query'
    ? Built<TSource[TKey]>
    : TKey extends 'body'
      ? {
          readonly [TPart in keyof TSource[TKey]]: TPart extends 'schema'
            ? Built<TSource[TKey][TPart]>
            : TSource[TKey][TPart];
        }
      : TKey extends 'responses'
        ? {
            readonly [TStatus in keyof TSource[TKey]]: {
              readonly [TPart in keyof TSource[TKey][TStatus]]: TPart extends 'schema'
                ? Built<TSource[TKey][TStatus][TPart]>
                : TSource[TKey][TStatus][TPart];
            };
          }
        : TSource[TKey];
};

/** A copy of `source` whose `keys` given as functions are built on first read (and then kept). */
const withSchemasBuiltOnFirstRead = <TObject extends object>(source: TObject, keys: readonly string[]): TObject => {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (keys.includes(key) && typeof value === 'function') defineBuiltOnFirstRead(copy, key, value as () => unknown);
    else copy[key] = value;
  }
  return copy as TObject;
};

/**
 * Keeps the literal types of a contract, so handlers are typed from its schemas and statuses.
 * Schemas given as functions are built on first read of the field (see `SchemaSource`).
 */
export const defineRoute = <const TSource extends RouteContractSource>(source: TSource): DefinedRoute<TSource> => {
  const contract = withSchemasBuiltOnFirstRead(source, ['params', 'query']) as Record<string, unknown>;
  if (source.body) contract.body = withSchemasBuiltOnFirstRead(source.body, ['schema']);
  contract.responses = Object.fromEntries(
    Object.entries(source.responses).map(([status, response]) => [
      status,
      withSchemasBuiltOnFirstRead(response, ['schema']),
    ]),
  );
  return contract as DefinedRoute<TSource>;
};

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
