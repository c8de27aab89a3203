import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { ServiceDeclaration } from '../declaration';
import type { HttpProblem } from './errors';
import { authorizeRoute, type HttpEvent, httpCors, httpSecurityHeaders, problemResponses } from './middleware';
import type { HttpResult } from './responses';
import { declaredRoute } from './router';

/**
 * The head of every route's middy chain (headers, problem responses, the declared route's
 * roles), as a generic factory so each route still writes `.use(validateRequest(...))` and its
 * handler inline with its own types.
 */
export const routeChainFor =
  (service: ServiceDeclaration, mapDomainError?: (error: unknown) => HttpProblem | undefined) =>
  <TEvent extends HttpEvent>(routeKey: string) =>
    middy<TEvent, HttpResult, Error, Context>()
      .use(httpCors)
      .use(httpSecurityHeaders)
      .use(problemResponses(mapDomainError))
      .use(authorizeRoute(declaredRoute(service, routeKey)));
