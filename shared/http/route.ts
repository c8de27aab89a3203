/**
 * A route's handler, typed from its contract: path, query and body arrive parsed with the
 * contract's schemas, the answer must be one of its success statuses with the body its schema
 * describes, and `fail` takes only the problem statuses it documents. The middy chain around
 * it is the shared one (shared/http/middleware.ts).
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Principal } from '../auth/principal';
import type * as z from '../zod';
import { mediaTypeOf, type RouteContract, routeKeyOf } from './contract';
import { type ErrorTable, type FieldError, notFound, problemWithStatus } from './errors';
import {
  authorizeRoute,
  correlationIdOf,
  type HttpEvent,
  type HttpResult,
  httpCors,
  httpSecurityHeaders,
  problemResponses,
  problemResult,
  type ValidatedEvent,
  validateRequest,
} from './middleware';

type Parsed<TSchema> = TSchema extends z.ZodMiniType ? z.output<TSchema> : undefined;

export interface RouteRequest<TContract extends RouteContract> {
  params: Parsed<TContract['params']>;
  query: Parsed<TContract['query']>;
  body: TContract['body'] extends { schema: infer TSchema } ? Parsed<TSchema> : undefined;
  /** Who is calling; public routes have nobody. */
  principal: TContract['auth'] extends 'public' ? undefined : Principal;
  correlationId: string;
  /** Request headers (lower-case names, as API Gateway passes them). */
  headers: Readonly<Record<string, string | undefined>>;
  /** The raw event, for what the contract does not cover (the host name, the scheme). */
  event: HttpEvent;
  /** Answers one of the problems the contract documents for this route. */
  fail(status: keyof TContract['problems'] & number, detail: string, errors?: readonly FieldError[]): never;
}

type SuccessStatus<TContract extends RouteContract> = keyof TContract['responses'] & number;

/** One of the contract's success answers: its status, and the body its schema describes (none without one). */
export type RouteReply<TContract extends RouteContract> = {
  [TStatus in SuccessStatus<TContract>]: TContract['responses'][TStatus] extends { schema: infer TSchema }
    ? {
        status: TStatus;
        body: TSchema extends z.ZodMiniType ? z.input<TSchema> : never;
        headers?: Record<string, string>;
      }
    : { status: TStatus; body?: undefined; headers?: Record<string, string> };
}[SuccessStatus<TContract>];

interface InvokeOptions {
  signal: AbortSignal;
}

export interface HttpRouteHandler {
  readonly contract: RouteContract;
  (event: HttpEvent, context: Context, options?: InvokeOptions): Promise<HttpResult>;
}

const resultOf = (
  contract: RouteContract,
  reply: { status: number; body?: unknown; headers?: Record<string, string> },
): HttpResult => {
  if (reply.body === undefined) return { statusCode: reply.status, headers: { ...reply.headers } };
  const declared = contract.responses[reply.status];
  const mediaType = declared ? mediaTypeOf(declared) : 'application/json';
  const json = mediaType === 'application/json';
  return {
    statusCode: reply.status,
    headers: { 'content-type': json ? mediaType : `${mediaType}; charset=utf-8`, ...reply.headers },
    body: json ? JSON.stringify(reply.body) : String(reply.body),
  };
};

/**
 * Binds a service's error table once: `const route = routesAnswering(errors)`, then
 * `route(contract).handle(async (request) => ({ status: 200, body }))`. (Two steps, so the
 * contract's types are fixed before the handler is checked against them.)
 */
export const routesAnswering =
  (errors: ErrorTable) =>
  <const TContract extends RouteContract>(contract: TContract) => ({
    handle: (handle: (request: RouteRequest<TContract>) => Promise<RouteReply<TContract>>): HttpRouteHandler => {
      // Put together on the route's first request, not at cold start: a function serving many
      // routes sets up only the chains it is asked for.
      const chainOf = () =>
        middy<HttpEvent, HttpResult, Error, Context>()
          .use(httpCors)
          .use(httpSecurityHeaders)
          .use(problemResponses(contract, errors))
          .use(authorizeRoute(contract))
          .use(validateRequest(contract))
          .handler(async (raw) => {
            const event = raw as ValidatedEvent;
            // The one cast at the boundary: the chain has just validated all of it with the contract.
            const request = {
              ...event.validated,
              principal: event.principal,
              correlationId: event.correlationId,
              headers: event.headers ?? {},
              event,
              fail: (status: number, detail: string, fieldErrors?: readonly FieldError[]) => {
                throw problemWithStatus(status, detail, fieldErrors);
              },
            } as unknown as RouteRequest<TContract>;
            return resultOf(contract, await handle(request));
          });
      let chain: ReturnType<typeof chainOf> | undefined;
      return Object.assign(
        async (event: HttpEvent, context: Context, options?: InvokeOptions): Promise<HttpResult> => {
          chain ??= chainOf();
          // The chain always ends in a response: the handler's, or problemResponses' answer.
          return (await chain(event, context, options ?? { signal: new AbortController().signal })) as HttpResult;
        },
        { contract },
      );
    },
  });

/**
 * One Lambda may serve several routes; API Gateway tells which in `routeKey`. The function
 * lists the routes it serves (`served`), which tests hold against its declaration.
 */
export const serveRoutes = (...routes: readonly HttpRouteHandler[]) => {
  const byKey = new Map<string, HttpRouteHandler>();
  for (const route of routes) {
    const key = routeKeyOf(route.contract);
    if (byKey.has(key)) throw new Error(`Two handlers serve ${key}`);
    byKey.set(key, route);
  }
  const dispatch = async (event: HttpEvent, context: Context, options?: InvokeOptions): Promise<HttpResult> => {
    const route = byKey.get(event.routeKey);
    if (route) return route(event, context, options);
    return problemResult(notFound(`No route ${event.routeKey}.`), event, correlationIdOf(event));
  };
  return Object.assign(dispatch, { served: routes.map((route) => route.contract) });
};
